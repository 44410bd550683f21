/**
 * The bundled sample data (examples/data) through the real pipeline (sources,
 * format parsers, recognisers, service names) and the event tracer: the chains
 * examples/data/README.md documents, exactly.
 */
import { join } from 'node:path';
import { readEvents } from '../../../src/logs/read-events';
import { readLines } from '../../../src/logs/sources';
import { EventTracer } from '../../../src/tracers/event';

const DATA = join(__dirname, '..', '..', '..', 'examples', 'data');
const FILES = [
  'auth.log',
  'fail2ban.log',
  'nginx/access.log',
  'nginx/error.log',
  'django.log',
  'postgresql/postgresql-15-main.log',
  'kern.log',
];

async function analyse(files: string[]): Promise<EventTracer> {
  const tracer = new EventTracer();
  const events = readEvents(
    readLines(files.map((file) => join(DATA, file))),
    // The syslog files have no year: anchor them in 2026 like the other files.
    { timezone: 'UTC', referenceDate: Date.parse('2026-12-31T00:00:00Z') },
  );
  for await (const event of events) tracer.ingest(event);
  await tracer.finish();
  return tracer;
}

const EXPECTED: [string, string][] = [
  [
    'service-down:postgresql:2026-03-14T01:15:20.412Z',
    'postgresql was unreachable for django from 01:15:20 to 01:15:41: 2 refused connections (django); back at 01:16:04 (44 s after the first failure)',
  ],
  [
    'oom-kill:gunicorn:2345:2026-03-14T02:47:12.000Z',
    'the OOM killer killed gunicorn (pid 2345) at 02:47:12; then 10 failures elsewhere within 5 min: nginx (5), http (5)',
  ],
  [
    'service-down:gunicorn:2026-03-14T02:47:12.000Z',
    'gunicorn was unreachable for http, nginx from 02:47:12 to 02:48:33: 5 HTTP 502 answers (http), 4 refused connections (nginx); back at 02:48:52 (101 s after the first failure)',
  ],
  [
    'auth-failures:203.0.113.45',
    '203.0.113.45: 11 failed logins (ssh) for 5 users (admin, root, test, ubuntu, pi) over 29 min: 4 for invalid users (admin, test, ubuntu, pi), 7 wrong passwords, 11 PAM authentication failures',
  ],
  [
    'ban:203.0.113.45:2026-03-14T03:12:23.871Z',
    '203.0.113.45 banned by fail2ban [sshd] at 03:12:23 after 5 failed logins (ssh) over 23 s; unbanned at 03:22:23 (10 min later)',
  ],
  [
    'repeat-offence:203.0.113.45:2026-03-14T03:41:30.244Z',
    '203.0.113.45 came back 19 min after its unban at 03:22:23: 5 failed logins (ssh), banned again by fail2ban [sshd] at 03:41:30 (ban 2); unbanned at 04:01:30 (20 min later)',
  ],
  [
    'auth-failures:198.51.100.10',
    '198.51.100.10: 3 failed logins (ssh) for 3 users (oracle, ftpuser, guest) over 12 min: 3 for invalid users (oracle, ftpuser, guest), 3 PAM authentication failures',
  ],
  [
    'auth-failures:198.51.100.11',
    '198.51.100.11: 3 failed logins (ssh) for 3 users (postgres, jenkins, administrator) over 12 min: 2 for invalid users (jenkins, administrator), 1 wrong password, 3 PAM authentication failures',
  ],
  [
    'auth-failures:198.51.100.12',
    '198.51.100.12: 3 failed logins (ssh) for 3 users (git, hadoop, user) over 12 min: 2 for invalid users (hadoop, user), 1 wrong password, 3 PAM authentication failures',
  ],
  [
    'auth-failures:198.51.100.13',
    '198.51.100.13: 3 failed logins (ssh) for 3 users (ubuntu, minecraft, nagios) over 12 min: 3 for invalid users (ubuntu, minecraft, nagios), 3 PAM authentication failures',
  ],
  [
    'auth-failures:198.51.100.14',
    '198.51.100.14: 3 failed logins (ssh) for 3 users (test, support, ansible) over 12 min: 3 for invalid users (test, support, ansible), 3 PAM authentication failures',
  ],
  ['auth-failures:192.0.2.200', '192.0.2.200: 3 failed logins (ssh) for 1 user (git) over 2 s: 3 rejected keys'],
  [
    'auth-failures:192.0.2.77',
    '192.0.2.77: 4 failed logins (ssh) for 1 user (backup) over 66 s: 4 wrong passwords, 4 PAM authentication failures',
  ],
  [
    'compromise:192.0.2.77:2026-03-14T05:19:31.000Z',
    'possible compromise: 192.0.2.77 logged in as backup (ssh) at 05:19:31 after 4 failed logins for backup within 107 s',
  ],
];

describe('the sample data through the parsers and the event tracer', () => {
  let tracer: EventTracer;
  beforeAll(async () => {
    tracer = await analyse(FILES);
  });

  it('finds exactly the chains examples/data/README.md documents', () => {
    expect(tracer.keyedChains().map((chain) => [chain.key, chain.data.summary])).toEqual(EXPECTED);
  });

  it('cites the lines of the evidence: the ban chain points into auth.log and fail2ban.log', () => {
    const ban = tracer.keyedChains().find((chain) => chain.key.startsWith('ban:'))!.data;
    expect(ban.steps.map((s) => [s.source.slice(DATA.length + 1), s.line, s.action])).toEqual([
      ['auth.log', 69, 'auth.invalid_user'],
      ['auth.log', 72, 'auth.failure'],
      ['auth.log', 75, 'auth.failure'],
      ['auth.log', 80, 'auth.invalid_user'],
      ['auth.log', 84, 'auth.failure'],
      ['fail2ban.log', 7, 'ip.ban'],
      ['fail2ban.log', 10, 'ip.unban'],
    ]);
  });

  it('finds the same chains whatever order the files are read in', async () => {
    const reversed = await analyse([...FILES].reverse());
    expect(reversed.keyedChains().map((chain) => chain.key)).toEqual(EXPECTED.map(([key]) => key));
  });

  it('names the busiest addresses and services in its statistics', () => {
    const stats = tracer.stats();
    expect(stats.topIps.slice(0, 2)).toEqual([
      { ip: '203.0.113.45', count: 53 },
      { ip: '192.0.2.10', count: 52 },
    ]);
    expect(stats.byService).toMatchObject({ ssh: 154, http: 205, postgresql: 53, kernel: 58, fail2ban: 39 });
    expect(stats.first).toBe('2026-03-14T00:00:01.000Z');
  });
});
