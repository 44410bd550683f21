/**
 * Exceptions no other category explains: an exception type and its message in
 * a single line (`ValueError: ...`, `java.lang.IllegalStateException: ...`).
 * Multi-line traces are parsed by stack-trace.ts; this table catches the
 * one-line form and runs last, after every specific category.
 */
import { defineRows } from './rows';

/** The catch-all exception row, tried after every other table. */
export const exceptionPatterns = defineRows('exception', [
  {
    id: 'typed-exception',
    subkind: 'unhandled',
    prefilter: ['Error', 'Exception'],
    pattern:
      '(?:^|[\\s:(\\[])(?<type>(?:[a-z_][\\w]{0,63}\\.){0,8}[A-Z][\\w$]{0,127}(?:Error|Exception))(?::\\s+(?<message>[^\\n]*)|$)',
    severity: 60,
  },
]);
