import { eventOf, parseFixture, summary } from '../helpers';

const iso = (t: number | undefined) => (t === undefined ? undefined : new Date(t).toISOString());

describe('the MySQL / MariaDB error log', () => {
  const { events, stats } = parseFixture('mysql-error.log');

  it('reads the 5.5, 5.6 / MariaDB and 8.0 layouts of one file', () => {
    expect(stats[0]).toMatchObject({ format: 'mysql', lines: 9, parsed: 9, unparsed: 0, failures: 0 });
    expect(events.every((e) => e.program === 'mysqld' && e.service === 'mysql')).toBe(true);
  });

  it('reads YYMMDD stamps and hours padded with a space', () => {
    expect(events.slice(0, 5).map((e) => iso(e.timestamp))).toEqual([
      '2024-03-05T10:15:30.000Z',
      '2024-03-05T10:15:31.000Z',
      '2024-03-05T09:15:32.000Z',
      '2024-03-05T10:15:33.000Z',
      '2024-03-05T08:15:34.000Z',
    ]);
    expect(iso(events[5]!.timestamp)).toBe('2024-03-05T10:15:35.237Z');
  });

  it('maps levels (System is a notice), and keeps thread, error code and subsystem', () => {
    expect(events.map((e) => e.level)).toEqual([
      undefined,
      undefined,
      'warning',
      'warning',
      'error',
      'info',
      'warning',
      'notice',
      'error',
    ]);
    expect(events[6]!.fields).toEqual({ thread: 113, code: 'MY-010055', subsystem: 'Server' });
    expect(events[6]!.message).toBe("IP address '198.51.100.9' could not be resolved: Name or service not known");
    expect(events[1]!.message).toBe('InnoDB: Initializing buffer pool, size = 128.0M');
  });

  it('counts access denied against the client, whatever the layout', () => {
    const denied = { format: 'mysql', service: 'mysql', action: 'auth.failure', outcome: 'failure', hostile: true };
    expect(events.filter((e) => e.hostile).map(summary)).toEqual([
      { ...denied, ip: '203.0.113.60', user: 'root' },
      { ...denied, ip: '203.0.113.60', user: 'root' },
      { ...denied, domain: 'localhost', user: 'app' },
    ]);
  });

  it('leaves `2024-... [ERROR] ...` of other programs alone: after an ISO stamp MySQL always writes its thread id', () => {
    expect(eventOf('2024-03-05 10:15:33 [ERROR] django.request: Internal Server Error: /api').format).toBe('python');
  });
});
