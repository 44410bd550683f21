/**
 * Compiles a category's rows: each pattern becomes an re2 object once, at load.
 */
import RE2 from 're2';
import type { ErrorCategory, ErrorPattern, ErrorPatternSource } from '../types';

/** The compiled table of one category, in the order its rows are tried. */
export function defineRows(category: ErrorCategory, rows: readonly ErrorPatternSource[]): ErrorPattern[] {
  return rows.map(({ pattern, flags, prefilter, ...rest }) => ({
    ...rest,
    category,
    prefilter: typeof prefilter === 'string' ? [prefilter] : prefilter,
    pattern: new RE2(pattern, flags ?? ''),
  }));
}
