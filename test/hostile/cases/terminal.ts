/**
 * Terminal injection: the hostile text, and the arguments a CLI error message
 * echoes. Shared by the test and docs/hostile-input.md.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A title change (OSC 0), clear screen, colour, carriage return, right-to-left override, C1 CSI, backspace. */
export const EVIL = '\u001b]0;pwned\u0007\u001b[2J\u001b[31mroot\r\u202eevil\u009b1m\b';

/** Arguments whose values an error message echoes: [what, argv]. */
export const ARGUMENT_CASES: [string, string[]][] = [
  ['a missing file', ['analyze', `/nonexistent/${EVIL}.log`]],
  ['a missing file (events)', ['events', `/nonexistent/${EVIL}.log`]],
  ['a missing file (errors)', ['errors', `/nonexistent/${EVIL}.log`]],
  ['a missing file (templates)', ['templates', '--ndjson', `/nonexistent/${EVIL}.log`]],
  ['an unknown format', ['analyze', '--format', EVIL, '/dev/null']],
  ['an unknown format (events)', ['events', '--format', EVIL, '/dev/null']],
  ['an unknown format (errors)', ['errors', '--format', EVIL, '/dev/null']],
  ['an unknown timezone', ['analyze', '--timezone', EVIL, '/dev/null']],
  ['an unknown timezone (events)', ['events', '--timezone', EVIL, '/dev/null']],
  ['an unknown mode (events)', ['events', '--mode', EVIL, '/dev/null']],
  ['an unreadable reference date (events)', ['events', '--reference-date', EVIL, '/dev/null']],
  ['an unknown format (templates)', ['templates', '--ndjson', '--format', EVIL, '/dev/null']],
  ['an unreadable date', ['analyze', '--since', EVIL, '/dev/null']],
  ['a bad whitelist entry', ['analyze', '--whitelist', EVIL, '/dev/null']],
  ['a missing cloud range file', ['analyze', '--cloud-ranges', `/nonexistent/${EVIL}`, '/dev/null']],
  ['a missing GeoIP database', ['analyze', '--geoip', `/nonexistent/${EVIL}`, '/dev/null']],
  ['an unwritable reputation path', ['analyze', '--reputation', `/nonexistent/${EVIL}.json`, '/dev/null']],
  ['an unknown option', ['analyze', `--${EVIL}`]],
  ['an unknown command', [EVIL]],
  ['an invalid address', ['ip', `${EVIL}1.2.3.4`]],
  ['a bad poll interval', ['watch', '--poll', EVIL, '/dev/null']],
  ['a missing proc root', ['snapshot', '--proc-root', `/nonexistent/${EVIL}`]],
  [
    'a missing reputation database',
    ['reputation', 'merge', '-o', join(tmpdir(), 'x.json'), `/nonexistent/${EVIL}.json`],
  ],
  ['a bad errors limit', ['errors', '--limit', EVIL, '/dev/null']],
];
