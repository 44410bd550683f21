/**
 * Pure readers of /proc. Every one takes a `procRoot` (a fixture tree in
 * tests), survives entries that vanish or are unreadable, and counts what it
 * skipped instead of throwing.
 */
export * from './read';
export * from './address';
export * from './net';
export * from './pid-stat';
export * from './pid-status';
export * from './pid-cmdline';
export * from './pid-comm';
export * from './pid-io';
export * from './pid-fd';
export * from './process';
export * from './socket-owners';
export * from './system-stat';
export * from './sysconf';
export * from './passwd';
export * from './host';
export * from './diskstats';
export * from './sampler';
