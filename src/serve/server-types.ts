/**
 * What the server reads besides its source: the host's system samples, and a
 * collector's host list.
 */
import type { HostHealth } from '../fleet/host-health';
import type { HistoryPoint, ProcessSample, SystemSample } from './system-sample';
import type { TickErrors } from './tick-errors';

/** The system figures the server shows (a SystemSampler, or anything that keeps samples). */
export interface SystemView {
  latest(): SystemSample | undefined;
  history(): HistoryPoint[];
  processes(): ProcessSample[];
  /** Errors of the sampling so far (a SystemSampler's). */
  readonly errors?: Pick<TickErrors, 'total' | 'failing' | 'list'>;
}

/** A collector's host list, read at each request and scrape (`collect --serve`). */
export type HostsView = () => HostHealth[];
