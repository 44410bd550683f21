/**
 * Errors of a periodic task (the sampler's ticks), counted by kind so a
 * failing store or an odd /proc shows in health and metrics instead of
 * crashing the process, and is told once per kind, not every 3 s.
 */

/** One kind of error and how often it happened. */
export interface TickErrorKind {
  /** `stage: code`, e.g. `store: Error`, `read: EMFILE`. */
  kind: string;
  count: number;
  /** The latest one's message (its first line) and time. */
  message: string;
  last: string;
}

/** Kinds kept apart; later new kinds count under `other: other`. */
const MAX_KINDS = 50;

/** The part of an error that names its kind: the errno code, else the class name. */
function codeOf(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.length > 0 && code.length <= 40) return code;
    const name = (error as { name?: unknown }).name;
    if (typeof name === 'string' && name.length > 0 && name.length <= 40) return name;
  }
  return typeof error;
}

const firstLine = (error: unknown) =>
  (error instanceof Error ? error.message : String(error)).split('\n', 1)[0]!.slice(0, 500);

export class TickErrors {
  private readonly kinds = new Map<string, TickErrorKind>();
  private count = 0;
  /** The latest tick ended with an error (cleared by a tick without any). */
  failing = false;

  /** Counts `error` of `stage`; its kind when it is the first of that kind (the caller tells it then). */
  record(stage: string, error: unknown, at = Date.now()): string | undefined {
    this.count++;
    this.failing = true;
    let kind = `${stage}: ${codeOf(error)}`;
    if (!this.kinds.has(kind) && this.kinds.size >= MAX_KINDS) kind = 'other: other';
    const known = this.kinds.get(kind);
    const last = new Date(at).toISOString();
    if (known) {
      known.count++;
      known.message = firstLine(error);
      known.last = last;
      return undefined;
    }
    this.kinds.set(kind, { kind, count: 1, message: firstLine(error), last });
    return kind;
  }

  get total(): number {
    return this.count;
  }

  /** Every kind seen, most frequent first. */
  list(): TickErrorKind[] {
    return [...this.kinds.values()]
      .map((k) => ({ ...k }))
      .sort((a, b) => b.count - a.count || a.kind.localeCompare(b.kind));
  }
}
