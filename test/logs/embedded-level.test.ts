/**
 * Levels that applications write inside a plain syslog message, read through
 * the whole pipeline (syslog header, service, recognisers), and near-misses
 * that must keep no level.
 */
import fc from 'fast-check';
import { embeddedLevel } from '../../src/logs/embedded-level';
import { parse } from './helpers';

const S = (program: string, message: string) => `Nov 22 06:01:02 host ${program}: ${message}`;

describe('a level written inside a syslog message', () => {
  it.each([
    ['gunicorn[321]', '[2026-11-22 06:01:13 +0000] [321] [CRITICAL] WORKER TIMEOUT (pid:400)', 'gunicorn', 'crit'],
    ['gunicorn[321]', '[2026-11-22 06:01:13 +0000] [321] [INFO] Booting worker with pid: 400', 'gunicorn', 'info'],
    ['php-fpm8.2[77]', '[WARNING] [pool www] server reached pm.max_children setting (5)', 'php-fpm', 'warning'],
    ['php-fpm[77]', '[22-Nov-2026 06:01:15] WARNING: [pool www] child 8123 exited on signal 9', 'php-fpm', 'warning'],
    ['myapp[78]', 'ERROR:django.request:Internal Server Error: /api/', 'myapp', 'error'],
    ['postgres[900]', '[3-1] user=app,db=shop ERROR:  relation "orderz" does not exist', 'postgresql', 'error'],
    [
      'postgres[900]',
      '[4-1] 2026-11-22 06:01:18 UTC [900] FATAL:  password authentication failed',
      'postgresql',
      'crit',
    ],
    [
      'mysqld[444]',
      '2026-11-22T06:01:11.000000Z 12 [Warning] [MY-010055] [Server] IP address could not be resolved',
      'mysql',
      'warning',
    ],
    [
      'mysqld[444]',
      '2026-11-22T06:01:12.000000Z 0 [System] [MY-010931] [Server] ready for connections',
      'mysql',
      undefined,
    ],
    ['mariadbd[444]', '2026-11-22  6:01:21 0 [ERROR] InnoDB: Unable to lock ./ibdata1 error: 11', 'mysql', 'error'],
    ['mariadbd[444]', '2026-11-22  6:01:21 0 [Note] InnoDB: Buffer pool(s) load completed', 'mysql', 'info'],
    ['redis-server[812]', '812:M 22 Nov 2026 06:01:06.123 # Error accepting a client connection', 'redis', 'warning'],
    ['redis-server[812]', '812:M 22 Nov 2026 06:01:22.001 * Background saving started by pid 999', 'redis', 'notice'],
    [
      'dockerd[700]',
      'time="2026-11-22T06:01:07Z" level=error msg="Handler for POST /containers/x/start returned error"',
      'docker',
      'error',
    ],
    ['containerd[701]', 'time="2026-11-22T06:01:23Z" level=warning msg="cleanup warnings"', 'docker', 'warning'],
    [
      'postfix/smtpd[1234]',
      'warning: unknown[203.0.113.9]: SASL LOGIN authentication failed: UGFzc3dvcmQ6',
      'postfix',
      'warning',
    ],
    ['postfix/master[1]', 'fatal: bind 0.0.0.0 port 25: Address already in use', 'postfix', 'crit'],
  ])('%s: %s', (program, message, service, level) => {
    const [event] = parse(S(program, message)).events;
    expect({ service: event!.service, level: event!.level }).toEqual({ service, level });
  });

  it.each([
    // sshd's `error:` lines are mostly what a peer did: they stay without a level (no error problem per attacker).
    ['sshd[42]', 'error: maximum authentication attempts exceeded for root from 192.0.2.1 port 5555 ssh2 [preauth]'],
    ['postfix/smtpd[1234]', 'NOQUEUE: reject: RCPT from unknown[203.0.113.9]: 554 5.7.1 Relay access denied'],
    ['kernel', '[12345.678] UFW BLOCK IN=eth0 OUT= SRC=192.0.2.1'],
    ['CRON[5555]', '(root) CMD (run-parts /etc/cron.hourly)'],
    ['myapp[78]', 'ERRORS: 3 jobs failed'],
    ['myapp[78]', '[Errors] none'],
    ['dockerd[700]', 'loglevel=error is not a level= field'],
    ['redis-server[812]', '812:M 22 Nov 2026 06:01:22.001 Background saving started'],
    ['mysqld[444]', 'a very long first token that never reaches a bracket within the first words [ERROR]'],
  ])('%s: %s keeps no level', (program, message) => {
    expect(parse(S(program, message)).events[0]!.level).toBeUndefined();
  });

  it('never throws and gives a level or nothing, whatever the text and service', () => {
    const services = fc.constantFrom(undefined, 'redis', 'docker', 'mysql', 'postgresql', 'postfix', 'gunicorn');
    fc.assert(
      fc.property(services, fc.string({ unit: 'binary', maxLength: 300 }), (service, text) => {
        const level = embeddedLevel(service, text);
        expect(['emerg', 'alert', 'crit', 'error', 'warning', 'notice', 'info', 'debug', undefined]).toContain(level);
      }),
    );
  });

  it('looks only at the front of a 10 MB message', () => {
    const huge = 'x'.repeat(10 * 1024 * 1024);
    expect(embeddedLevel('postgresql', `${huge} ERROR:  late`)).toBeUndefined();
    expect(embeddedLevel('docker', `${huge} level=error`)).toBeUndefined();
    expect(embeddedLevel(undefined, `[${huge}] [ERROR] late`)).toBeUndefined();
  });
});
