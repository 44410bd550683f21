import { eventOf, parseFixture, summary } from '../helpers';

describe("BIND's channel files", () => {
  const { events, stats } = parseFixture('named.log');

  it('reads the time, category and severity when BIND prints them', () => {
    expect(stats[0]).toMatchObject({ format: 'bind', lines: 5, parsed: 5, failures: 0 });
    expect(new Date(events[0]!.timestamp!).toISOString()).toBe('2024-03-05T10:15:30.120Z');
    expect(events.map((e) => [e.program, e.level, e.fields?.category])).toEqual([
      ['named', 'info', 'general'],
      ['named', 'error', 'security'],
      ['named', undefined, undefined],
      ['named', 'info', 'queries'],
      ['named', 'debug', 'resolver'],
    ]);
  });

  it('counts refused transfers and queries against the client, not an answered query', () => {
    expect(events.filter((e) => e.action !== undefined).map(summary)).toEqual([
      {
        format: 'bind',
        service: 'named',
        action: 'dns.denied',
        outcome: 'failure',
        hostile: true,
        ip: '203.0.113.90',
        port: 55956,
      },
      {
        format: 'bind',
        service: 'named',
        action: 'dns.denied',
        outcome: 'failure',
        hostile: true,
        ip: '203.0.113.91',
        port: 53,
      },
    ]);
  });

  it('reads named through syslog, with or without print-category', () => {
    const line =
      "Mar  5 10:15:30 ns1 named[812]: security: info: client @0x7f 203.0.113.92#4242 (.): query (cache) './ANY/IN' denied";
    expect(summary(eventOf(line))).toMatchObject({
      service: 'named',
      action: 'dns.denied',
      hostile: true,
      ip: '203.0.113.92',
    });
    expect(eventOf(line).fields).toEqual({ category: 'security' });
  });

  it.each([
    '05-Mar-2024 10:15:30.120 INFO [main] org.apache.catalina.startup.Catalina.start Server startup in [1234] milliseconds',
    '05-Mar-2024 10:15:31.000 WARNING: something else that stamps its lines like BIND',
  ])('leaves Tomcat and other lines stamped alike to other formats: %j', (line) => {
    expect(eventOf(line).format).not.toBe('bind');
  });
});
