import { severity, severityBand } from '../../../src/tracers/event/severity';
import { ev, type Spec } from './events';

const cases: [string, Spec, number][] = [
  ['an info line with no action', { level: 'info', message: 'Order A-1 created' }, 10],
  ['a debug line', { level: 'debug', message: 'cache hit' }, 0],
  ['a line without a level', { message: 'something' }, 10],
  ['a warning', { level: 'warning', message: 'Not Found: /x' }, 40],
  ['an error', { level: 'error', message: 'Internal Server Error: /api/' }, 60],
  ['a crit level', { level: 'crit', message: 'raid degraded' }, 80],
  ['an emerg level', { level: 'emerg', message: 'system is unusable' }, 100],
  [
    'an OOM kill at info level',
    { level: 'info', action: 'oom.kill', message: 'Out of memory: Killed process 1 (x)' },
    90,
  ],
  ['a full disk', { level: 'error', action: 'disk.full', message: 'write failed' }, 85],
  ['a PostgreSQL PANIC', { level: 'crit', message: 'PANIC:  could not write to file "pg_wal/xlogtemp.1"' }, 95],
  ['a kernel panic', { message: 'Kernel panic - not syncing: Fatal exception' }, 100],
  ['no space left, by content', { level: 'error', message: 'could not extend file: No space left on device' }, 85],
  ['a deadlock', { level: 'error', message: 'deadlock detected' }, 65],
  ['too many clients', { level: 'crit', message: 'sorry, too many clients already' }, 80],
  [
    'a failed login (hostile)',
    { level: 'info', action: 'auth.failure', hostile: true, message: 'Failed password' },
    40,
  ],
  ['a ban', { level: 'notice', action: 'ip.ban', message: '[sshd] Ban 192.0.2.1' }, 50],
  ['an accepted login', { level: 'info', action: 'auth.success', message: 'Accepted publickey' }, 15],
  [
    'a hostile line of low score gets the floor',
    { level: 'info', action: 'auth.preauth_disconnect', hostile: true, message: 'Connection closed' },
    35,
  ],
  ['an HTTP 502', { action: 'http.request', status: 502, message: 'GET /' }, 50],
  ['an HTTP 404', { action: 'http.request', status: 404, message: 'GET /x' }, 20],
  ['an HTTP 200 at debug level', { level: 'debug', action: 'http.request', status: 200, message: 'GET /' }, 5],
  [
    'a traceback at info level',
    { level: 'info', message: 'oops', raw: 'oops\nTraceback (most recent call last):\n  File "x"' },
    60,
  ],
];

describe('severity', () => {
  it.each(cases)('scores %s', (_name, spec, expected) => {
    expect(severity(ev(spec))).toBe(expected);
  });

  it('names the bands at 30, 60 and 80', () => {
    expect([0, 29, 30, 59, 60, 79, 80, 100].map(severityBand)).toEqual([
      'low',
      'low',
      'medium',
      'medium',
      'high',
      'high',
      'critical',
      'critical',
    ]);
  });
});
