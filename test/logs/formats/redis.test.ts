import { recognise } from '../../../src/tracers/error/recognise';
import { eventOf, parse } from '../helpers';

describe("Redis's log file", () => {
  it('reads pid, role, time and the level mark', () => {
    const { events, stats } = parse(
      [
        '1234:C 05 Mar 2024 10:15:30.001 # oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo',
        '1234:M 05 Mar 2024 10:15:30.123 * Ready to accept connections tcp',
        '1234:M 05 Mar 2024 10:15:31.000 - Accepted 127.0.0.1:51234',
        '1234:S 05 Mar 2024 10:15:32.000 . Client closed connection',
      ].join('\n') + '\n',
    );
    expect(stats[0]).toMatchObject({ format: 'redis', parsed: 4 });
    expect(events.map((e) => [e.pid, e.fields?.role, e.level, e.service])).toEqual([
      [1234, 'C', 'warning', 'redis'],
      [1234, 'M', 'notice', 'redis'],
      [1234, 'M', 'info', 'redis'],
      [1234, 'S', 'debug', 'redis'],
    ]);
    expect(new Date(events[1]!.timestamp!).toISOString()).toBe('2024-03-05T10:15:30.123Z');
    expect(events[1]!.message).toBe('Ready to accept connections tcp');
  });

  it("hands the error tracer Redis's failed background save", () => {
    const event = eventOf("1234:M 05 Mar 2024 10:15:30.123 # Can't save in background: fork: Cannot allocate memory");
    expect(recognise(event)).toMatchObject({ category: 'memory' });
  });

  it.each(['12:Z 05 Mar 2024 10:15:30.123 # x', '1234:M 05 Mar 2024 10:15:30.123 ! x', 'http:M x'])(
    'is not Redis: %j',
    (line) => {
      expect(eventOf(line).format).not.toBe('redis');
    },
  );
});
