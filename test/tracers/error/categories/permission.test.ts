import { recogniserTable } from './table';

recogniserTable(
  'permission and file-system recognisers',
  [
    {
      line: "PermissionError: [Errno 13] Permission denied: '/etc/app/secrets.yml'",
      rule: 'permission/eacces',
      subkind: 'access-denied',
      details: { code: 'EACCES', path: '/etc/app/secrets.yml' },
    },
    {
      line: '2024/03/01 10:00:00 [crit] 12#12: *3 open() "/var/www/html/index.html" failed (13: Permission denied), client: 198.51.100.2',
      rule: 'permission/eacces',
      subkind: 'access-denied',
      details: { path: '/var/www/html/index.html', code: 'EACCES' },
    },
    {
      line: "Error: EACCES: permission denied, open '/srv/app/config.json'",
      rule: 'permission/eacces',
      subkind: 'access-denied',
      details: { path: '/srv/app/config.json' },
    },
    {
      line: "chown: changing ownership of '/data/x': Operation not permitted",
      rule: 'permission/eperm',
      subkind: 'not-permitted',
      details: { code: 'EPERM', path: '/data/x' },
    },
    {
      line: "FileNotFoundError: [Errno 2] No such file or directory: '/etc/app/config.yml'",
      rule: 'permission/enoent',
      subkind: 'missing-path',
      details: { code: 'ENOENT', path: '/etc/app/config.yml' },
    },
    {
      line: 'java.io.FileNotFoundException: /opt/app/conf/app.properties (No such file or directory)',
      rule: 'permission/enoent',
      subkind: 'missing-path',
      details: { path: '/opt/app/conf/app.properties' },
    },
    {
      line: 'type=AVC msg=audit(1709287200.123:456): avc:  denied  { read } for  pid=2345 comm="httpd" name="index.html" dev="sda1" ino=1234 scontext=system_u:system_r:httpd_t:s0 tcontext=unconfined_u:object_r:user_home_t:s0 tclass=file permissive=0',
      rule: 'permission/selinux',
      subkind: 'selinux-denied',
      details: { pid: 2345, process: 'httpd', path: 'index.html' },
    },
    {
      line: 'audit: type=1400 audit(1709287200.123:77): apparmor="DENIED" operation="open" profile="/usr/sbin/mysqld" name="/data/mysql/ibdata1" pid=3456 comm="mysqld" requested_mask="r" denied_mask="r" fsuid=111 ouid=111',
      rule: 'permission/apparmor',
      subkind: 'apparmor-denied',
      details: { pid: 3456, process: 'mysqld', path: '/data/mysql/ibdata1' },
    },
  ],
  [
    { line: 'Permission denied (publickey).' },
    { line: 'alice@10.0.0.3: Permission denied (publickey,password).' },
    { line: 'permissions fixed on /var/lib/app' },
    { line: 'apparmor="ALLOWED" operation="open" profile="x" name="/etc/hosts" pid=1 comm="x"' },
  ],
);
