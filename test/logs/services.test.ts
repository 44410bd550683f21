import { createEvent } from '../../src/core/event';
import { identifyService } from '../../src/logs/services';

const event = (init: Parameters<typeof createEvent>[0] extends infer T ? Partial<T> : never) =>
  createEvent({ source: 's', line: 1, raw: init.message ?? '', ...init });

describe('identifyService', () => {
  it.each([
    ['sshd', 'ssh'],
    ['sshd-session', 'ssh'],
    ['sshd(pam_unix)', 'ssh'],
    ['postfix/submission/smtpd', 'postfix'],
    ['httpd/backend1', 'apache'],
    ['apache2', 'apache'],
    ['nginx', 'nginx'],
    ['postgres', 'postgresql'],
    ['postgresql@16-main', 'postgresql'],
    ['mariadbd', 'mysql'],
    ['redis-server', 'redis'],
    ['fail2ban-server', 'fail2ban'],
    ['imap-login', 'dovecot'],
    ['CRON', 'cron'],
    ['systemd-logind', 'systemd'],
    ['kernel', 'kernel'],
    ['dockerd', 'docker'],
    ['containerd', 'docker'],
    ['vsftpd', 'vsftpd'],
    ['proftpd', 'proftpd'],
    ['uwsgi', 'uwsgi'],
    ['php-fpm8.2', 'php-fpm'],
    ['php8.2-fpm.service', 'php-fpm'],
    ['phpsessionclean', 'phpsessionclean'],
    ['sudo', 'sudo'],
    ['su', 'su'],
    ['myapp', 'myapp'],
  ])('names program %s as %s', (program, service) => {
    expect(identifyService(event({ program, format: 'syslog' }))).toBe(service);
  });

  it('uses the systemd unit when the program says nothing', () => {
    expect(identifyService(event({ program: 'python3', format: 'json', fields: { unit: 'gunicorn.service' } }))).toBe(
      'gunicorn',
    );
    expect(identifyService(event({ format: 'json', fields: { unit: 'ssh.service' } }))).toBe('ssh');
  });

  it('uses the format, the logger and the content of headerless lines', () => {
    expect(identifyService(event({ format: 'nginx-error' }))).toBe('nginx');
    expect(identifyService(event({ format: 'apache-error' }))).toBe('apache');
    expect(identifyService(event({ format: 'access' }))).toBe('http');
    expect(identifyService(event({ format: 'python', fields: { logger: 'django.request' } }))).toBe('django');
    expect(
      identifyService(
        event({ format: 'raw', message: 'Tue Mar  5 10:15:30 2024 [pid 1] [a] FAIL LOGIN: Client "1.2.3.4"' }),
      ),
    ).toBe('vsftpd');
    expect(identifyService(event({ format: 'raw', message: '*** Starting uWSGI 2.0.21 ***' }))).toBe('uwsgi');
    expect(identifyService(event({ format: 'raw', message: 'nothing to go by' }))).toBeUndefined();
  });
});
