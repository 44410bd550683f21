/**
 * logsleuth's public API. Re-exports only: every definition lives in its module.
 */
export * from './core/event';
export * from './core/finding';
export * from './core/kinds';
export * from './core/options';
export * from './core/bus';
export * from './core/tracer';
export * from './core/investigation';
export * from './core/case';
export * from './core/result';
export * from './core/ecs';
export * from './core/schemas';
export * from './core/json-file';
export * from './core/lru';
export * from './report/terminal-escape';
