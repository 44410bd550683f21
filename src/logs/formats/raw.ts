/**
 * The fallback: the whole line as the message, no header read. Events of this
 * format are counted as unparsed; recognisers still look at them.
 */
import { createEvent } from '../../core/event';
import type { LogFormat } from './types';

/** No header parsing (also what `--format raw` forces). */
export const rawFormat: LogFormat = {
  name: 'raw',
  accepts: () => true,
  parse: (line) => createEvent({ source: line.source, line: line.line, raw: line.text, format: 'raw' }),
};
