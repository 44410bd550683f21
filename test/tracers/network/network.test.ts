import type { IpThreatData } from '../../../src/core/kinds';
import { standaloneContext } from '../../../src/core/tracer';
import { NetworkTracer } from '../../../src/tracers/network';
import { serviceForPort, serviceOf } from '../../../src/tracers/network/services';
import { fixtureProcess, removeProcTrees, writeProcTree } from '../../proc/proc-tree';

afterAll(removeProcTrees);

const HEADER = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';
const line = (local: string, remote: string, state: string, uid: number, inode: number) =>
  `   0: ${local} ${remote} ${state} 00000000:00000000 00:00000000 00000000 ${String(uid).padStart(5)}        0 ${inode} 1 0000000000000000 100 0 0 10 0`;

/** A small server: sshd listening on 22 (v4 and v6), an attacker connected over IPv4 and one over IPv6, postgres, a resolver. */
function host() {
  return writeProcTree({
    files: {
      'net/tcp': [
        HEADER,
        line('00000000:0016', '00000000:0000', '0A', 0, 100),
        line('0500000A:0016', '097100CB:C822', '01', 0, 101),
        line('0100007F:1538', '00000000:0000', '0A', 109, 102),
        line('0500000A:0016', '097100CB:C823', '06', 0, 0),
        line('0500000A:A000', '0F0F0F0F:01BB', '02', 1000, 103),
      ].join('\n'),
      'net/tcp6': [
        HEADER,
        line('00000000000000000000000000000000:0016', '00000000000000000000000000000000:0000', '0A', 0, 200),
        line('B80D0120000000000000000001000000:0016', 'B80D0120000000000000000007000000:E0F1', '01', 0, 201),
        line('0000000000000000FFFF00000500000A:0016', '0000000000000000FFFF0000097100CB:C900', '01', 0, 202),
      ].join('\n'),
      'net/udp': [HEADER, line('3500007F:0035', '00000000:0000', '07', 101, 300)].join('\n'),
    },
    pids: {
      1: fixtureProcess({ pid: 1, ppid: 0, name: 'systemd' }),
      500: fixtureProcess({ pid: 500, ppid: 1, name: 'systemd-resolve', uid: 101, fds: { 12: 'socket:[300]' } }),
      800: fixtureProcess({ pid: 800, ppid: 1, name: 'sshd', fds: { 3: 'socket:[100]', 4: 'socket:[200]' } }),
      900: fixtureProcess({
        pid: 900,
        ppid: 800,
        name: 'sshd',
        argv: ['sshd: root [priv]'],
        fds: { 4: 'socket:[101]', 5: 'socket:[202]' },
      }),
      901: fixtureProcess({
        pid: 901,
        ppid: 900,
        name: 'sshd',
        argv: ['sshd: root@pts/0'],
        fds: { 4: 'socket:[101]' },
      }),
      950: fixtureProcess({ pid: 950, ppid: 800, name: 'sshd', fds: { 4: 'socket:[201]' } }),
      1200: fixtureProcess({ pid: 1200, ppid: 1, name: 'postgres', uid: 109, fds: { 6: 'socket:[102]' } }),
      // A client whose process is gone: its socket stays without owner.
    },
  });
}

function threat(ip: string): IpThreatData {
  return {
    ip,
    score: 80,
    reasons: [],
    type: 'public',
    blacklisted: false,
    firstSeen: null,
    lastSeen: null,
    counts: {},
    services: ['ssh'],
  };
}

const table = (resolver: Record<string, string[]>) => ({
  reverse: async (ip: string) => {
    const names = resolver[ip];
    if (names) return names;
    throw Object.assign(new Error(`queryPtr ENOTFOUND ${ip}`), { code: 'ENOTFOUND' });
  },
});

describe('NetworkTracer queries on a fixture /proc', () => {
  const tracer = new NetworkTracer({ procRoot: host() });

  it('joins every socket to its owners and their names', () => {
    const connections = tracer.connections();
    expect(connections).toHaveLength(9);
    expect(connections[1]).toEqual({
      protocol: 'tcp',
      local: { address: '10.0.0.5', port: 22 },
      remote: { address: '203.0.113.9', port: 51234 },
      state: 'ESTABLISHED',
      inode: 101,
      uid: 0,
      pid: 900,
      process: 'sshd',
      owners: [
        { pid: 900, fd: 4, process: 'sshd' },
        { pid: 901, fd: 4, process: 'sshd' },
      ],
      service: 'ssh',
    });
  });

  it('leaves sockets without an inode or a readable owner unowned', () => {
    const unowned = tracer.connections().filter((c) => c.pid === null);
    expect(unowned.map((c) => [c.state, c.inode])).toEqual([
      ['TIME_WAIT', 0],
      ['SYN_SENT', 103],
    ]);
  });

  it('finds connections by address in any notation, IPv4-mapped included', () => {
    expect(tracer.findByIp('203.0.113.9').map((c) => c.inode)).toEqual([101, 0, 202]);
    expect(tracer.findByIp('::ffff:203.0.113.9').map((c) => c.inode)).toEqual([101, 0, 202]);
    expect(tracer.findByIp('2001:0DB8:0:0:0:0:0:7').map((c) => c.inode)).toEqual([201]);
    expect(tracer.findByIp('not an ip')).toEqual([]);
  });

  it('finds connections by port at either end', () => {
    expect(tracer.findByPort(5432).map((c) => c.process)).toEqual(['postgres']);
    expect(tracer.findByPort(443).map((c) => c.state)).toEqual(['SYN_SENT']);
  });

  it('lists listeners: TCP LISTEN and unconnected UDP', () => {
    expect(tracer.listeners().map((c) => `${c.protocol} ${c.local.address}:${c.local.port} ${c.process}`)).toEqual([
      'tcp 0.0.0.0:22 sshd',
      'tcp 127.0.0.1:5432 postgres',
      'tcp6 :::22 sshd',
      'udp 127.0.0.53:53 systemd-resolve',
    ]);
  });

  it('counts sockets by state', () => {
    expect(tracer.stateCounts()).toEqual({ LISTEN: 3, ESTABLISHED: 3, TIME_WAIT: 1, SYN_SENT: 1, UNCONN: 1 });
  });

  it('groups sockets by well-known service', () => {
    expect(tracer.services().map((s) => [s.service, s.listening.length, s.established])).toEqual([
      ['ssh', 2, 3],
      ['dns', 1, 0],
      ['https', 0, 0],
      ['postgresql', 1, 0],
    ]);
  });
});

describe('services', () => {
  it.each([
    ['tcp', 22, 'ssh'],
    ['tcp6', 443, 'https'],
    ['tcp', 5432, 'postgresql'],
    ['tcp', 3306, 'mysql'],
    ['tcp', 6379, 'redis'],
    ['tcp', 27017, 'mongodb'],
    ['tcp', 25, 'smtp'],
    ['tcp', 587, 'submission'],
    ['tcp', 465, 'smtps'],
    ['tcp', 143, 'imap'],
    ['tcp', 993, 'imaps'],
    ['tcp', 110, 'pop3'],
    ['udp', 53, 'dns'],
    ['udp6', 123, 'ntp'],
  ])('names %s port %i %s', (protocol, port, service) => {
    expect(serviceForPort(protocol, port)).toBe(service);
  });

  it('does not name a port on the wrong transport', () => {
    expect(serviceForPort('udp', 22)).toBeUndefined();
    expect(serviceForPort('tcp', 123)).toBeUndefined();
  });

  it('prefers the local port (a server) and falls back to the remote one (a client)', () => {
    expect(serviceOf({ protocol: 'tcp', local: { port: 22 }, remote: { port: 443 } })).toBe('ssh');
    expect(serviceOf({ protocol: 'tcp', local: { port: 40960 }, remote: { port: 443 } })).toBe('https');
    expect(serviceOf({ protocol: 'tcp', local: { port: 40960 }, remote: { port: 0 } })).toBeUndefined();
  });
});

describe('NetworkTracer on the bus', () => {
  function attached(resolver = table({ '203.0.113.9': ['scanner.example.net'] })) {
    const tracer = new NetworkTracer();
    const ctx = standaloneContext(tracer, { procRoot: host(), resolver, clock: { now: () => 0 } });
    tracer.attach(ctx);
    // The IP tracer's side of the bus, as a test stand-in.
    const publish = (kind: 'ip.threat' | 'ip.blacklisted', ip: string) =>
      ctx.bus.publish({ kind, key: ip, tracer: 'ip', data: threat(ip) })!;
    return { tracer, bus: ctx.bus, publish };
  }

  it('publishes the live connections of a threat address, with owners and host names, caused by the threat', async () => {
    const { bus, publish } = attached();
    publish('ip.threat', '203.0.113.9');
    await bus.settled();
    const [finding] = bus.findings('network.connections');
    expect(finding?.key).toBe('203.0.113.9');
    expect(finding?.causedBy).toEqual({ kind: 'ip.threat', key: '203.0.113.9' });
    expect(finding?.data.hostnames).toEqual(['scanner.example.net']);
    expect(finding?.data.connections.map((c) => [c.protocol, c.state, c.remote.port, c.inode, c.pid])).toEqual([
      ['tcp', 'ESTABLISHED', 51234, 101, 900],
      ['tcp', 'TIME_WAIT', 51235, 0, null],
      ['tcp6', 'ESTABLISHED', 51456, 202, 900],
    ]);
  });

  it('normalises the address of the finding (IPv6 written out in full)', async () => {
    const { bus, publish } = attached();
    publish('ip.blacklisted', '2001:0db8:0000:0000:0000:0000:0000:0007');
    await bus.settled();
    expect(bus.findings('network.connections').map((f) => [f.key, f.data.connections.map((c) => c.pid)])).toEqual([
      ['2001:db8::7', [950]],
    ]);
  });

  it('publishes nothing for an address with no live connection, nor for one only listening locally', async () => {
    const { bus, publish } = attached();
    publish('ip.threat', '198.51.100.9');
    publish('ip.threat', '127.0.0.1');
    await bus.settled();
    expect(bus.findings('network.connections')).toEqual([]);
  });

  it('reports an address once when it is both a threat and blacklisted', async () => {
    const { bus, publish, tracer } = attached();
    publish('ip.threat', '203.0.113.9');
    await bus.settled();
    publish('ip.blacklisted', '203.0.113.9');
    await bus.settled();
    expect(bus.findings('network.connections')).toHaveLength(1);
    expect(tracer.summary()).toMatchObject({ suspects: 1, suspectsConnected: 1, connectionsReported: 3 });
  });

  it('still reports when reverse DNS fails', async () => {
    const { bus, publish } = attached({ reverse: () => Promise.reject(new Error('SERVFAIL')) });
    publish('ip.threat', '203.0.113.9');
    await bus.settled();
    expect(bus.findings('network.connections')[0]?.data.hostnames).toEqual([]);
  });
});
