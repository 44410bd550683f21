/**
 * The shapes the error tracer works with: a recogniser row (one per way a
 * program writes an error), and what recognising an event yields.
 */
import type RE2 from 're2';
import type { StackTrace } from './stack-trace';

/** The families of errors the tracer tells apart. */
export type ErrorCategory =
  'exception' | 'database' | 'memory' | 'disk' | 'network' | 'permission' | 'resource' | 'system' | 'other';

/**
 * What was extracted from an error. Every key is optional: a recogniser fills
 * what the program wrote.
 */
export interface ErrorDetails {
  /** Exception or error type: `ValueError`, `java.sql.SQLException`, `TypeError`. */
  type?: string;
  /** The error's own message, after the type. */
  message?: string;
  /** A file or directory the error is about (`/var/lib/postgresql/data`). */
  path?: string;
  /** Source file and line of the innermost in-app frame, and its function. */
  file?: string;
  line?: number;
  function?: string;
  /** errno name (`ENOSPC`), SQLSTATE (`40P01`), MySQL errno (`1213`), HTTP status (`503`). */
  code?: string;
  /** What kind of code `code` is. */
  codeKind?: 'errno' | 'sqlstate' | 'mysql' | 'http' | 'signal' | 'redis' | 'mongodb' | 'sqlite';
  /** The process the error is about (the OOM victim, the segfaulting program) and its pid. */
  process?: string;
  pid?: number;
  /** For an OOM kill: the process whose allocation invoked the OOM killer, when it is not the victim. */
  trigger?: string;
  /** The database, host or address named (`db "orders"`, `10.0.0.5:5432`). */
  target?: string;
  /** Exception types of a chained traceback, outermost last (`KeyError -> ValueError`). */
  chain?: string[];
  /** How a Python traceback chained them: raised while handling the previous one, or from it (`raise ... from`). */
  chainKind?: 'during-handling' | 'direct-cause';
  /** The language of the stack trace the details came from. */
  language?: 'python' | 'java' | 'node';
  /** The service, from the event or inferred from the recogniser (`postgresql`). */
  service?: string;
}

/**
 * Named groups a recogniser pattern may use; each maps onto {@link ErrorDetails}.
 * re2 forbids a name twice, so alternatives use `target2`, `target3`, ...: a
 * trailing number is dropped when the group is read.
 */
export type DetailGroup =
  'type' | 'message' | 'path' | 'file' | 'line' | 'function' | 'code' | 'process' | 'pid' | 'target' | 'errno';

/** One way a program writes an error: a row of a category table. */
export interface ErrorPattern {
  /** Stable identifier within its category, e.g. `postgres-deadlock`. */
  id: string;
  category: ErrorCategory;
  /** The finer kind within the category (`deadlock`, `oom-kill`, `no-space`); hints are keyed by it. */
  subkind: string;
  /** Fixed substrings, any of which must occur before the pattern runs (case-sensitive). */
  prefilter: readonly string[];
  /** An re2 pattern with named groups from {@link DetailGroup}. */
  pattern: RE2;
  /** Base severity 0-100 before the level adjusts it. */
  severity: number;
  /** The service the pattern implies when the event has none. */
  service?: string;
  /** How to read the `code` group. */
  codeKind?: ErrorDetails['codeKind'];
  /** Details the pattern implies (e.g. `code: 'ENOSPC'` for "No space left on device"). */
  implies?: Partial<ErrorDetails>;
  /**
   * A finer subkind from the details or the pattern's other named groups (a
   * MySQL errno, a SQLSTATE class, which alternative matched); `subkind` when
   * it returns undefined.
   */
  classify?: (details: ErrorDetails, groups: Readonly<Record<string, string | undefined>>) => string | undefined;
  /**
   * A hand-written reader of a row that runs on many lines: the groups
   * `pattern` captures, null when it does not match, undefined for a text it
   * leaves to re2. A fast-check property test holds it to `pattern`.
   */
  scan?: (text: string) => Record<string, string | undefined> | null | undefined;
}

/** A row as a category module writes it: the pattern as source text, compiled once by `defineRows`. */
export type ErrorPatternSource = Omit<ErrorPattern, 'category' | 'pattern' | 'prefilter'> & {
  prefilter: string | readonly string[];
  /** re2 syntax; named groups from {@link DetailGroup}. */
  pattern: string;
  /** re2 flags, e.g. `i`. */
  flags?: string;
};

/** What recognising one event yields. */
export interface RecognisedError {
  category: ErrorCategory;
  subkind: string;
  /** The recogniser row that matched, `<category>/<id>`, or `level` for an unrecognised error-level event. */
  rule: string;
  severity: number;
  details: ErrorDetails;
  /** The parsed stack trace, when the event held one (grouping uses its frames). */
  trace?: StackTrace;
}
