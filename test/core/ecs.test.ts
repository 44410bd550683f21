import { toEcs } from '../../src/core/ecs';
import { createEvent } from '../../src/core/event';
import { schemaProblems } from '../../src/core/schemas';

describe('toEcs', () => {
  it('maps every known field to its ECS name', () => {
    const event = createEvent({
      timestamp: Date.UTC(2025, 0, 2, 3, 4, 5),
      source: '/var/log/auth.log',
      line: 12,
      format: 'syslog',
      host: 'web1',
      program: 'sshd',
      pid: 4242,
      service: 'ssh',
      level: 'warning',
      action: 'auth.failure',
      outcome: 'failure',
      ip: '203.0.113.9',
      port: 52214,
      user: 'root',
      hostile: true,
      message: 'Failed password for root from 203.0.113.9 port 52214 ssh2',
      raw: 'Jan  2 03:04:05 web1 sshd[4242]: Failed password for root from 203.0.113.9 port 52214 ssh2',
    });
    const ecs = toEcs(event);
    expect(ecs).toEqual({
      '@timestamp': '2025-01-02T03:04:05.000Z',
      message: event.message,
      event: {
        action: 'auth.failure',
        category: ['authentication'],
        outcome: 'failure',
        severity: 4,
        original: event.raw,
      },
      source: { ip: '203.0.113.9', port: 52214 },
      user: { name: 'root' },
      process: { name: 'sshd', pid: 4242 },
      host: { hostname: 'web1' },
      service: { name: 'ssh' },
      log: { level: 'warning', file: { path: '/var/log/auth.log' } },
      logsleuth: { line: 12, format: 'syslog', hostile: true },
    });
    expect(schemaProblems('event', ecs)).toEqual([]);
  });

  it('leaves out what the event does not know, and stays valid', () => {
    const ecs = toEcs(createEvent({ source: '-', line: 1, raw: '\u0000garbage' }));
    expect(ecs).toEqual({
      message: '\u0000garbage',
      event: { outcome: 'unknown', original: '\u0000garbage' },
      log: { file: { path: '-' } },
      logsleuth: { line: 1, format: 'raw', hostile: false },
    });
    expect(schemaProblems('event', ecs)).toEqual([]);
  });

  it('puts a host name given instead of an address in source.domain', () => {
    const ecs = toEcs(createEvent({ source: 'a', line: 1, raw: 'x', domain: 'example.com', hostile: true }));
    expect(ecs.source).toEqual({ domain: 'example.com' });
  });
});
