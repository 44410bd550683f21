import fc from 'fast-check';
import { maskTokens } from '../../../src/tracers/error/mask';
import { survivorOf, TemplateMiner, templateOf, templateSignature } from '../../../src/tracers/error/template-miner';

describe('maskTokens', () => {
  it.each([
    ['Receiving block blk_-1608999687919862906 src: /10.250.19.102:54106', 'Receiving block <*> src: <*>'],
    ['session 3f2a9c1e-8d4b-4c7a-9e2f-1a2b3c4d5e6f expired', 'session <*> expired'],
    ['from 2001:db8::7 port 22', 'from <*> port <*>'],
    ['from fe80:: via eth', 'from <*> via eth'],
    ["open '/etc/app.conf' failed", 'open <*> failed'],
    ['id deadbeefcafe seen', 'id <*> seen'],
    ['session opened for user news by (uid=0)', 'session opened for user news by (uid=<*>)'],
    ['session opened for user news by LOGIN(uid=0)', 'session opened for user news by LOGIN(uid=<*>)'],
    ['rhost=mail.example.org user=root', 'rhost=<*> user=root'],
    ['close, 1190 bytes (1.16 KB) sent, lifetime <1 sec', 'close, <*> bytes sent, lifetime <*>'],
    ['[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok', '<*> <*>] [notice] workerEnv.init() ok'],
    ['BLOCK* ask 10.0.0.1:50010 to delete blk_1 blk_2 blk_3', 'BLOCK* ask <*> to delete <*>'],
    ['May the force be with you', 'May the force be with you'],
    ['10.11.21.122,10.11.10.1 "GET /a HTTP/1.1" 200', '<*> "GET /a <*>'],
    [
      '12.34.56.78 - - [20/Jan/2015:19:53:28 +0100] "GET //phpMyAdmin-2.8.2.3/scripts/setup.php HTTP/1.1" 404 47 "-" "-"',
      '<*> - - [<*> <*>] "GET //<*>/scripts/setup.php <*>',
    ],
    [
      'client: 5.7.9.2, server: localhost, request: "POST /cgi-bin/php4 HTTP/1.1", host: "1.2.3.4"',
      'client: <*>, server: localhost, request: "POST /cgi-bin/<*> <*>, host: <*>',
    ],
    [
      '"GET /v2/54fadb412c4e40cdbaed9335e4c35a9e/servers/detail?changes-since=2017-05-16T00:00:00&limit=5 HTTP/1.1"',
      '"GET /<*>/<*>/servers/detail?changes-since=<*>&limit=<*> <*>',
    ],
    ['"GET http://example.com:80/a/b?x#top HTTP/1.0" 200', '"GET http://<*>/a/b?x#<*> <*>'],
    ['src="10.0.0.1" dst="10.0.0.2" action="accept"', 'src=<*> dst=<*> action="accept"'],
    [
      'msg=\'op=PAM:authentication acct="root" exe="/usr/sbin/sshd" hostname=? addr=1.2.3.4 terminal=ssh res=failed\'',
      'msg=\'op=PAM:authentication acct="root" exe=<*> hostname=? addr=<*> terminal=ssh res=failed\'',
    ],
    ['{"op":"start","user":"alice","pid":5}', '{"op":"start","user":"alice","pid":<*>}'],
    ['{"op": "start", "path": "/var/x", "pid": 5}', '{"op": "start", "path": <*> "pid": <*>}'],
    ['ip4=10.0.0.1 ip6=fe80::1 aGVsbG8gd29ybGQ=', 'ip4=<*> ip6=<*> <*>='],
    ['agent "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101", then done', 'agent <*> then done'],
    ['said "Mozilla/5.0 (X11; never closed', 'said <*> (<*>; never closed'],
    ['msg="Started container web" id=7', 'msg="Started container web" id=<*>'],
    ['sizes 1,2, and 3', 'sizes <*>, and <*>'],
  ])('%s -> %s', (message, template) => {
    expect(maskTokens(message).join(' ')).toBe(template);
  });

  it('never throws and never yields an empty token, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
        expect(maskTokens(text).every((token) => token.length > 0)).toBe(true);
      }),
    );
  });
});

describe('TemplateMiner', () => {
  it('generalises the positions that differ and keeps one cluster for one statement', () => {
    const miner = new TemplateMiner();
    // A constant against a masked token (`()` vs `(<*>)`) is a variable at once, as in Drain.
    const a = miner.add('connection from 10.0.0.1 () at noon');
    const b = miner.add('connection from 10.0.0.2 (host.example.org) at noon');
    expect(b.cluster).toBe(a.cluster);
    expect(b.changed).toBe(true);
    expect(b.template).toBe('connection from <*> <*> at noon');
    expect(a.cluster.size).toBe(2);
  });

  it('keeps one-word siblings apart until the position shows distinctValues words, then merges them', () => {
    const miner = new TemplateMiner();
    const first = ['admin', 'oracle', 'root'].map((user) => miner.add(`Invalid user ${user} from 10.0.0.1`));
    expect(new Set(first.map((match) => match.cluster)).size).toBe(3);
    expect(first.every((match) => match.absorbed.length === 0)).toBe(true);
    const fourth = miner.add('Invalid user test from 10.0.0.9');
    expect(fourth.template).toBe('Invalid user <*> from <*>');
    expect(fourth.changed).toBe(true);
    expect(fourth.absorbed).toHaveLength(2);
    expect(miner.clusters().map(templateOf)).toEqual(['Invalid user <*> from <*>']);
    expect(first.map((match) => survivorOf(match.cluster))).toEqual([fourth.cluster, fourth.cluster, fourth.cluster]);
    expect(fourth.cluster.size).toBe(4);
    expect(miner.add('Invalid user guest from 10.0.0.3').cluster).toBe(fourth.cluster);
  });

  it('keeps state words apart however many there are (started/stopped/paused/resumed)', () => {
    const miner = new TemplateMiner();
    for (const state of ['started', 'stopped', 'paused', 'resumed', 'started']) miner.add(`Service foo ${state}`);
    expect(miner.clusters().map(templateOf).sort()).toEqual([
      'Service foo paused',
      'Service foo resumed',
      'Service foo started',
      'Service foo stopped',
    ]);
  });

  it('takes distinctValues from the options', () => {
    const miner = new TemplateMiner({ distinctValues: 2 });
    miner.add('registered new driver hub');
    expect(miner.add('registered new driver usbfs').template).toBe('registered new driver <*>');
  });

  it('keeps statements that differ in two constant words apart', () => {
    const miner = new TemplateMiner();
    const bye = miner.add('Received disconnect from 10.0.0.1: 11: Bye Bye [preauth]');
    const user = miner.add('Received disconnect from 10.0.0.1: 11: disconnected by user');
    expect(user.cluster).not.toBe(bye.cluster);
    expect(miner.size).toBe(2);
  });

  it('matches without changing anything', () => {
    const miner = new TemplateMiner();
    miner.add('job 1 failed');
    expect(miner.match('job 2 failed')?.id).toBe(1);
    expect(miner.match('unknown statement here')).toBeUndefined();
    expect(miner.clusters().map(templateOf)).toEqual(['job <*> failed']);
  });

  it('evicts the least recently used cluster beyond maxClusters, and counts it', () => {
    const miner = new TemplateMiner({ maxClusters: 2 });
    miner.add('alpha beta gamma');
    miner.add('delta epsilon zeta');
    miner.add('alpha beta gamma');
    miner.add('eta theta iota');
    expect(miner.evicted).toBe(1);
    expect(miner.clusters().map(templateOf)).toEqual(['alpha beta gamma', 'eta theta iota']);
    // The evicted statement starts a fresh cluster.
    expect(miner.add('delta epsilon zeta').cluster.id).toBe(4);
  });

  it('keeps at most maxLeafClusters in a leaf, forgetting the one joined longest ago', () => {
    // One shape (same length, same first words) in two constant words that never repeat: each line is a new
    // cluster of one leaf (two differing constants never merge).
    const word = (n: number) =>
      String.fromCharCode(97 + (n % 26), 97 + (Math.floor(n / 26) % 26), 97 + Math.floor(n / 676));
    const line = (n: number) => `session opened ${word(n)} for ${word(n + 5000)} now`;
    const miner = new TemplateMiner({ maxLeafClusters: 3 });
    miner.add(line(0));
    miner.add(line(1));
    miner.add(line(2));
    miner.add(line(0)); // joined again: now line(1) was joined longest ago
    miner.add(line(3));
    expect(miner.evicted).toBe(1);
    expect(miner.clusters().map(templateOf).sort()).toEqual([line(0), line(2), line(3)].sort());
    for (let n = 10; n < 210; n++) miner.add(line(n));
    expect(miner.evicted).toBe(201);
    expect(miner.size).toBeLessThanOrEqual(3);
  });

  it('sends tokens past maxChildren to a wildcard child so the tree stays bounded', () => {
    // Two distinct first words make a variable here, so the two routed to the wildcard child merge; the
    // lines share too few words to merge with those in other leaves (ROUTED_SIBLING_WORDS).
    const miner = new TemplateMiner({ maxChildren: 2, distinctValues: 2 });
    for (const first of ['apple', 'banana', 'cherry', 'damson']) miner.add(`${first} fell`);
    expect(miner.size).toBe(3);
  });

  it('gives stable 16-hex-digit signatures', () => {
    expect(templateSignature('Invalid user <*> from <*>')).toBe(templateSignature('Invalid user <*> from <*>'));
    expect(templateSignature('Invalid user <*> from <*>')).toMatch(/^[0-9a-f]{16}$/);
    expect(templateSignature('a')).not.toBe(templateSignature('b'));
  });
});
