/**
 * Which service an event belongs to, from the program name, the systemd unit,
 * the format and (for headerless lines) the content. The event tracer groups
 * by it; recognisers are chosen by it.
 */
import type { LogEvent } from '../core/event';
import { BIND_CATEGORIES, readBindPrefix } from './formats/bind';

/** Program (or unit) names, lower-cased, mapped to a service. */
const BY_PROGRAM: Readonly<Record<string, string>> = {
  sshd: 'ssh',
  'sshd-session': 'ssh',
  'sshd-auth': 'ssh',
  ssh: 'ssh',
  dropbear: 'dropbear',
  nginx: 'nginx',
  lighttpd: 'lighttpd',
  haproxy: 'haproxy',
  httpd: 'apache',
  apache: 'apache',
  apache2: 'apache',
  django: 'django',
  gunicorn: 'gunicorn',
  uwsgi: 'uwsgi',
  tomcat: 'tomcat',
  postgres: 'postgresql',
  postgresql: 'postgresql',
  postmaster: 'postgresql',
  mysqld: 'mysql',
  mysql: 'mysql',
  mariadbd: 'mysql',
  mariadb: 'mysql',
  mongod: 'mongodb',
  mongodb: 'mongodb',
  'redis-server': 'redis',
  redis: 'redis',
  'fail2ban-server': 'fail2ban',
  fail2ban: 'fail2ban',
  postfix: 'postfix',
  exim: 'exim',
  exim4: 'exim',
  sendmail: 'sendmail',
  'sm-mta': 'sendmail',
  'sm-msp-queue': 'sendmail',
  'sm-acceptingconnections': 'sendmail',
  dovecot: 'dovecot',
  'imap-login': 'dovecot',
  'pop3-login': 'dovecot',
  'submission-login': 'dovecot',
  'managesieve-login': 'dovecot',
  'dovecot-auth': 'dovecot',
  'auth-worker': 'dovecot',
  sudo: 'sudo',
  su: 'su',
  cron: 'cron',
  dpkg: 'dpkg',
  crond: 'cron',
  anacron: 'cron',
  systemd: 'systemd',
  kernel: 'kernel',
  dockerd: 'docker',
  docker: 'docker',
  containerd: 'docker',
  vsftpd: 'vsftpd',
  named: 'named',
  proftpd: 'proftpd',
  'pure-ftpd': 'pure-ftpd',
  xinetd: 'xinetd',
  webmin: 'webmin',
  cyrus: 'cyrus',
  // Cyrus and Courier both name their daemons so: the message tells which.
  imap: 'imap',
  imaps: 'imap',
  imapd: 'imap',
  'imapd-ssl': 'imap',
  pop3: 'imap',
  pop3d: 'imap',
  'pop3d-ssl': 'imap',
  courierpop3login: 'courier',
  courieresmtpd: 'courier',
};

/** The service named by a program or unit token (`postfix/smtpd`, `sshd(pam_unix)`, `nginx.service`). */
export function serviceOfName(name: string): string | undefined {
  let n = name.toLowerCase();
  if (n.endsWith('.service')) n = n.slice(0, -8);
  const direct = BY_PROGRAM[n];
  if (direct) return direct;
  let cut = 0;
  while (cut < n.length && n[cut] !== '/' && n[cut] !== '(' && n[cut] !== '@') cut++;
  if (cut > 0 && cut < n.length) {
    const head = BY_PROGRAM[n.slice(0, cut)];
    if (head) return head;
  }
  if (n.startsWith('systemd-')) return 'systemd';
  if (n.startsWith('postgres')) return 'postgresql';
  // fail2ban logging to syslog under its logger's name (`fail2ban.actions[123]:`).
  if (n.startsWith('fail2ban.')) return 'fail2ban';
  // postfix's multiple instances: `postfix-incoming/smtpd`.
  if (n.startsWith('postfix-')) return 'postfix';
  // Debian names the binary php-fpm8.2 and the unit php8.2-fpm.
  if (n.startsWith('php') && n.includes('fpm')) return 'php-fpm';
  return undefined;
}

/** Services a format implies when the line names no program. */
const BY_FORMAT: Readonly<Record<string, string>> = {
  'nginx-error': 'nginx',
  'apache-error': 'apache',
  postgresql: 'postgresql',
  fail2ban: 'fail2ban',
  access: 'http',
};

/**
 * The service of `event`: program, then systemd unit, then format, then a
 * look at the content of lines that carry no header; else the program name.
 */
export function identifyService(event: LogEvent): string | undefined {
  if (event.program !== undefined) {
    const s = serviceOfName(event.program);
    if (s) return s;
  }
  const unit = event.fields?.unit;
  if (typeof unit === 'string') {
    const s = serviceOfName(unit);
    if (s) return s;
  }
  const byFormat = BY_FORMAT[event.format];
  if (byFormat) return byFormat;
  const logger = event.fields?.logger;
  if (typeof logger === 'string') {
    if (logger.startsWith('django')) return 'django';
    if (logger.startsWith('gunicorn')) return 'gunicorn';
  }
  const m = event.message;
  if (event.format === 'python' && m.includes('gunicorn')) return 'gunicorn';
  if (m.includes(' LOGIN: Client "')) return 'vsftpd';
  if (m.includes('uWSGI')) return 'uwsgi';
  if (event.program === 'auth' && DOVECOT_LEVELS.some((level) => m.startsWith(level))) return 'dovecot';
  // BIND's channel file with syslog-style stamps: `Oct 23 02:06:39 security: info: client ...`.
  if (event.program !== undefined && BIND_CATEGORIES.has(event.program) && readBindPrefix(m).level !== undefined) {
    return 'named';
  }
  return event.program;
}

/** How dovecot's own log file starts a message after the process name (`auth: Info: ...`). */
const DOVECOT_LEVELS = ['Info: ', 'Warning: ', 'Error: ', 'Fatal: ', 'Panic: ', 'Debug: '];
