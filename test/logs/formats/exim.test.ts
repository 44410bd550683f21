import { parseFixture, summary } from '../helpers';

const iso = (t: number | undefined) => (t === undefined ? undefined : new Date(t).toISOString());

describe("Exim's main log", () => {
  const { events, stats } = parseFixture('exim-mainlog');

  it('reads pid, message id (4.96 and 4.97 layouts), fractions and offsets, and leaves other dated lines raw', () => {
    expect(stats[0]).toMatchObject({ format: 'exim', lines: 10, parsed: 9, unparsed: 1, failures: 0 });
    expect(events[1]).toMatchObject({
      program: 'exim',
      service: 'exim',
      pid: 912,
      fields: { messageId: '1rhXyZ-000Ed7-2b' },
    });
    expect(events[1]!.message.startsWith('<= alice@example.org')).toBe(true);
    expect(events[8]!.fields).toEqual({ messageId: '1rhXz0-00000000Ed8-AbCd' });
    expect(iso(events[5]!.timestamp)).toBe('2024-03-05T09:15:41.000Z');
    expect(iso(events[6]!.timestamp)).toBe('2024-03-05T10:15:42.123Z');
    expect(events[9]!.format).toBe('raw');
  });

  it('counts failed AUTH, relaying and protocol abuse against the client, not a greylisted sender', () => {
    expect(events.filter((e) => e.action !== undefined).map(summary)).toEqual([
      {
        format: 'exim',
        service: 'exim',
        action: 'auth.failure',
        outcome: 'failure',
        hostile: true,
        ip: '203.0.113.80',
        port: 50112,
        user: 'admin@example.com',
      },
      {
        format: 'exim',
        service: 'exim',
        action: 'mail.relay_denied',
        outcome: 'failure',
        hostile: true,
        ip: '203.0.113.81',
        port: 3755,
      },
      {
        format: 'exim',
        service: 'exim',
        action: 'mail.protocol_violation',
        outcome: 'failure',
        hostile: true,
        ip: '203.0.113.82',
        port: 60723,
      },
      {
        format: 'exim',
        service: 'exim',
        action: 'mail.rejected',
        outcome: 'failure',
        hostile: false,
        ip: '198.51.100.30',
      },
    ]);
  });
});
