/**
 * The events `serve` appends to its store run, guarded: a write that fails
 * (the disk full, the store closed) never stops the following. The first
 * failure is kept and told; later events are counted, not written, since the
 * store's appender cannot take back the rows it failed to flush, and more
 * would only grow its buffer.
 */
import type { LogEvent } from '../core/event';
import type { RunWriter } from '../store/run-writer';

/** What the server shows of the store's event writes. */
export interface EventStoreView {
  readonly written: number;
  readonly notWritten: number;
  /** The failure that stopped the writes, if any. */
  readonly failure: { at: string; message: string } | undefined;
}

export class EventStore implements EventStoreView {
  written = 0;
  notWritten = 0;
  failure: { at: string; message: string } | undefined;

  constructor(
    private readonly run: RunWriter,
    private readonly onError: (error: unknown) => void = () => {},
  ) {}

  /** Appends the event and its raw lines, or counts it when a write failed before. */
  write(event: LogEvent, templateId: string | undefined): void {
    if (this.failure) {
      this.notWritten++;
      return;
    }
    try {
      this.run.event(event, true, templateId);
      this.written++;
    } catch (error) {
      this.notWritten++;
      const message = (error instanceof Error ? error.message : String(error)).split('\n', 1)[0]!.slice(0, 500);
      this.failure = { at: new Date().toISOString(), message };
      this.onError(error);
    }
  }
}
