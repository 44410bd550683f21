import { createEvent } from '../../../src/core/event';
import { isFront, likelyUpstream, tierOf } from '../../../src/tracers/event/relationships';
import { connectionTrouble, namedTarget } from '../../../src/tracers/event/trouble';

describe('namedTarget', () => {
  it.each([
    ['psycopg2: TCP/IP connections on port 5432?', 'postgresql'],
    ['Error 111 connecting to 127.0.0.1:6379. Connection refused.', 'redis'],
    ['upstream: "http://127.0.0.1:8000/api/orders/"', 'gunicorn'],
    ['dial tcp [::1]:3306: connect: connection refused', 'mysql'],
    ['upstream: "fastcgi://localhost:9000"', 'php-fpm'],
    ["Can't connect to MySQL server on 'db' (111 \"Connection refused\")", 'mysql'],
    ['kombu: [Errno 111] Connection refused (amqp)', 'rabbitmq'],
  ])('finds the service in %j', (text, service) => {
    expect(namedTarget(text)).toBe(service);
  });

  it.each([
    ['Failed password for root from 203.0.113.45 port 40112 ssh2'],
    ['connect to 192.0.2.1:44123 refused'],
    ['Connection refused'],
  ])('names nothing in %j (no known port, no service name)', (text) => {
    expect(namedTarget(text)).toBeUndefined();
  });
});

describe('connectionTrouble', () => {
  const event = (init: Partial<Parameters<typeof createEvent>[0]>) =>
    createEvent({ source: 't', line: 1, raw: init.message ?? '', ...init });

  it.each([
    [
      { action: 'conn.refused', service: 'django', message: 'x' },
      { kind: 'conn.refused', target: undefined },
    ],
    [
      { action: 'conn.timeout', service: 'django', message: 'redis timeout on port 6379' },
      { kind: 'conn.timeout', target: 'redis' },
    ],
    [
      { level: 'error', service: 'django', message: 'timeout expired connecting to port 5432' },
      { kind: 'conn.timeout', target: 'postgresql' },
    ],
    [
      {
        level: 'error',
        service: 'nginx',
        message: 'connect() failed (111: Connection refused), upstream: "http://127.0.0.1:8000/"',
      },
      { kind: 'conn.refused', target: 'gunicorn' },
    ],
    [
      { service: 'http', fields: { status: 504 }, message: 'GET /' },
      { kind: 'http.504', target: undefined },
    ],
    [
      { level: 'error', service: 'postgresql', message: 'could not connect: Connection refused on port 5432' },
      { kind: 'conn.refused', target: undefined },
    ],
  ] as const)('reads %j as %j', (init, expected) => {
    expect(connectionTrouble(event(init as never))).toEqual(expected);
  });
});

describe('service relationships', () => {
  it('groups application servers and frameworks into one tier', () => {
    expect(['gunicorn', 'uwsgi', 'django', 'postgresql', 'nginx'].map(tierOf)).toEqual([
      'app',
      'app',
      'app',
      'postgresql',
      'nginx',
    ]);
  });

  it('knows which services front others', () => {
    expect(['nginx', 'apache', 'http', 'django', 'postgresql', undefined].map(isFront)).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
  });

  it('guesses the upstream a service waited on, preferring services seen in the input', () => {
    expect(likelyUpstream('nginx', (s) => s === 'django')).toBe('django');
    expect(likelyUpstream('nginx', () => false)).toBe('gunicorn');
    expect(likelyUpstream('django', (s) => s === 'mysql')).toBe('mysql');
    expect(likelyUpstream('ssh', () => true)).toBeUndefined();
  });
});
