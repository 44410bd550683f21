import fc from 'fast-check';
import { decodeHexAddress, normaliseAddress } from '../../src/proc/address';
import { parseNetLine, parseNetTable, readNetSockets, stateName } from '../../src/proc/net';
import { removeProcTrees, writeProcTree } from './proc-tree';

afterAll(removeProcTrees);

const TCP_HEADER = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';
const TCP6_HEADER =
  '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';

/** Real-shaped lines: 10.0.0.5:22 <- 203.0.113.9:51234 and friends. */
const LINES = {
  listen8080:
    '   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4242 1 0000000000000000 100 0 0 10 0',
  sshIn:
    '   1: 0500000A:0016 097100CB:C822 01 00000024:00000000 01:00000016 00000000     0        0 5151 4 0000000000000000 20 4 31 10 -1',
  timeWait:
    '   2: 0500000A:0016 097100CB:C823 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0000000000000000',
  v6Loopback:
    '   0: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 6161 1 0000000000000000 100 0 0 10 0',
  v6Mapped:
    '   1: 0000000000000000FFFF00000100007F:1F90 0000000000000000FFFF00000100007F:D431 01 00000000:00000000 00:00000000 00000000  1000        0 6262 1 0000000000000000 20 4 30 10 -1',
  v6Doc:
    '   2: B80D0120000000000000000001000000:0016 B80D0120000000000000000007000000:E0F1 01 00000000:00000010 00:00000000 00000000     0        0 6363 1 0000000000000000 20 4 30 10 -1',
  udpDns:
    '  512: 3500007F:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000   101        0 7171 2 0000000000000000 0',
  udpConnected:
    '  513: 0F02000A:B5D1 08080808:0035 01 00000000:00000000 00:00000000 00000000  1000        0 7272 2 0000000000000000 0',
};

describe('decodeHexAddress', () => {
  it.each([
    ['0100007F', '127.0.0.1'],
    ['0500000A', '10.0.0.5'],
    ['097100CB', '203.0.113.9'],
    ['00000000', '0.0.0.0'],
    ['00000000000000000000000001000000', '::1'],
    ['00000000000000000000000000000000', '::'],
    ['0000000000000000FFFF00000100007F', '127.0.0.1'],
    ['B80D0120000000000000000007000000', '2001:db8::7'],
    ['000080FE00000000FF1E02024C3A00FE', 'fe80::202:1eff:fe00:3a4c'],
  ])('decodes %s as %s', (hex, address) => {
    expect(decodeHexAddress(hex, true)).toBe(address);
  });

  it('reads words in big-endian order on a big-endian host', () => {
    expect(decodeHexAddress('7F000001', false)).toBe('127.0.0.1');
    expect(decodeHexAddress('20010DB8000000000000000000000007', false)).toBe('2001:db8::7');
  });

  it.each(['', '0100007', '0100007G', '0000000000000000000000000100000', 'zz'])('rejects malformed %p', (hex) => {
    expect(decodeHexAddress(hex, true)).toBeUndefined();
  });
});

describe('normaliseAddress', () => {
  it.each([
    ['::ffff:10.0.0.1', '10.0.0.1'],
    ['::FFFF:7f00:1', '127.0.0.1'],
    ['2001:0DB8:0000:0000:0000:0000:0000:0007', '2001:db8::7'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['[::1]', '::1'],
    ['fe80::1%eth0', 'fe80::1'],
    ['203.0.113.9', '203.0.113.9'],
  ])('normalises %s to %s', (text, address) => {
    expect(normaliseAddress(text)).toBe(address);
  });

  it.each(['10.1', '0x7f.0.0.1', 'example.com', '1.2.3.4.5', '', '::g'])('is undefined for %p', (text) => {
    expect(normaliseAddress(text)).toBeUndefined();
  });
});

describe('parseNetLine', () => {
  it('reads a listening IPv4 socket with its uid and inode', () => {
    expect(parseNetLine('tcp', LINES.listen8080)).toEqual({
      protocol: 'tcp',
      localAddress: '127.0.0.1',
      localPort: 8080,
      remoteAddress: '0.0.0.0',
      remotePort: 0,
      state: 'LISTEN',
      txQueue: 0,
      rxQueue: 0,
      uid: 1000,
      inode: 4242,
    });
  });

  it('reads an established connection with its queues', () => {
    expect(parseNetLine('tcp', LINES.sshIn)).toMatchObject({
      localAddress: '10.0.0.5',
      localPort: 22,
      remoteAddress: '203.0.113.9',
      remotePort: 51234,
      state: 'ESTABLISHED',
      txQueue: 36,
      rxQueue: 0,
      inode: 5151,
    });
  });

  it('keeps TIME_WAIT sockets, which have no inode', () => {
    expect(parseNetLine('tcp', LINES.timeWait)).toMatchObject({ state: 'TIME_WAIT', inode: 0, remotePort: 51235 });
  });

  it('shows IPv6 loopback, IPv4-mapped and documentation addresses canonically', () => {
    expect(parseNetLine('tcp6', LINES.v6Loopback)).toMatchObject({ localAddress: '::1', state: 'LISTEN' });
    expect(parseNetLine('tcp6', LINES.v6Mapped)).toMatchObject({
      localAddress: '127.0.0.1',
      remoteAddress: '127.0.0.1',
      remotePort: 54321,
    });
    expect(parseNetLine('tcp6', LINES.v6Doc)).toMatchObject({
      localAddress: '2001:db8::1',
      remoteAddress: '2001:db8::7',
      remotePort: 57585,
      rxQueue: 16,
    });
  });

  it('calls unconnected UDP sockets UNCONN and connected ones ESTABLISHED', () => {
    expect(parseNetLine('udp', LINES.udpDns)).toMatchObject({
      localAddress: '127.0.0.53',
      localPort: 53,
      state: 'UNCONN',
      uid: 101,
    });
    expect(parseNetLine('udp', LINES.udpConnected)).toMatchObject({
      remoteAddress: '8.8.8.8',
      remotePort: 53,
      state: 'ESTABLISHED',
    });
  });

  it.each([
    ['an IPv6 address in the IPv4 table', 'tcp', LINES.v6Loopback],
    ['an IPv4 address in the IPv6 table', 'tcp6', LINES.listen8080],
    ['a truncated line', 'tcp', '   0: 0100007F:1F90 00000000:0000 0A'],
    ['a non-hex port', 'tcp', LINES.listen8080.replace('1F90', '1FZ0')],
    ['a port above 65535', 'tcp', LINES.listen8080.replace('0100007F:1F90', '0100007F:10000')],
    ['a three-digit state', 'tcp', LINES.listen8080.replace(' 0A ', ' 0A0 ')],
    ['a negative uid', 'tcp', LINES.listen8080.replace('  1000 ', ' -1000 ')],
    ['queues without a colon', 'tcp', LINES.listen8080.replace('00000000:00000000', '0000000000000000')],
    ['no slot number', 'tcp', LINES.listen8080.replace('   0: ', '   0 ')],
  ])('rejects %s', (_name, protocol, line) => {
    expect(parseNetLine(protocol as 'tcp' | 'tcp6', line)).toBeUndefined();
  });
});

describe('stateName', () => {
  it.each([
    [0x01, 'ESTABLISHED'],
    [0x02, 'SYN_SENT'],
    [0x03, 'SYN_RECV'],
    [0x04, 'FIN_WAIT1'],
    [0x05, 'FIN_WAIT2'],
    [0x06, 'TIME_WAIT'],
    [0x07, 'CLOSE'],
    [0x08, 'CLOSE_WAIT'],
    [0x09, 'LAST_ACK'],
    [0x0a, 'LISTEN'],
    [0x0b, 'CLOSING'],
    [0x0c, 'NEW_SYN_RECV'],
    [0x0d, 'UNKNOWN_0D'],
  ])('names TCP state %i %s', (code, name) => {
    expect(stateName('tcp6', code)).toBe(name);
  });

  it('names UDP state 07 UNCONN in both UDP tables', () => {
    expect(stateName('udp', 7)).toBe('UNCONN');
    expect(stateName('udp6', 7)).toBe('UNCONN');
  });
});

describe('parseNetTable', () => {
  it('skips the header and blank lines and counts malformed lines', () => {
    const text = [TCP_HEADER, LINES.listen8080, 'garbage', '', LINES.sshIn, '   9: 0100007F'].join('\n');
    const table = parseNetTable('tcp', text);
    expect(table.items.map((s) => s.inode)).toEqual([4242, 5151]);
    expect(table.skipped).toBe(2);
  });
});

describe('readNetSockets', () => {
  it('reads the four tables of a fixture tree, a missing one counting as empty', () => {
    const root = writeProcTree({
      files: {
        'net/tcp': [TCP_HEADER, LINES.listen8080, LINES.sshIn, 'malformed'].join('\n') + '\n',
        'net/tcp6': [TCP6_HEADER, LINES.v6Loopback, LINES.v6Mapped].join('\n') + '\n',
        'net/udp': ['   sl  local_address rem_address   st', LINES.udpDns].join('\n') + '\n',
      },
    });
    const result = readNetSockets(root);
    expect(result.items.map((s) => `${s.protocol} ${s.localAddress}:${s.localPort} ${s.state}`)).toEqual([
      'tcp 127.0.0.1:8080 LISTEN',
      'tcp 10.0.0.5:22 ESTABLISHED',
      'tcp6 ::1:8080 LISTEN',
      'tcp6 127.0.0.1:8080 ESTABLISHED',
      'udp 127.0.0.53:53 UNCONN',
    ]);
    expect(result.skipped).toBe(1);
  });

  it('reads a table larger than its read buffer whole', () => {
    const many = Array.from({ length: 3000 }, (_, i) => LINES.listen8080.replace(' 4242 ', ` ${i + 1} `));
    const root = writeProcTree({ files: { 'net/tcp': [TCP_HEADER, ...many].join('\n') + '\n' } });
    const result = readNetSockets(root);
    expect(result.items).toHaveLength(3000);
    expect(result.items.at(-1)?.inode).toBe(3000);
  });

  it('returns nothing for a root with no net directory', () => {
    expect(readNetSockets(writeProcTree({}))).toEqual({ items: [], skipped: 0 });
  });
});

describe('socket table properties', () => {
  it('never throws on arbitrary text, and every line is either a socket or a skip', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('tcp', 'tcp6', 'udp', 'udp6' as const),
        fc.string({ unit: 'binary' }),
        (protocol, text) => {
          const table = parseNetTable(protocol, text);
          const dataLines = text
            .split('\n')
            .slice(1)
            .filter((l) => l.trim() !== '').length;
          expect(table.items.length + table.skipped).toBe(dataLines);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('never throws on lines mutated from real ones', () => {
    const real = Object.values(LINES);
    fc.assert(
      fc.property(
        fc.constantFrom(...real),
        fc.nat(200),
        fc.string({ maxLength: 4 }),
        fc.nat(8),
        (line, at, insert, cut) => {
          const mutated = line.slice(0, at) + insert + line.slice(at + cut);
          for (const protocol of ['tcp', 'tcp6', 'udp', 'udp6'] as const) parseNetLine(protocol, mutated);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('decodes any IPv4 address and port it encodes', () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.integer({ min: 0, max: 65535 }), (ip, port) => {
        const hex = ip
          .split('.')
          .map((b) => Number(b).toString(16).toUpperCase().padStart(2, '0'))
          .reverse()
          .join('');
        const line = `   0: ${hex}:${port.toString(16).toUpperCase().padStart(4, '0')} 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1`;
        expect(parseNetLine('tcp', line)).toMatchObject({ localAddress: ip, localPort: port });
      }),
    );
  });
});
