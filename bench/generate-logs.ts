/**
 * Generated logs for the benchmarks: deterministic (seeded), realistic in
 * shape and mix, and large. `generateAuthLog` is the auth.log of the parsing
 * benchmark; `writeMixedLogs` adds an nginx access log, a Django application
 * log and a kern.log around it, the host that `logsleuth analyze` is pointed at.
 */
import { closeSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** A deterministic pseudo-random generator (xorshift32), so every run parses the same file. */
export function random(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const USERS = ['root', 'admin', 'test', 'oracle', 'ubuntu', 'git', 'postgres', 'user', 'pi', 'deploy'];

/** The generated auth.log text. */
export function generateAuthLog(lines: number): string {
  const next = random(0x9e3779b9);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  const ip = () =>
    `${1 + Math.floor(next() * 223)}.${Math.floor(next() * 256)}.${Math.floor(next() * 16)}.${Math.floor(next() * 16)}`;
  const out: string[] = [];
  let second = 0;
  for (let i = 0; i < lines; i++) {
    second += Math.floor(next() * 3);
    const month = MONTHS[Math.floor(second / (86400 * 28)) % 12]!;
    const day = String(1 + (Math.floor(second / 86400) % 28)).padStart(2, ' ');
    const time = new Date((second % 86400) * 1000).toISOString().slice(11, 19);
    const pid = 1000 + Math.floor(next() * 60000);
    const head = `${month} ${day} ${time} bastion`;
    const r = next();
    const port = 1024 + Math.floor(next() * 60000);
    if (r < 0.35) out.push(`${head} sshd[${pid}]: Failed password for ${pick(USERS)} from ${ip()} port ${port} ssh2`);
    else if (r < 0.55)
      out.push(`${head} sshd[${pid}]: Invalid user ${pick(USERS)}${Math.floor(next() * 99)} from ${ip()} port ${port}`);
    else if (r < 0.62)
      out.push(`${head} sshd[${pid}]: Failed password for invalid user ${pick(USERS)} from ${ip()} port ${port} ssh2`);
    else if (r < 0.72) out.push(`${head} sshd[${pid}]: Connection closed by ${ip()} port ${port} [preauth]`);
    else if (r < 0.76)
      out.push(`${head} sshd[${pid}]: Accepted publickey for deploy from ${ip()} port ${port} ssh2: ED25519 SHA256:x`);
    else if (r < 0.8)
      out.push(`${head} sshd[${pid}]: pam_unix(sshd:session): session opened for user deploy(uid=1001) by (uid=0)`);
    else if (r < 0.84)
      out.push(`${head} sshd[${pid}]: Received disconnect from ${ip()} port ${port}:11: Bye Bye [preauth]`);
    else if (r < 0.94)
      out.push(`${head} CRON[${pid}]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)`);
    else if (r < 0.97)
      out.push(`${head} CRON[${pid}]: (root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)`);
    else
      out.push(
        `${head} sudo:   deploy : TTY=pts/0 ; PWD=/home/deploy ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx`,
      );
  }
  return out.join('\n') + '\n';
}

/** One day's second `second` as syslog's `Mmm dd hh:mm:ss` (28-day months, as in the auth.log). */
function syslogTime(second: number): string {
  const month = MONTHS[Math.floor(second / (86400 * 28)) % 12]!;
  const day = String(1 + (Math.floor(second / 86400) % 28)).padStart(2, ' ');
  return `${month} ${day} ${new Date((second % 86400) * 1000).toISOString().slice(11, 19)}`;
}

/** The same instant as a real UTC date in 2025 (28-day months as above), for formats that carry a year. */
function dateOf(second: number): Date {
  const month = Math.floor(second / (86400 * 28)) % 12;
  const day = 1 + (Math.floor(second / 86400) % 28);
  return new Date(Date.UTC(2025, month, day) + (second % 86400) * 1000);
}

/** Writes lines to a file in chunks of ~1 MB, so a generated file never sits whole in memory. */
class ChunkedFile {
  private readonly fd: number;
  private chunk: string[] = [];
  private size = 0;
  lines = 0;
  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }
  push(line: string): void {
    this.chunk.push(line);
    this.size += line.length + 1;
    this.lines++;
    if (this.size > 1 << 20) this.flush();
  }
  private flush(): void {
    if (this.chunk.length) writeSync(this.fd, this.chunk.join('\n') + '\n');
    this.chunk = [];
    this.size = 0;
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

const NGINX_MONTHS = MONTHS;
const PAGES = ['/', '/products/', '/products/42/', '/api/cart/', '/api/orders/', '/account/', '/search/?q=shoes'];
const STATIC = ['/static/css/site.3f9a.css', '/static/js/app.91c2.js', '/static/img/logo.png', '/favicon.ico'];
const PROBES = [
  '/wp-login.php',
  '/.env',
  '/phpmyadmin/index.php',
  '/.git/config',
  '/cgi-bin/luci/;stok=/locale',
  '/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php',
  '/boaform/admin/formLogin',
  '/xmlrpc.php',
];
const BROWSERS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36',
  'Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Mobile/15E148 Safari/604.1',
];
const SCANNERS = ['Mozilla/5.0 zgrab/0.x', 'python-requests/2.31.0', 'Go-http-client/1.1', 'masscan/1.3'];

function nginxTime(second: number): string {
  const d = dateOf(second);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getUTCDate())}/${NGINX_MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

/** An nginx access log: customers (2,000 addresses) browsing, some 404s and 502s, and scanners (500 addresses) probing. */
function writeNginx(path: string, lines: number, next: () => number): void {
  const out = new ChunkedFile(path);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  let second = 0;
  while (out.lines < lines) {
    second += Math.floor(next() * 3);
    const time = nginxTime(second);
    const r = next();
    if (r < 0.08) {
      const ip = `45.${Math.floor(next() * 20)}.${Math.floor(next() * 25)}.${1 + Math.floor(next() * 254)}`;
      out.push(
        `${ip} - - [${time}] "GET ${pick(PROBES)} HTTP/1.1" ${next() < 0.9 ? 404 : 403} 162 "-" "${pick(SCANNERS)}"`,
      );
    } else {
      const ip = `${81 + Math.floor(next() * 8)}.${Math.floor(next() * 250)}.${Math.floor(next() * 8)}.${1 + Math.floor(next() * 254)}`;
      const page = r < 0.5 ? pick(PAGES) : pick(STATIC);
      const status = next() < 0.97 ? 200 : next() < 0.5 ? 404 : 502;
      const referer = next() < 0.6 ? 'https://shop.example.com/' : '-';
      out.push(
        `${ip} - - [${time}] "GET ${page} HTTP/1.1" ${status} ${100 + Math.floor(next() * 20000)} "${referer}" "${pick(BROWSERS)}"`,
      );
    }
  }
  out.close();
}

const FRAMES = [
  [
    '/srv/shop/venv/lib/python3.11/site-packages/django/core/handlers/exception.py',
    55,
    'inner',
    'response = get_response(request)',
  ],
  ['/srv/shop/orders/views.py', 41, 'list_orders', 'return JsonResponse({"orders": list(qs.values())})'],
  [
    '/srv/shop/venv/lib/python3.11/site-packages/django/db/backends/base/base.py',
    289,
    'ensure_connection',
    'self.connect()',
  ],
  [
    '/srv/shop/venv/lib/python3.11/site-packages/django/db/backends/utils.py',
    89,
    '_execute',
    'return self.cursor.execute(sql, params)',
  ],
] as const;
const DB_ERRORS = [
  'django.db.utils.OperationalError: could not connect to server: Connection refused',
  'django.db.utils.OperationalError: deadlock detected',
  'django.db.utils.IntegrityError: duplicate key value violates unique constraint "orders_order_number_key"',
  'psycopg2.errors.QueryCanceled: canceling statement due to statement timeout',
];

/** A Django log: orders and requests at INFO, warnings, and now and then a 500 with its traceback and a database error. */
function writeDjango(path: string, lines: number, next: () => number): void {
  const out = new ChunkedFile(path);
  let second = 0;
  let order = 10_000;
  while (out.lines < lines) {
    second += Math.floor(next() * 6);
    const stamp = `[${dateOf(second).toISOString().slice(0, 19).replace('T', ' ')},${String(Math.floor(next() * 1000)).padStart(3, '0')}]`;
    const r = next();
    if (r < 0.6)
      out.push(
        `${stamp} INFO [orders.views:88] Order A-${order++} created (${1 + Math.floor(next() * 5)} items, total ${(next() * 200).toFixed(2)} EUR)`,
      );
    else if (r < 0.9)
      out.push(`${stamp} INFO [django.server:187] "GET /api/cart/ HTTP/1.1" 200 ${200 + Math.floor(next() * 2000)}`);
    else if (r < 0.985)
      out.push(`${stamp} WARNING [django.request:241] Not Found: /products/${Math.floor(next() * 5000)}/`);
    else {
      out.push(`${stamp} ERROR [django.request:241] Internal Server Error: /api/orders/`);
      out.push('Traceback (most recent call last):');
      for (const [file, line, fn, code] of FRAMES) {
        out.push(`  File "${file}", line ${line}, in ${fn}`);
        out.push(`    ${code}`);
      }
      out.push(DB_ERRORS[Math.floor(next() * DB_ERRORS.length)]!);
    }
  }
  out.close();
}

const OOM_REPORT = [
  'gunicorn invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0',
  'CPU: 1 PID: 2351 Comm: gunicorn Not tainted 6.1.0-18-amd64 #1  Debian 6.1.76-1',
  'Call Trace:',
  ' dump_stack_lvl+0x44/0x5c',
  ' oom_kill_process.cold+0xb/0x10',
  ' out_of_memory+0x1fd/0x4c0',
  'Mem-Info:',
  'oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/system.slice/gunicorn.service,task=gunicorn,pid=2345,uid=33',
];

/** A kern.log: firewall drops from many sources, AppArmor audits, link changes, and an OOM kill every 50,000 lines. */
function writeKern(path: string, lines: number, next: () => number): void {
  const out = new ChunkedFile(path);
  let second = 0;
  let uptime = 1_175_000;
  while (out.lines < lines) {
    const step = Math.floor(next() * 20);
    second += step;
    uptime += step;
    const head = `${syslogTime(second)} bastion kernel: [${uptime}.${String(Math.floor(next() * 1e6)).padStart(6, '0')}]`;
    const r = next();
    if (out.lines % 50_000 === 49_990) {
      for (const line of OOM_REPORT) out.push(`${head} ${line}`);
      out.push(
        `${head} Out of memory: Killed process 2345 (gunicorn) total-vm:1845632kB, anon-rss:1523412kB, file-rss:0kB, shmem-rss:0kB, UID:33 pgtables:3180kB oom_score_adj:0`,
      );
    } else if (r < 0.85) {
      const src = `${1 + Math.floor(next() * 223)}.${Math.floor(next() * 256)}.${Math.floor(next() * 64)}.${Math.floor(next() * 256)}`;
      out.push(
        `${head} [UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:12:34:56:52:54:00:65:43:21:08:00 SRC=${src} DST=203.0.113.7 LEN=44 TOS=0x00 PREC=0x00 TTL=${40 + Math.floor(next() * 200)} ID=${Math.floor(next() * 65535)} PROTO=TCP SPT=${1024 + Math.floor(next() * 60000)} DPT=${[22, 23, 445, 3389, 8080][Math.floor(next() * 5)]} WINDOW=1024 RES=0x00 SYN URGP=0`,
      );
    } else if (r < 0.95)
      out.push(
        `${head} audit: type=1400 audit(1773448267.201:${Math.floor(next() * 9999)}): apparmor="DENIED" operation="open" profile="/usr/sbin/ntpd" name="/proc/${1 + Math.floor(next() * 30000)}/status" pid=${1 + Math.floor(next() * 30000)} comm="ntpd" requested_mask="r" denied_mask="r" fsuid=0 ouid=0`,
      );
    else out.push(`${head} e1000e 0000:00:19.0 eth0: NIC Link is Up 1000 Mbps Full Duplex, Flow Control: Rx/Tx`);
  }
  out.close();
}

/**
 * A sshd auth.log of `lines` lines from `addresses` distinct attackers (each
 * line picks one at random, so each sends about lines / addresses): password
 * failures, invalid users and preauth closes, the shape of a brute-force host.
 * Every address lies in its own /24, so the count of distinct addresses, not
 * subnet sweeps, is what grows.
 */
export function writeSshdLog(path: string, lines: number, addresses: number): void {
  const next = random(0x165667b1);
  const out = new ChunkedFile(path);
  let second = 0;
  while (out.lines < lines) {
    second += Math.floor(next() * 3);
    const i = Math.floor(next() * addresses);
    const ip = `${1 + (i % 223)}.${Math.floor(i / 223) % 256}.${Math.floor(i / (223 * 256))}.7`;
    const head = `${syslogTime(second)} bastion sshd[${1000 + Math.floor(next() * 60000)}]:`;
    const user = USERS[Math.floor(next() * USERS.length)]!;
    const port = 1024 + Math.floor(next() * 60000);
    const r = next();
    if (r < 0.6) out.push(`${head} Failed password for ${user} from ${ip} port ${port} ssh2`);
    else if (r < 0.85) out.push(`${head} Invalid user ${user} from ${ip} port ${port}`);
    else out.push(`${head} Connection closed by ${ip} port ${port} [preauth]`);
  }
  out.close();
}

/** How the lines of a mixed log set are shared among its files. */
export const MIX = { auth: 0.4, nginx: 0.35, django: 0.15, kern: 0.1 } as const;

/**
 * Writes a host's logs, `lines` in all (shared as in {@link MIX}), into `dir`:
 * auth.log, nginx/access.log, django.log and kern.log. Returns the paths.
 */
export function writeMixedLogs(
  dir: string,
  lines: number,
): { auth: string; nginx: string; django: string; kern: string } {
  const paths = {
    auth: join(dir, 'auth.log'),
    nginx: join(dir, 'access.log'),
    django: join(dir, 'django.log'),
    kern: join(dir, 'kern.log'),
  };
  writeFileSync(paths.auth, generateAuthLog(Math.round(lines * MIX.auth)));
  writeNginx(paths.nginx, Math.round(lines * MIX.nginx), random(0x85ebca6b));
  writeDjango(paths.django, Math.round(lines * MIX.django), random(0xc2b2ae35));
  writeKern(
    paths.kern,
    lines - Math.round(lines * MIX.auth) - Math.round(lines * MIX.nginx) - Math.round(lines * MIX.django),
    random(0x27d4eb2f),
  );
  return paths;
}

/** Where the real sshd lines of {@link writeRealSshdLog} come from (read, never copied into the repo). */
export const REAL_SSHD_SOURCES = [
  join(__dirname, '..', '..', 'shared', 'corpora', 'loghub', 'OpenSSH', 'OpenSSH_2k.log'),
  join(__dirname, '..', '..', 'shared', 'corpora', 'fail2ban', 'sshd'),
];

const SYSLOG_STAMP = /^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d /;
const IPV4 = /\b(\d{1,3}\.\d{1,3}\.\d{1,3}\.)(\d{1,3})\b/g;

/**
 * A sshd auth.log of `lines` lines made of real ones: Loghub's OpenSSH sample and
 * fail2ban's sshd test log (its comments dropped), cycled in order with each
 * line's syslog stamp replaced by one that only moves forward. Users and messages
 * are the real ones; each cycle moves every IPv4 address's last byte on by one,
 * so the attackers' subnets are the real ones and the distinct addresses grow
 * with the lines, as on a host under attack for weeks. Returns false when the
 * corpora are not there.
 */
export function writeRealSshdLog(path: string, lines: number, sources = REAL_SSHD_SOURCES): boolean {
  const real: string[] = [];
  for (const source of sources) {
    let text: string;
    try {
      text = readFileSync(source, 'utf8');
    } catch {
      return false;
    }
    for (const line of text.split('\n')) if (SYSLOG_STAMP.test(line)) real.push(line.slice(16));
  }
  if (real.length === 0) return false;
  const out = new ChunkedFile(path);
  for (let second = 0; out.lines < lines; second += 2) {
    const cycle = Math.floor(out.lines / real.length);
    const line = real[out.lines % real.length]!.replace(
      IPV4,
      (_, net: string, last: string) => `${net}${(Number(last) + cycle) % 256}`,
    );
    out.push(`${syslogTime(second)} ${line}`);
  }
  out.close();
  return true;
}
