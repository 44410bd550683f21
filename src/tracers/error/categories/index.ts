/**
 * Every category table, in the order they are tried: the most specific
 * wording first (a deadlock before a generic SQLSTATE, EMFILE before EAGAIN,
 * a database's "could not connect" before the network's "Connection
 * refused"), the catch-all exception row last.
 */
import type { ErrorPattern } from '../types';
import { databasePatterns } from './database';
import { diskPatterns } from './disk';
import { exceptionPatterns } from './exception';
import { memoryPatterns } from './memory';
import { networkPatterns } from './network';
import { permissionPatterns } from './permission';
import { resourcePatterns } from './resource';
import { systemPatterns } from './system';

export { databasePatterns, MYSQL_ERRNO, sqlstateSubkind } from './database';
export { diskPatterns } from './disk';
export { exceptionPatterns } from './exception';
export { memoryPatterns } from './memory';
export { networkPatterns } from './network';
export { permissionPatterns } from './permission';
export { resourcePatterns } from './resource';
export { systemPatterns } from './system';

/** All rows in the order `recognise` tries them. */
export const ERROR_PATTERNS: readonly ErrorPattern[] = [
  ...resourcePatterns,
  ...memoryPatterns,
  ...diskPatterns,
  ...databasePatterns,
  ...systemPatterns,
  ...permissionPatterns,
  ...networkPatterns,
  ...exceptionPatterns,
];
