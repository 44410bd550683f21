import { readLogfmt } from '../../../src/logs/formats/logfmt';
import { eventOf, parse, summary } from '../helpers';

const iso = (t: number | undefined) => (t === undefined ? undefined : new Date(t).toISOString());

describe('logfmt', () => {
  it('reads Grafana, Prometheus and dockerd lines: time, level (log15 short names too), message, fields', () => {
    const { events, stats } = parse(
      [
        't=2024-03-05T10:15:30+0100 lvl=eror msg="Invalid username or password" logger=context userId=0 orgId=0 uname=admin error="Invalid Username or Password" remote_addr=203.0.113.120',
        'ts=2024-03-05T10:15:31.120Z caller=main.go:1034 level=info msg="Server is ready to receive web requests."',
        'time="2024-03-05T10:15:32.123456789Z" level=warning msg="failed to retrieve runc version: \\"exit status 1\\"" module=libcontainerd',
      ].join('\n') + '\n',
    );
    expect(stats[0]).toMatchObject({ format: 'logfmt', parsed: 3 });
    expect(events.map((e) => [iso(e.timestamp), e.level])).toEqual([
      ['2024-03-05T09:15:30.000Z', 'error'],
      ['2024-03-05T10:15:31.120Z', 'info'],
      ['2024-03-05T10:15:32.123Z', 'warning'],
    ]);
    expect(events[2]!.message).toBe('failed to retrieve runc version: "exit status 1"');
    expect(events[1]!.fields).toEqual({ caller: 'main.go:1034' });
  });

  it("counts Grafana's failed login against the client", () => {
    const event = eventOf(
      't=2024-03-05T10:15:30+0100 lvl=eror msg="Invalid username or password" logger=context uname=admin remote_addr=203.0.113.120',
    );
    expect(summary(event)).toMatchObject({
      service: 'grafana',
      action: 'http.auth_failure',
      hostile: true,
      ip: '203.0.113.120',
      user: 'admin',
    });
  });

  it.each([
    'Mar  5 10:15:30 host sshd[1]: a=b c=d e=f',
    'a=b c=d',
    'user=bob said hello world',
    'a=b c="unterminated d=e',
    'a=b c=d"e f=g time=1',
  ])('is not logfmt: %j', (line) => {
    expect(eventOf(line).format).not.toBe('logfmt');
  });

  it('reads escapes and never throws on any text', () => {
    expect(readLogfmt('a="x\\"y\\\\z" b= c=1')).toEqual(
      new Map([
        ['a', 'x"y\\z'],
        ['b', ''],
        ['c', '1'],
      ]),
    );
    for (const text of ['=', '==', 'a=', 'a="', 'a="\\', '\u0000=\u0001', 'k=' + 'v'.repeat(100_000)]) {
      expect(() => readLogfmt(text)).not.toThrow();
    }
  });
});
