/**
 * A progress line on stderr while a large input is read, for people at a
 * terminal only: redrawn at most a few times a second, erased when done.
 */
import type { CliIo } from './io';

/** Redraws at most this often. */
const INTERVAL_MS = 250;

export class Progress {
  private events = 0;
  private readonly started = Date.now();
  private lastDraw = 0;
  private drawn = false;

  constructor(
    private readonly io: CliIo,
    private readonly enabled: boolean,
  ) {}

  /** Counts one event; redraws when the interval has passed. Cheap on the hot path. */
  tick(): void {
    if (!this.enabled || ++this.events % 4096 !== 0) return;
    const now = Date.now();
    if (now - this.lastDraw < INTERVAL_MS) return;
    this.lastDraw = now;
    const seconds = (now - this.started) / 1000;
    const rate = Math.round(this.events / Math.max(seconds, 0.001));
    this.io.err(
      `\r\u001b[2Kreading: ${this.events.toLocaleString('en-US')} events (${rate.toLocaleString('en-US')}/s)`,
    );
    this.drawn = true;
  }

  /** Erases the line. */
  done(): void {
    if (this.drawn) this.io.err('\r\u001b[2K');
    this.drawn = false;
  }
}
