import type { LogEvent } from '../../../src/core/event';
import { EventTracer } from '../../../src/tracers/event';
import { accepted, ev, f2b, failed, iso } from './events';

function run(events: LogEvent[], limits = {}) {
  const tracer = new EventTracer(limits);
  for (const event of events) tracer.ingest(event);
  return tracer;
}

const BF = '203.0.113.45';

describe('login chains', () => {
  it('links failed logins to the fail2ban ban and its unban, and the repeat offence to the second ban', () => {
    const events = [
      // fail2ban's log read first: chains must not depend on file order.
      f2b('03:12:23.871', BF, 'Ban'),
      f2b('03:22:23.912', BF, 'Unban'),
      f2b('03:41:30.244', BF, 'Ban'),
      failed('03:12:01', BF, 'admin', true),
      failed('03:12:06', BF),
      failed('03:12:11', BF),
      failed('03:12:17', BF, 'test', true),
      failed('03:12:23', BF),
      failed('03:12:24', BF),
      failed('03:41:02', BF),
      failed('03:41:08', BF, 'ubuntu', true),
      failed('03:41:30', BF),
    ];
    const chains = run(events).keyedChains();
    expect(chains.map((c) => [c.key, c.data.kind, c.data.start, c.data.end, c.data.steps.length])).toEqual([
      [`auth-failures:${BF}`, 'auth-failures', iso('03:12:01'), iso('03:41:30'), 9],
      [`ban:${BF}:${iso('03:12:23.871')}`, 'ban', iso('03:12:01'), iso('03:22:23.912'), 7],
      [`repeat-offence:${BF}:${iso('03:41:30.244')}`, 'repeat-offence', iso('03:22:23.912'), iso('03:41:30.244'), 5],
    ]);
    const [summary, ban, repeat] = chains.map((c) => c.data);
    expect(ban!.summary).toBe(
      '203.0.113.45 banned by fail2ban [sshd] at 03:12:23 after 5 failed logins (ssh) over 23 s; unbanned at 03:22:23 (10 min later)',
    );
    expect(ban!.steps.map((s) => s.action)).toEqual([...Array(5).fill('auth.failure'), 'ip.ban', 'ip.unban']);
    expect(ban!.details).toEqual({
      jail: 'sshd',
      banNumber: 1,
      failedLogins: 5,
      fail2banMatches: 0,
      users: ['admin', 'root', 'test'],
      bannedAt: iso('03:12:23.871'),
      unbannedAt: iso('03:22:23.912'),
    });
    expect(repeat!.summary).toBe(
      '203.0.113.45 came back 19 min after its unban at 03:22:23: 3 failed logins (ssh), banned again by fail2ban [sshd] at 03:41:30 (ban 2); still banned at the end of the logs',
    );
    expect(repeat!.steps.map((s) => s.action)).toEqual([
      'ip.unban',
      'auth.failure',
      'auth.failure',
      'auth.failure',
      'ip.ban',
    ]);
    expect(summary!.summary).toBe(
      '203.0.113.45: 9 failed logins (ssh) for 4 users (admin, root, test, ubuntu) over 29 min: 3 for invalid users (admin, test, ubuntu), 6 wrong passwords',
    );
  });

  it('uses fail2ban matches as the evidence of a ban when the failures themselves were not read', () => {
    const chains = run([
      f2b('10:00:01', BF, 'Found'),
      f2b('10:00:09', BF, 'Found'),
      f2b('10:00:10', BF, 'Ban'),
    ]).chains();
    expect(chains.map((c) => c.summary)).toEqual([
      '203.0.113.45 banned by fail2ban [sshd] at 10:00:10 after 2 fail2ban matches over 9 s; still banned at the end of the logs',
    ]);
  });

  it('counts only failures of the service the jail watches', () => {
    const web = ev({
      at: '09:59:59',
      ip: BF,
      service: 'nginx',
      action: 'http.auth_failure',
      hostile: true,
      message: 'user "x": password mismatch',
    });
    const chains = run([web, failed('10:00:00', BF), f2b('10:00:10', BF, 'Ban')]).chains();
    expect(chains[0]!.details).toMatchObject({ failedLogins: 1 });
  });

  it('flags a success after failures from the same address as a possible compromise', () => {
    const ip = '192.0.2.77';
    const chains = run([
      failed('05:17:44', ip, 'backup'),
      failed('05:18:07', ip, 'backup'),
      failed('05:18:33', ip, 'backup'),
      failed('05:19:02', ip, 'backup'),
      accepted('05:19:31', ip, 'backup'),
    ]).chains();
    const compromise = chains.find((c) => c.kind === 'compromise')!;
    expect(compromise).toEqual({
      kind: 'compromise',
      summary:
        'possible compromise: 192.0.2.77 logged in as backup (ssh) at 05:19:31 after 4 failed logins for backup within 107 s',
      ip,
      service: 'ssh',
      steps: expect.any(Array),
      start: iso('05:17:44'),
      end: iso('05:19:31'),
      severity: 90,
      details: { user: 'backup', failedLogins: 4, users: ['backup'], sameUser: true },
    });
    expect(compromise.steps.map((s) => s.action)).toEqual([...Array(4).fill('auth.failure'), 'auth.success']);
  });

  it.each([
    [
      'a success with fewer failures than the minimum',
      [failed('05:00:00', '192.0.2.9'), failed('05:00:05', '192.0.2.9'), accepted('05:00:09', '192.0.2.9', 'root')],
    ],
    ['a success with no failure (an admin key login)', [accepted('05:00:09', '10.0.0.5', 'deploy')]],
    [
      'failures from another address',
      [
        failed('05:00:00', '192.0.2.8'),
        failed('05:00:01', '192.0.2.8'),
        failed('05:00:02', '192.0.2.8'),
        accepted('05:00:09', '192.0.2.9', 'root'),
      ],
    ],
    [
      'failures older than the lookback',
      [
        failed('00:00:00', '192.0.2.9'),
        failed('00:00:01', '192.0.2.9'),
        failed('00:00:02', '192.0.2.9'),
        accepted('05:00:09', '192.0.2.9', 'root'),
      ],
    ],
  ])('does not flag %s', (_name, events) => {
    const kinds = run(events as LogEvent[], { eventCompromiseLookbackMs: 3_600_000 })
      .chains()
      .map((c) => c.kind);
    expect(kinds).not.toContain('compromise');
  });

  it('summarises root causes: invalid users, rejected keys, PAM failures', () => {
    const ip = '192.0.2.200';
    const key = (at: string) =>
      ev({
        at,
        ip,
        user: 'git',
        service: 'ssh',
        action: 'auth.failure',
        hostile: true,
        message: `Failed publickey for git from ${ip} port 60222 ssh2: RSA SHA256:x`,
      });
    const pam = ev({
      at: '04:33:40',
      ip,
      service: 'ssh',
      action: 'auth.failure',
      hostile: true,
      message: `pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${ip}`,
    });
    const invalid = ev({
      at: '04:33:39',
      ip,
      user: 'oracle',
      service: 'ssh',
      action: 'auth.invalid_user',
      hostile: true,
      message: `Invalid user oracle from ${ip} port 1`,
    });
    const chains = run([invalid, pam, key('04:33:42'), key('04:33:43'), key('04:33:44')]).chains();
    expect(chains.map((c) => [c.kind, c.summary])).toEqual([
      [
        'auth-failures',
        '192.0.2.200: 3 failed logins (ssh) for 2 users (oracle, git) over 2 s: invalid users (oracle), 3 rejected keys, 1 PAM authentication failure',
      ],
    ]);
    expect(chains[0]!.details).toEqual({
      failedLogins: 3,
      users: ['oracle', 'git'],
      invalidUsers: ['oracle'],
      causes: { invalidUser: 0, badKey: 3, password: 0, pam: 1, maxAttempts: 0, other: 0 },
      services: ['ssh'],
    });
  });

  it('names no users when the log named none (SASL failures)', () => {
    const ip = '198.51.100.61';
    const sasl = (at: string) =>
      ev({
        at,
        ip,
        service: 'postfix',
        action: 'auth.failure',
        hostile: true,
        message: `warning: unknown[${ip}]: SASL LOGIN authentication failed: UGFzc3dvcmQ6`,
      });
    const chains = run([sasl('04:33:40'), sasl('04:33:41'), sasl('04:33:42')]).chains();
    expect(chains.map((c) => c.summary)).toEqual([`${ip}: 3 failed logins (postfix) over 2 s: 3 wrong passwords`]);
  });
});

describe('outage chains', () => {
  const refused = (at: string) =>
    ev({
      at,
      service: 'django',
      level: 'error',
      message: 'Internal Server Error: /api/orders/',
      raw: 'Internal Server Error: /api/orders/\nTraceback (most recent call last):\npsycopg2.OperationalError: could not connect to server: Connection refused\n\tIs the server running on host "127.0.0.1" and accepting\n\tTCP/IP connections on port 5432?',
    });
  const pgUp = ev({ at: '01:16:04.880', service: 'postgresql', level: 'info', message: 'starting PostgreSQL 15.6' });

  it('names the service a refused connection pointed at (by port) and its recovery', () => {
    const chains = run([pgUp, refused('01:15:20.412'), refused('01:15:41.087')]).chains();
    expect(chains).toEqual([
      {
        kind: 'service-down',
        summary:
          'postgresql was unreachable for django from 01:15:20 to 01:15:41: 2 refused connections (django); back at 01:16:04 (44 s after the first failure)',
        ip: null,
        service: 'postgresql',
        steps: [
          expect.objectContaining({ action: 'conn.refused', at: iso('01:15:20.412') }),
          expect.objectContaining({ action: 'conn.refused', at: iso('01:15:41.087') }),
          expect.objectContaining({
            action: 'service.recovered',
            at: iso('01:16:04.880'),
            message: 'starting PostgreSQL 15.6',
          }),
        ],
        start: iso('01:15:20.412'),
        end: iso('01:16:04.880'),
        severity: 60,
        details: {
          troubles: 2,
          reportedBy: ['django'],
          tier: 'postgresql',
          recoveredAt: iso('01:16:04.880'),
          cause: null,
        },
      },
    ]);
  });

  it("blames a proxy's 502 on its upstream and joins it with the refusals naming the upstream's port", () => {
    const chains = run([
      ev({ at: '02:40:00', service: 'django', level: 'info', message: 'Order A-1 created' }),
      ev({
        at: '02:47:12',
        service: 'nginx',
        action: 'http.request',
        status: 502,
        message: 'GET /api/orders/ HTTP/1.1',
      }),
      ev({
        at: '02:47:19',
        service: 'nginx',
        level: 'error',
        message:
          'connect() failed (111: Connection refused) while connecting to upstream, upstream: "http://127.0.0.1:8000/api/orders/"',
      }),
      ev({
        at: '02:47:19',
        service: 'nginx',
        action: 'http.request',
        status: 502,
        message: 'GET /api/orders/ HTTP/1.1',
      }),
      ev({ at: '02:48:55.022', service: 'django', level: 'info', message: 'health check ok' }),
    ]).chains();
    expect(chains.map((c) => [c.kind, c.service, c.summary])).toEqual([
      [
        'service-down',
        'gunicorn',
        'gunicorn was unreachable for nginx from 02:47:12 to 02:47:19: 2 HTTP 502 answers (nginx), 1 refused connection (nginx); back at 02:48:55 (103 s after the first failure)',
      ],
    ]);
  });

  it('splits troubles further apart than the gap into two outages and says when no recovery was seen', () => {
    const chains = run([refused('01:00:00'), refused('02:00:00')]).chains();
    expect(chains.map((c) => [c.start, c.summary.endsWith('no recovery seen in the logs'), c.severity])).toEqual([
      [iso('01:00:00'), true, 75],
      [iso('02:00:00'), true, 75],
    ]);
  });

  it.each([
    [
      'an info line quoting a refusal',
      ev({ at: '01:00:00', service: 'django', level: 'info', message: 'retrying after Connection refused' }),
    ],
    [
      'a hostile line',
      ev({ at: '01:00:00', service: 'ssh', level: 'error', hostile: true, message: 'Connection refused' }),
    ],
    [
      'a 502 from a service that fronts nothing',
      ev({ at: '01:00:00', service: 'django', status: 502, message: 'GET /' }),
    ],
    ['a 500 from a proxy', ev({ at: '01:00:00', service: 'nginx', status: 500, message: 'GET /' })],
  ])('ignores %s', (_name, event) => {
    expect(run([event]).chains()).toEqual([]);
  });
});

describe('resource chains', () => {
  const oom = ev({
    at: '02:47:12',
    service: 'kernel',
    program: 'kernel',
    action: 'oom.kill',
    level: 'error',
    message:
      'Out of memory: Killed process 2345 (gunicorn) total-vm:1845632kB, anon-rss:1523412kB, file-rss:0kB, shmem-rss:0kB, UID:33 pgtables:3180kB oom_score_adj:0',
  });

  it('links an OOM kill to the failures of other services within the window', () => {
    const chains = run([
      ev({ at: '02:47:12', service: 'nginx', status: 502, message: 'GET /a' }),
      ev({ at: '02:47:11', service: 'nginx', status: 502, message: 'GET /before' }),
      ev({
        at: '02:47:12.100',
        service: 'kernel',
        level: 'error',
        message: 'oom_reaper: reaped process 2345 (gunicorn)',
      }),
      oom,
      ev({ at: '02:48:00', service: 'nginx', level: 'error', message: 'upstream prematurely closed connection' }),
      ev({ at: '02:50:00', service: 'django', level: 'error', message: 'Internal Server Error: /x' }),
      ev({ at: '02:53:00', service: 'django', level: 'error', message: 'too late' }),
      ev({
        at: '02:49:00',
        service: 'ssh',
        level: 'info',
        action: 'auth.failure',
        outcome: 'failure',
        hostile: true,
        ip: '192.0.2.1',
        message: 'Failed password',
      }),
    ]).chains();
    const chain = chains.find((c) => c.kind === 'oom-kill')!;
    expect(chain.summary).toBe(
      'the OOM killer killed gunicorn (pid 2345) at 02:47:12; then 3 failures elsewhere within 5 min: nginx (2), django (1)',
    );
    expect(chain.details).toEqual({
      pid: 2345,
      process: 'gunicorn',
      downstreamFailures: 3,
      downstreamServices: ['nginx', 'django'],
      unsampledFailures: 0,
    });
    expect(chain.steps.map((s) => s.message)).toEqual([
      oom.message,
      'GET /a',
      'upstream prematurely closed connection',
      'Internal Server Error: /x',
    ]);
  });

  it('makes one chain of a run of disk-full events and lists their effects', () => {
    const full = (at: string) =>
      ev({
        at,
        service: 'postgresql',
        level: 'crit',
        action: 'disk.full',
        message: 'PANIC:  could not write to file "pg_wal/xlogtemp.1": No space left on device',
      });
    const chains = run([
      full('04:00:00'),
      full('04:00:30'),
      ev({
        at: '04:00:40',
        service: 'django',
        level: 'error',
        message: 'OperationalError: server closed the connection unexpectedly',
      }),
    ]).chains();
    expect(chains.map((c) => [c.kind, c.service, c.details])).toEqual([
      ['disk-full', 'postgresql', { downstreamFailures: 1, downstreamServices: ['django'], unsampledFailures: 0 }],
    ]);
  });
});
