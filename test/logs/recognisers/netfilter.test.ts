import fc from 'fast-check';
import { recogniseNetfilter, verdictOf } from '../../../src/logs/recognisers/netfilter';
import { parse } from '../helpers';

const MAC = 'MAC=52:54:00:12:34:56:52:54:00:65:43:21:08:00';

describe('recogniseNetfilter', () => {
  it('reads a ufw block of a TCP SYN: the source, the port it aimed at, the rule', () => {
    expect(
      recogniseNetfilter(
        `[UFW BLOCK] IN=eth0 OUT= ${MAC} SRC=192.0.2.10 DST=203.0.113.7 LEN=44 TOS=0x00 PREC=0x00 TTL=243 ID=54321 PROTO=TCP SPT=44132 DPT=23 WINDOW=1024 RES=0x00 SYN URGP=0 `,
      ),
    ).toEqual({
      recognised: { action: 'conn.blocked', outcome: 'failure', hostile: false, ip: '192.0.2.10', port: 44132 },
      fields: { firewall: '[UFW BLOCK]', protocol: 'TCP', destination: '203.0.113.7', dport: 23, interface: 'eth0' },
    });
  });

  it("leaves the kernel's uptime stamp out of the rule's prefix", () => {
    const packet = recogniseNetfilter(
      `[1175018.432370] [UFW BLOCK] IN=eth0 OUT= ${MAC} SRC=77.191.57.54 DST=203.0.113.7 LEN=44 TOS=0x00 PREC=0x00 TTL=147 ID=34642 PROTO=TCP SPT=7171 DPT=8080 WINDOW=1024 RES=0x00 SYN URGP=0`,
    );
    expect([packet?.fields.firewall, packet?.fields.dport]).toEqual(['[UFW BLOCK]', 8080]);
  });

  it('reads an iptables prefix glued to IN= and a firewalld LogDenied prefix', () => {
    const glued = recogniseNetfilter(
      'IPTABLES-DROP:IN=ens3 OUT= SRC=198.51.100.23 DST=10.0.0.5 LEN=40 TOS=0x00 PREC=0x00 TTL=246 ID=1 PROTO=UDP SPT=5060 DPT=5060 LEN=20',
    );
    expect([glued?.fields.firewall, glued?.recognised.action, glued?.fields.protocol, glued?.fields.dport]).toEqual([
      'IPTABLES-DROP:',
      'conn.blocked',
      'UDP',
      5060,
    ]);
    const firewalld = recogniseNetfilter(
      `filter_IN_public_REJECT: IN=ens3 OUT= ${MAC} SRC=198.51.100.23 DST=10.0.0.5 LEN=40 TOS=0x00 PREC=0x00 TTL=246 ID=12345 PROTO=TCP SPT=54321 DPT=3389 WINDOW=1024 RES=0x00 SYN URGP=0`,
    );
    expect([firewalld?.fields.firewall, firewalld?.recognised.action]).toEqual([
      'filter_IN_public_REJECT:',
      'conn.blocked',
    ]);
  });

  it('tells allowed and merely logged packets from blocked ones', () => {
    const allowed = recogniseNetfilter(
      `[UFW ALLOW] IN=eth0 OUT= ${MAC} SRC=198.51.100.4 DST=203.0.113.7 LEN=60 TOS=0x00 PREC=0x00 TTL=52 ID=7 DF PROTO=TCP SPT=51000 DPT=443 WINDOW=64240 RES=0x00 SYN URGP=0`,
    );
    expect(allowed?.recognised).toEqual({
      action: 'conn.allowed',
      outcome: 'success',
      hostile: false,
      ip: '198.51.100.4',
      port: 51000,
    });
    expect(
      recogniseNetfilter('NEW-CONN IN=eth0 OUT= SRC=198.51.100.4 DST=203.0.113.7 LEN=60 PROTO=TCP SPT=51000 DPT=22')
        ?.recognised.action,
    ).toBe('conn.logged');
  });

  it("reads IPv6 as the kernel prints it, and ICMP's type without a port", () => {
    const v6 = recogniseNetfilter(
      '[UFW BLOCK] IN=eth0 OUT= MAC=33:33:00:00:00:fb:52:54:00:12:34:56:86:dd SRC=2001:0db8:0000:0000:0000:0000:0000:0001 DST=2001:0db8:0000:0000:0000:0000:0000:0002 LEN=72 TC=0 HOPLIMIT=64 FLOWLBL=0 PROTO=TCP SPT=40000 DPT=22 WINDOW=64800 RES=0x00 SYN URGP=0',
    );
    expect([v6?.recognised.ip, v6?.fields.dport]).toEqual(['2001:0db8:0000:0000:0000:0000:0000:0001', 22]);
    const ping = recogniseNetfilter(
      '[UFW BLOCK] IN=eth0 OUT= SRC=192.0.2.66 DST=203.0.113.7 LEN=84 TOS=0x00 PREC=0x00 TTL=56 ID=0 DF PROTO=ICMP TYPE=8 CODE=0 ID=3 SEQ=1',
    );
    expect([ping?.fields.protocol, ping?.fields.dport, ping?.recognised.port]).toEqual(['ICMP', undefined, undefined]);
  });

  it('takes the outer packet of an ICMP error, not the one it quotes', () => {
    const packet = recogniseNetfilter(
      '[UFW BLOCK] IN=eth0 OUT= SRC=192.0.2.1 DST=203.0.113.7 LEN=112 TOS=0x00 PREC=0xC0 TTL=64 ID=1 PROTO=ICMP TYPE=3 CODE=3 [SRC=203.0.113.7 DST=192.0.2.1 LEN=84 TOS=0x00 PREC=0x00 TTL=64 ID=2 PROTO=UDP SPT=53 DPT=40000 LEN=64 ]',
    );
    expect([packet?.recognised.ip, packet?.fields.destination, packet?.fields.dport]).toEqual([
      '192.0.2.1',
      '203.0.113.7',
      undefined,
    ]);
  });

  it('recognises no message that is not a logged packet', () => {
    for (const message of [
      'IN=eth0 OUT= ARP HTYPE=1 PTYPE=0x0800 OPCODE=1 MACSRC=52:54:00:12:34:56 IPSRC=192.0.2.1 MACDST=00:00:00:00:00:00 IPDST=192.0.2.2',
      'audit: SRC=192.0.2.1 DST=192.0.2.2 PROTO=TCP',
      '[UFW BLOCK] IN=eth0 OUT= SRC=garbage DST=203.0.113.7 PROTO=TCP DPT=22',
      '[UFW BLOCK] IN=eth0 OUT= SRC=192.0.2.1 DST=203.0.113.7 LEN=40',
      'Out of memory: Killed process 2345 (gunicorn)',
    ])
      expect(recogniseNetfilter(message)).toBeUndefined();
  });

  it('keeps a port only when it is one', () => {
    const packet = recogniseNetfilter('X IN=eth0 OUT= SRC=192.0.2.1 DST=203.0.113.7 PROTO=TCP SPT=70000 DPT=2x');
    expect([packet?.recognised.port, packet?.fields.dport]).toEqual([undefined, undefined]);
  });

  it('never throws, whatever the words around IN= and OUT=', () => {
    const word = fc.constantFrom(
      'IN=',
      ' OUT=',
      ' SRC=192.0.2.1',
      ' DST=::1',
      ' PROTO=TCP',
      ' DPT=',
      '=',
      ' ',
      '[',
      '1',
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(word, fc.string()), { maxLength: 30 }), (parts) => {
        const packet = recogniseNetfilter(parts.join(''));
        if (packet) expect(packet.recognised.hostile).toBe(false);
      }),
    );
  });
});

describe('verdictOf', () => {
  it.each([
    ['[UFW BLOCK]', 'blocked'],
    ['[UFW LIMIT BLOCK]', 'blocked'],
    ['iptables-dropped: ', 'blocked'],
    ['filter_IN_public_REJECT: ', 'blocked'],
    ['nft deny ', 'blocked'],
    ['[UFW ALLOW]', 'allowed'],
    ['ACCEPT ssh ', 'allowed'],
    ['[UFW AUDIT]', 'logged'],
    ['', 'logged'],
  ])('%s is %s', (prefix, verdict) => {
    expect(verdictOf(prefix)).toBe(verdict);
  });
});

describe('a firewall log through the pipeline', () => {
  it('gives the packet fields to the event, for the IP tracer to count probed ports', () => {
    const { events } = parse(
      [22, 23, 445]
        .map(
          (port, i) =>
            `Mar  5 10:15:3${i} bastion kernel: [UFW BLOCK] IN=eth0 OUT= SRC=192.0.2.80 DST=203.0.113.7 LEN=44 PROTO=TCP SPT=4000${i} DPT=${port} WINDOW=1024 SYN URGP=0`,
        )
        .join('\n') + '\n',
    );
    expect(events.map((e) => e.fields)).toEqual(
      [22, 23, 445].map((dport) => ({
        firewall: '[UFW BLOCK]',
        protocol: 'TCP',
        destination: '203.0.113.7',
        dport,
        interface: 'eth0',
      })),
    );
  });
});
