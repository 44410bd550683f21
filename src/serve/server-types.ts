/**
 * What the server reads besides its source: the host's system samples.
 */
import type { HistoryPoint, ProcessSample, SystemSample } from './system-sample';

/** The system figures the server shows (a SystemSampler, or anything that keeps samples). */
export interface SystemView {
  latest(): SystemSample | undefined;
  history(): HistoryPoint[];
  processes(): ProcessSample[];
}
