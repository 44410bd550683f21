import { parse, summary } from '../helpers';

const iso = (t: number | undefined) => (t === undefined ? undefined : new Date(t).toISOString());
const lines = (...texts: string[]) => texts.join('\n') + '\n';

describe("mongod's logs", () => {
  it('reads 4.4+ JSON: time, severity letter, component, and the client of a failed authentication', () => {
    const { events } = parse(
      lines(
        '{"t":{"$date":"2024-03-05T10:15:30.120+00:00"},"s":"I","c":"ACCESS","id":20249,"ctx":"conn12","msg":"Authentication failed","attr":{"mechanism":"SCRAM-SHA-256","speculative":false,"principalName":"root","authenticationDatabase":"admin","remote":"203.0.113.100:46438","extraInfo":{},"error":"UserNotFound: Could not find user \\"root\\" for db \\"admin\\""}}',
        '{"t":{"$date":"2024-03-05T10:15:31.000+00:00"},"s":"W","c":"CONTROL","id":22120,"ctx":"initandlisten","msg":"Access control is not enabled for the database"}',
      ),
    );
    expect(iso(events[0]!.timestamp)).toBe('2024-03-05T10:15:30.120Z');
    expect(events.map((e) => [e.format, e.program, e.service, e.level])).toEqual([
      ['json', 'mongod', 'mongodb', 'info'],
      ['json', 'mongod', 'mongodb', 'warning'],
    ]);
    expect(summary(events[0]!)).toMatchObject({
      action: 'auth.failure',
      hostile: true,
      ip: '203.0.113.100',
      port: 46438,
      user: 'root',
    });
  });

  it('reads 3.0-4.2 text: severity, component and context, and a failure naming its client', () => {
    const { events, stats } = parse(
      lines(
        '2019-03-01T10:15:30.120+0000 I NETWORK  [listener] connection accepted from 203.0.113.101:57294 #12 (1 connection now open)',
        '2019-03-01T10:15:30.200+0000 I ACCESS   [conn12] SCRAM-SHA-1 authentication failed for root on admin from client 203.0.113.101:57294 ; UserNotFound: Could not find user root@admin',
        '2019-03-01T10:15:31.000+0000 I ACCESS   [conn12] Failed to authenticate admin@admin from client 203.0.113.101:57294 with mechanism SCRAM-SHA-256: AuthenticationFailed: SCRAM authentication failed, storedKey mismatch',
      ),
    );
    expect(stats[0]).toMatchObject({ format: 'mongodb', parsed: 3 });
    expect(events[1]!.fields).toEqual({ ctx: 'conn12', component: 'ACCESS' });
    const failed = { format: 'mongodb', service: 'mongodb', action: 'auth.failure', outcome: 'failure', hostile: true };
    expect(events.slice(1).map(summary)).toEqual([
      { ...failed, ip: '203.0.113.101', port: 57294, user: 'root' },
      { ...failed, ip: '203.0.113.101', port: 57294, user: 'admin' },
    ]);
  });

  it("joins 2.x's unnamed failure to the connection's end, and no other connection's", () => {
    const { events, stats } = parse(
      lines(
        '2016-11-20T00:04:00.110+0100 [conn1] Failed to authenticate root@admin with mechanism MONGODB-CR: AuthenticationFailed UserNotFound Could not find user root@admin',
        '2016-11-20T00:04:00.111+0100 [conn2] end connection 198.51.100.9:53270 (1 connection now open)',
        '2016-11-20T00:04:00.112+0100 [conn1] end connection 203.0.113.102:53276 (0 connections now open)',
      ),
    );
    expect(stats[0]!.format).toBe('mongodb');
    expect(events.map((e) => [e.hostile, e.ip])).toEqual([
      [false, undefined],
      [false, undefined],
      [true, '203.0.113.102'],
    ]);
  });

  it('leaves other `ISO [thread] message` logs alone', () => {
    const { events } = parse(lines('2024-03-05T10:15:30.120+0000 [main] INFO com.example.App - started'));
    expect(events[0]!.format).not.toBe('mongodb');
  });
});
