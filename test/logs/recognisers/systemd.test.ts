/**
 * systemd's lines about the services it manages, as systemd 219 to 255 write
 * them (syslog files and `journalctl` short output), and lines that say
 * nothing about a unit's fate.
 */
import fc from 'fast-check';
import { recogniseUnit } from '../../../src/logs/recognisers/systemd';
import { eventOf } from '../helpers';

const S = (message: string) => `Nov 22 06:10:02 db systemd[1]: ${message}`;

describe('systemd unit lines', () => {
  it.each([
    [
      'postgresql@15-main.service: Main process exited, code=killed, status=9/KILL',
      'unit.failed',
      'failure',
      { managedUnit: 'postgresql@15-main.service', exitCode: 'killed', exitStatus: '9/KILL' },
    ],
    [
      'nginx.service: Main process exited, code=exited, status=1/FAILURE',
      'unit.failed',
      'failure',
      { managedUnit: 'nginx.service', exitCode: 'exited', exitStatus: '1/FAILURE' },
    ],
    [
      'app.service: Main process exited, code=dumped, status=11/SEGV',
      'unit.failed',
      'failure',
      { managedUnit: 'app.service', exitCode: 'dumped', exitStatus: '11/SEGV' },
    ],
    [
      'backup.service: Main process exited, code=exited, status=0/SUCCESS',
      'unit.stopped',
      'success',
      { managedUnit: 'backup.service', exitCode: 'exited', exitStatus: '0/SUCCESS' },
    ],
    [
      "postgresql@15-main.service: Failed with result 'oom-kill'.",
      'unit.failed',
      'failure',
      { managedUnit: 'postgresql@15-main.service', result: 'oom-kill' },
    ],
    [
      'gunicorn.service: A process of this unit has been killed by the OOM killer.',
      'unit.failed',
      'failure',
      { managedUnit: 'gunicorn.service', result: 'oom-kill' },
    ],
    [
      'nginx.service: Scheduled restart job, restart counter is at 3.',
      'unit.restart',
      'unknown',
      { managedUnit: 'nginx.service' },
    ],
    [
      'redis-server.service: Deactivated successfully.',
      'unit.stopped',
      'success',
      { managedUnit: 'redis-server.service' },
    ],
    [
      'Started nginx.service - A high performance web server and a reverse proxy server.',
      'unit.started',
      'success',
      { managedUnit: 'nginx.service', description: 'A high performance web server and a reverse proxy server' },
    ],
    [
      'Failed to start php8.2-fpm.service - The PHP 8.2 FastCGI Process Manager.',
      'unit.failed',
      'failure',
      { managedUnit: 'php8.2-fpm.service', description: 'The PHP 8.2 FastCGI Process Manager' },
    ],
    [
      'Stopped A high performance web server and a reverse proxy server.',
      'unit.stopped',
      'success',
      { description: 'A high performance web server and a reverse proxy server' },
    ],
    // systemd 219 (CentOS 7).
    [
      'nginx.service: main process exited, code=exited, status=1/FAILURE',
      'unit.failed',
      'failure',
      { managedUnit: 'nginx.service', exitCode: 'exited', exitStatus: '1/FAILURE' },
    ],
    ['Unit nginx.service entered failed state.', 'unit.failed', 'failure', { managedUnit: 'nginx.service' }],
    ['nginx.service failed.', 'unit.failed', 'failure', { managedUnit: 'nginx.service' }],
  ])('%s', (message, action, outcome, fields) => {
    const event = eventOf(S(message));
    expect({ service: event.service, action: event.action, outcome: event.outcome, hostile: event.hostile }).toEqual({
      service: 'systemd',
      action,
      outcome,
      hostile: false,
    });
    expect(event.fields).toEqual(fields);
  });

  it.each([
    'Starting nginx.service - A high performance web server and a reverse proxy server...',
    'nginx.service: Consumed 1.234s CPU time.',
    'Reached target multi-user.target - Multi-User System.',
    'session-4.scope: Deactivated successfully.',
    'Started session-4.scope - Session 4 of User alice.',
    'Failed to start user@1000.socket.',
    'Startup finished in 2.345s (kernel) + 5.678s (userspace) = 8.023s.',
    "evil: Failed with result 'signal'.",
    "x.service: Failed with result 'unterminated",
  ])('%s says nothing about a service unit', (message) => {
    expect(eventOf(S(message)).action).toBeUndefined();
  });

  it('never throws and names a unit only when the text holds it', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        const change = recogniseUnit(text);
        const unit = change?.fields.managedUnit;
        if (unit !== undefined) {
          expect(text).toContain(unit);
          expect(unit.endsWith('.service')).toBe(true);
        }
      }),
    );
  });
});

describe('systemd unit lines from the journal', () => {
  it("takes the unit of a job line that names only its description from journald's UNIT field", () => {
    const entry = {
      __REALTIME_TIMESTAMP: '1709633402000000',
      PRIORITY: '6',
      SYSLOG_IDENTIFIER: 'systemd',
      _PID: '1',
      _SYSTEMD_UNIT: 'init.scope',
      UNIT: 'nginx.service',
      MESSAGE: 'Started A high performance web server and a reverse proxy server.',
    };
    const event = eventOf(JSON.stringify(entry));
    expect({ format: event.format, action: event.action }).toEqual({ format: 'json', action: 'unit.started' });
    expect(event.fields).toMatchObject({
      managedUnit: 'nginx.service',
      description: 'A high performance web server and a reverse proxy server',
    });
  });
});
