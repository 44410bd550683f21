/**
 * The loop of a following consumer of durables: a round (one fetch from each
 * consumer with messages) after another until stopped; an idle round waits a
 * little before the next, a failed one (the server away) a backoff while the
 * connection reconnects.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { backoffMs } from './backoff';

/**
 * Runs `round` (resolving with the messages it consumed) until `signal`
 * aborts; waits `idleMs` after a round that consumed none, and tells
 * `onRetry` each failure before the backoff.
 */
export async function pollUntilAborted(
  round: () => Promise<number>,
  idleMs: number,
  signal: AbortSignal,
  onRetry?: (error: Error, attempt: number) => void,
): Promise<void> {
  for (let attempt = 0; !signal.aborted;) {
    try {
      const consumed = await round();
      attempt = 0;
      if (consumed === 0) await sleep(idleMs, undefined, { signal }).catch(() => undefined);
    } catch (error) {
      if (signal.aborted) return;
      onRetry?.(error as Error, attempt);
      await sleep(backoffMs(attempt++), undefined, { signal }).catch(() => undefined);
    }
  }
}
