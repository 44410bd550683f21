/**
 * The failure modes seen on Loghub datasets we do not have, as table tests
 * written in real formats: each group must give exactly its number of
 * templates, in input order and reversed.
 */
import { isStateWord, TemplateMiner, templateOf } from '../../../src/tracers/error/template-miner';
import { maskTokens } from '../../../src/tracers/error/mask';

function templates(lines: readonly string[]): string[] {
  const miner = new TemplateMiner();
  for (const line of lines) miner.add(line);
  return miner.clusters().map(templateOf).sort();
}

const CASES: [string, string[], number][] = [
  [
    'state words of a service (one word apart) stay apart',
    [
      'Job 17 started on node-17',
      'Job 18 stopped on node-3',
      'Job 19 started on node-9',
      'Job 20 paused on node-1',
      'Job 21 stopped on node-2',
    ],
    3,
  ],
  [
    'capitalised and upper-case states (Zookeeper, Hadoop) stay apart',
    [
      'Notification: 1 (n.leader), 0x0 (n.zxid), LOOKING (n.state), 2 (n.sid)',
      'Notification: 3 (n.leader), 0x1 (n.zxid), FOLLOWING (n.state), 1 (n.sid)',
      'Notification: 3 (n.leader), 0x2 (n.zxid), LEADING (n.state), 3 (n.sid)',
      'Notification: 1 (n.leader), 0x3 (n.zxid), LOOKING (n.state), 3 (n.sid)',
      'Task attempt_1 Transitioned from NEW to UNASSIGNED',
      'Task attempt_2 Transitioned from NEW to UNASSIGNED',
    ],
    4,
  ],
  [
    'operations of an API (up/down, enable/disable) stay apart',
    ['interface eth0 link up', 'interface eth1 link down', 'interface eth2 link up', 'port 8 enable', 'port 9 disable'],
    4,
  ],
  [
    'quoted request lines keep their method and the shape of their URL (nginx access format)',
    [
      '10.0.0.1 - - [20/Jan/2015:19:53:28 +0100] "GET /api/v1/users/42 HTTP/1.1" 200 512 "-" "-"',
      '10.0.0.2 - - [20/Jan/2015:19:53:29 +0100] "GET /api/v1/users/7 HTTP/1.0" 304 0 "-" "-"',
      '10.0.0.3 - - [20/Jan/2015:19:53:30 +0100] "GET /api/v1/orders/42 HTTP/1.1" 200 77 "-" "-"',
      '10.0.0.4 - - [20/Jan/2015:19:53:31 +0100] "DELETE /api/v1/users/42 HTTP/1.1" 204 0 "-" "-"',
      '10.0.0.5 - - [20/Jan/2015:19:53:32 +0100] "GET /api/v1/users/42/avatar?size=64 HTTP/1.1" 200 9 "-" "-"',
      '10.0.0.6 - - [20/Jan/2015:19:53:33 +0100] "GET /api/v1/users/9/avatar?size=128 HTTP/1.1" 404 0 "-" "-"',
      '10.0.0.7 - - [20/Jan/2015:19:53:34 +0100] "POST /login HTTP/1.1" 302 0 "-" "-"',
      '10.0.0.8 - - [20/Jan/2015:19:53:35 +0100] "POST /api/v1/orders HTTP/1.1" 201 77 "-" "-"',
    ],
    6,
  ],
  [
    'a user agent is one value whatever its words (combined access format)',
    [
      '203.0.113.9 - - [07/Dec/2026:10:00:01 +0000] "GET /api/v1/users/42 HTTP/1.1" 200 512 "https://example.com/app" "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"',
      '203.0.113.10 - - [07/Dec/2026:10:00:02 +0000] "GET /api/v1/users/7 HTTP/1.1" 200 77 "-" "curl/8.5.0"',
      '203.0.113.11 - - [07/Dec/2026:10:00:03 +0000] "GET /api/v1/users/9 HTTP/1.1" 200 77 "-" "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1"',
      '203.0.113.12 - - [07/Dec/2026:10:00:04 +0000] "GET /api/v1/users/3 HTTP/1.1" 200 77 "-" "Googlebot"',
      '203.0.113.13 - - [07/Dec/2026:10:00:05 +0000] "POST /api/v1/users/3 HTTP/1.1" 200 77 "-" "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"',
    ],
    2,
  ],
  [
    "an access record's message (the request first) merges probed paths once four are seen, by method",
    [
      'GET //pma/scripts/setup.php HTTP/1.1 404 47',
      'GET //phpMyAdmin-2.8.2.3/scripts/setup.php HTTP/1.1 404 47',
      'GET /cgi-bin/recent.cgi HTTP/1.1 404 162',
      'GET /cgi-bin/tools/tools.pl HTTP/1.1 404 162',
      'POST //admin/pma/scripts/setup.php HTTP/1.1 404 47',
      'HEAD //admin/pma/scripts/setup.php HTTP/1.1 404 47',
    ],
    3,
  ],
  [
    'the request of an nginx error line keeps its method, its URL shape and its constant words',
    [
      '2015/01/21 10:56:10 [error] 2833#0: *16336 open() "/var/www/site/cgi-bin/php4" failed (2: No such file or directory), client: 5.7.9.2, server: localhost, request: "GET /cgi-bin/php4 HTTP/1.1", host: "1.2.3.4"',
      '2015/01/21 10:57:10 [error] 2833#0: *16337 open() "/var/www/site/cgi-bin/php5" failed (2: No such file or directory), client: 5.7.9.3, server: localhost, request: "GET /cgi-bin/php5 HTTP/2.0", host: "1.2.3.5"',
      '2015/01/21 10:58:10 [error] 2833#0: *16338 open() "/var/www/site/cgi-bin/php4" failed (2: No such file or directory), client: 5.7.9.2, server: localhost, request: "POST /cgi-bin/php4 HTTP/1.1", host: "1.2.3.4"',
      '2015/01/21 10:59:10 [error] 2833#0: *16339 open() "/var/www/site/cgi-bin/php4" failed (2: No such file or directory), client: 5.7.9.2, server: localhost, request: "GET /cgi-bin/php4/info HTTP/1.1", host: "1.2.3.4"',
    ],
    3,
  ],
  [
    'key=value runs keep their keys and their state values',
    [
      'audit op=start user=alice pid=100 res=success',
      'audit op=stop user=bob pid=200 res=success',
      'audit op=start user=carol pid=300 res=failed',
      'audit op=stop user=dave pid=400 res=failed',
      'vm instance=a1 state=running host=h1',
      'vm instance=b2 state=stopped host=h2',
    ],
    6,
  ],
  [
    'quoted values of keys are judged by what they quote (logfmt, JSON, audit)',
    [
      'fw src="10.0.0.1" dst="10.0.0.2" proto="tcp" action="accept"',
      'fw src="10.0.0.3" dst="10.0.0.4" proto="tcp" action="drop"',
      'fw src="10.0.0.5" dst="10.0.0.6" proto="tcp" action="accept"',
      '{"event":"session","op":"start","pid":4711}',
      '{"event":"session","op":"stop","pid":4712}',
      '{"event": "session", "op": "start", "pid": 4713}',
      '{"event": "session", "op": "stop", "pid": 4714}',
      'type=USER_AUTH msg=audit(1700000000.123:456): pid=1234 uid=0 msg=\'op=PAM:authentication acct="root" exe="/usr/sbin/sshd" addr=1.2.3.4 res=failed\'',
      'type=USER_AUTH msg=audit(1700000001.123:457): pid=1235 uid=0 msg=\'op=PAM:authentication acct="root" exe="/usr/sbin/sshd" addr=1.2.3.5 res=success\'',
    ],
    8,
  ],
  [
    'keys with digits in them stay keys (ip4= and ip6= are two statements)',
    ['peer ip4=10.0.0.1 joined', 'peer ip4=10.0.0.2 joined', 'peer ip6=2001:db8::1 joined', 'peer ip6=fe80::1 joined'],
    2,
  ],
  [
    'a constant word with few values is an enumeration (drivers, as in Thunderbird), not a variable',
    [
      'usbcore: registered new driver hiddev',
      'usbcore: registered new driver hub',
      'usbcore: registered new driver usbfs',
      'usbcore: registered new driver hub',
      'Mounting NFS filesystems: succeeded',
      'Mounting other filesystems: failed',
    ],
    5,
  ],
  [
    'names and ids in the same place merge once four names are seen (one statement)',
    [
      'Invalid user admin from 10.0.0.1',
      'Invalid user root from 10.0.0.2',
      'Invalid user oracle from 10.0.0.3',
      'Invalid user test from 10.0.0.4',
      'audit op=start user=alice pid=100',
      'audit op=start user=bob pid=200',
      'audit op=start user=carol pid=300',
      'audit op=start user=dave pid=400',
      '12.34.56.78 - - [20/Jan/2015:19:53:28 +0100] "GET //pma/scripts/setup.php HTTP/1.1" 404 47 "-" "-"',
      '12.34.56.78 - - [20/Jan/2015:19:53:28 +0100] "GET //phpMyAdmin-2.8.2.3/scripts/setup.php HTTP/1.1" 404 47 "-" "-"',
      '12.34.56.78 - - [20/Jan/2015:19:53:28 +0100] "GET //mysqladmin/scripts/setup.php HTTP/1.1" 404 47 "-" "-"',
      '12.34.56.78 - - [20/Jan/2015:19:53:28 +0100] "GET /cgi-bin/recent.cgi HTTP/1.1" 404 162 "-" "-"',
      'audit: op=PAM:authentication acct="alice" res=failed',
      'audit: op=PAM:authentication acct="bob" res=failed',
      'audit: op=PAM:authentication acct="carol" res=failed',
      'audit: op=PAM:authentication acct="dave" res=failed',
      "Cannot read properties of undefined (reading 'id')",
      "Cannot read properties of undefined (reading 'name')",
    ],
    5,
  ],
  [
    'a quantity and its unit are one variable before a comma or a bracket too (memory stores, as Spark writes them)',
    [
      'Block rdd_4_0 stored as bytes in memory (estimated size 912.0 B, free 1032.7 KB)',
      'Block rdd_4_1 stored as bytes in memory (estimated size 16.2 KB, free 1.9 MB)',
      'Block broadcast_7 stored as values in memory (estimated size 3.1 MB, free 2.4 GB)',
      'Block broadcast_8 stored as values in memory (estimated size 384.0 B, free 2.4 GB)',
      'Removed block rdd_4_0 (size 912.0 B) from memory',
      'Removed block rdd_4_1 (size 16.2 KB) from memory',
    ],
    3,
  ],
  [
    "a key's quoted value is one value, whatever its words (wake locks, as Android's power manager writes them)",
    [
      'acquire lock=166121161, flags=0x1, tag="RILJ_ACK_WL", name=com.android.phone, ws=null, uid=1001, pid=2626',
      'acquire lock=233570404, flags=0x1, tag="View Lock", name=com.android.systemui, ws=null, uid=10037, pid=2227',
      'acquire lock=189667585, flags=0x1, tag="*launch*", name=android, ws=WorkSource{10113}, uid=1000, pid=1702',
      'acquire lock=62617001, flags=0x1, tag="*alarm*", name=android, ws=null, uid=1000, pid=1702',
      'release lock=166121161, flags=0x1, tag="RILJ_ACK_WL", name=com.android.phone, ws=null, uid=1001, pid=2626',
      'release lock=233570404, flags=0x1, tag="View Lock", name=com.android.systemui, ws=null, uid=10037, pid=2227',
      'fw src="10.0.0.1" proto="tcp" action="accept"',
      'fw src="10.0.0.3" proto="tcp" action="drop"',
    ],
    4,
  ],
  [
    'an Android component (package/class) is a name, a word with one slash is a word (window manager, wifi driver)',
    [
      'Skipping AppWindowToken{9f4ef63 token=Token{a64f992 ActivityRecord{de9231d u0 com.example.mail/.ComposeActivity t12}}} -- going to hide',
      'Skipping AppWindowToken{1c2d3e4 token=Token{5f6a7b8 ActivityRecord{9c0d1e2 u0 com.example.maps/com.example.maps.MapActivity t13}}} -- going to hide',
      'Destroying surface Surface(name=com.example.mail/.ComposeActivity) called by WindowStateAnimator.destroySurface',
      'Destroying surface Surface(name=com.example.maps/com.example.maps.MapActivity) called by WindowStateAnimator.destroySurface',
      'AQM agg results 0x8001 len hi/lo: 0x0 0x26',
      'AQM agg results 0x8002 len in/out: 0x0 0x26',
    ],
    4,
  ],
  [
    'a word before an angle-bracketed structure stays a word (resource requests, as YARN writes them)',
    [
      'mapResourceRequest:<memory:1024, vCores:1>',
      'reduceResourceRequest:<memory:1024, vCores:1>',
      'mapResourceRequest:<memory:2048, vCores:2>',
      'Recalculating schedule, headroom=<memory:10240, vCores:-17>',
      'Recalculating schedule, headroom=<memory:8192, vCores:-19>',
    ],
    3,
  ],
  [
    'a variable first word ahead of a long statement merges once four are seen; the subject of a short one does not',
    [
      "com.apple.icloud.fmfd.heartbeat: scheduler_evaluate_activity told me to run this job; however, but the start time isn't for 439034 seconds.  Ignoring.",
      "com.apple.Safari.SafeBrowsing.Update: scheduler_evaluate_activity told me to run this job; however, but the start time isn't for 2450 seconds.  Ignoring.",
      "com.apple.CacheDelete.daily: scheduler_evaluate_activity told me to run this job; however, but the start time isn't for 12119 seconds.  Ignoring.",
      "com.apple.EscrowSecurityAlert.daily: scheduler_evaluate_activity told me to run this job; however, but the start time isn't for 13090 seconds.  Ignoring.",
      "com.apple.icloud.fmfd.heartbeat: scheduler_evaluate_activity told me to run this job; however, but the start time isn't for 438666 seconds.  Ignoring.",
      'cupsd startup succeeded',
      'syslogd startup succeeded',
      'klogd startup succeeded',
      'portmap startup succeeded',
      'hcid startup succeeded',
      'boot  (command 1911)',
      'wait  (command 1975)',
      'halt  (command 1982)',
      'risBoot  (command 1903)',
      'bootGenvmunix  (command 1903)',
    ],
    11,
  ],
];

describe('TemplateMiner generalises across formats with one configuration', () => {
  it.each(CASES)('%s', (_name, lines, count) => {
    expect(templates(lines)).toHaveLength(count);
    expect(templates([...lines].reverse())).toEqual(templates(lines));
  });

  it.each([
    ['the request line by its parts, not wholesale', '"GET /index.html HTTP/1.1" 200', ['"GET', '/index.html', '<*>']],
    ['a quoted value on its own', "reading 'id')", ['reading', '<*>']],
    [
      'a quantity and its unit as one, before a comma',
      '(estimated size 93.0 B, free 317.1 KB)',
      ['(estimated', 'size', '<*>,', 'free', '<*>)'],
    ],
    ['a quantity and its unit as one, before a semicolon', 'took 12 ms; retrying', ['took', '<*>;', 'retrying']],
    ['a token split at a < that opens a structure', 'mapResourceRequest:<memory:1024,', ['mapResourceRequest:<<*>,']],
    ['a < before a digit as the sign of a quantity', 'took <1 sec', ['took', '<*>']],
    ["a key's quoted run of words as one token", 'tag="View Lock", uid=1', ['tag="View Lock",', 'uid=<*>']],
    ['an unclosed quoted run as it is', 'tag="View Lock uid=1', ['tag="View', 'Lock', 'uid=<*>']],
  ])('masks %s', (_name, message, tokens) => {
    expect(maskTokens(message)).toEqual(tokens);
  });

  it.each([
    ['started', true],
    ['Stopped', true],
    ['LOOKING', true],
    ['state=running', true],
    ['"up"', true],
    ['disable,', true],
    ['admin', false],
    ['root', false],
    ['fred', false],
    ['McDonalds', false],
    ['node-17', false],
    ['', false],
  ])('isStateWord(%j) is %s', (token, expected) => {
    expect(isStateWord(token)).toBe(expected);
  });
});
