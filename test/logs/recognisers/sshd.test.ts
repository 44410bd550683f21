import fc from 'fast-check';
import { splitFailedTail } from '../../../src/logs/recognisers/sshd';
import { eventOf, parse } from '../helpers';
import { recogniserCases } from './cases';

const H = 'Mar  5 10:15:30 srv sshd[100]: ';

recogniserCases('sshd, normal mode', {
  matches: [
    {
      line: H + 'Failed password for root from 203.0.113.1 port 4022 ssh2',
      expect: {
        action: 'auth.failure',
        outcome: 'failure',
        hostile: true,
        ip: '203.0.113.1',
        port: 4022,
        user: 'root',
      },
    },
    {
      line: H + 'Failed password for invalid user oracle from 2001:db8::1 port 4022 ssh2',
      expect: { action: 'auth.invalid_user', hostile: true, ip: '2001:db8::1', user: 'oracle' },
    },
    {
      line: H + 'Failed publickey for invalid user git from 203.0.113.2 port 1 ssh2: RSA SHA256:abc',
      expect: { action: 'auth.invalid_user', hostile: true, ip: '203.0.113.2', user: 'git' },
    },
    {
      line: H + 'Failed keyboard-interactive/pam for invalid user x y from 203.0.113.3 port 22 ssh2',
      expect: { hostile: true, ip: '203.0.113.3', user: 'x y' },
    },
    {
      line: H + 'Failed password for invalid user 1.2.3.4 from 5.6.7.8 port 22 ssh2',
      expect: { hostile: true, ip: '5.6.7.8', user: '1.2.3.4' },
    },
    {
      line: H + 'Failed password for invalid user from 10.10.1.1 from 192.0.2.4 port 58946 ssh2',
      expect: { hostile: true, ip: '192.0.2.4', user: 'from 10.10.1.1' },
    },
    {
      line: H + 'Failed password for invalid user test from 192.0.2.5 port 58946 ssh2: from 10.10.1.2 port 55555 ssh2',
      expect: { hostile: true, ip: '192.0.2.5', user: 'test' },
    },
    {
      line: H + 'Invalid user admin from 203.0.113.4 port 40000',
      expect: { action: 'auth.invalid_user', hostile: true, ip: '203.0.113.4', port: 40000, user: 'admin' },
    },
    { line: H + 'Invalid user  from 192.0.2.68 port 34916', expect: { hostile: true, ip: '192.0.2.68', user: '' } },
    {
      line: H + 'error: PAM: Authentication failure for bob from host.example.org',
      expect: { action: 'auth.failure', hostile: true, domain: 'host.example.org', ip: undefined, user: 'bob' },
    },
    { line: H + 'ROOT LOGIN REFUSED FROM ::ffff:1.2.3.4', expect: { hostile: true, ip: '1.2.3.4', user: 'ROOT' } },
    {
      line: H + 'User root from 198.51.100.9 not allowed because listed in DenyUsers',
      expect: { action: 'auth.failure', hostile: true, ip: '198.51.100.9', user: 'root' },
    },
    {
      line: H + 'refused connect from x (::ffff:218.249.210.161)',
      expect: { action: 'conn.refused', hostile: true, ip: '218.249.210.161' },
    },
    {
      line: H + 'error: maximum authentication attempts exceeded for root from 61.0.0.1 port 49940 ssh2 [preauth]',
      expect: { action: 'auth.max_attempts', hostile: true, ip: '61.0.0.1', port: 49940, user: 'root' },
    },
    {
      line: H + 'Received disconnect from 89.24.13.192: 3: com.jcraft.jsch.JSchException: Auth fail',
      expect: { action: 'auth.failure', hostile: true, ip: '89.24.13.192' },
    },
    {
      line:
        H +
        'Disconnecting invalid user admin 192.0.2.117 port 44004: Change of username or service not allowed: (admin,ssh-connection) -> (user,ssh-connection) [preauth]',
      expect: { hostile: true, ip: '192.0.2.117', user: 'admin' },
    },
    {
      line: H + 'Accepted password for deploy from 198.51.100.7 port 40022 ssh2',
      expect: { action: 'auth.success', outcome: 'success', hostile: false, ip: '198.51.100.7', user: 'deploy' },
    },
    {
      line: 'Jul  3 14:59:17 host sshd-session[1571]: Failed password for root from 192.0.2.1 port 56502 ssh2',
      expect: { service: 'ssh', hostile: true, ip: '192.0.2.1' },
    },
    {
      line: 'Mar 29 05:59:23 dusky sshd[20878]: [ID 800047 auth.info] Failed keyboard-interactive for <invalid username> from 205.186.180.55 port 42742 ssh2',
      expect: { hostile: true, ip: '205.186.180.55', user: '<invalid username>' },
    },
  ],
  misses: [
    { line: H + 'Failed publickey for git from 192.0.2.1 port 57904 ssh2: ECDSA 0e:ff', action: 'auth.failure' },
    { line: H + 'Connection closed by 192.0.2.5', action: 'session.close' },
    { line: H + 'Connection from 192.0.2.5 port 4000 on 10.0.0.1 port 22', action: 'conn.open' },
    { line: H + 'Postponed publickey for git from 192.0.2.1 port 57904 ssh2 [preauth]' },
    {
      line:
        H +
        'Address 1.2.3.4 maps to x.example.com, but this does not map back to the address - POSSIBLE BREAK-IN ATTEMPT!',
    },
    { line: H + 'input_userauth_request: invalid user root [preauth]' },
    {
      line: H + 'Did not receive identification string from 69.61.56.114',
      mode: 'normal',
      action: 'auth.no_identification',
    },
    { line: H + 'Connection closed by 192.0.2.212 [preauth]', mode: 'normal', action: 'auth.preauth_disconnect' },
    { line: H + 'error: kex_exchange_identification: banner line too long' },
    { line: 'Mar  5 10:15:30 srv notsshd[100]: Failed password for root from 203.0.113.1 port 4022 ssh2' },
  ],
});

recogniserCases('sshd, ddos / extra / aggressive modes', {
  matches: [
    {
      line: H + 'Did not receive identification string from 192.0.2.5 port 35836',
      mode: 'ddos',
      expect: { action: 'auth.no_identification', hostile: true, ip: '192.0.2.5', port: 35836 },
    },
    {
      line: H + "Bad protocol version identification 'dummy' from 192.0.2.1' from 69.61.56.115 port 31778",
      mode: 'aggressive',
      expect: { action: 'auth.protocol_error', hostile: true, ip: '69.61.56.115' },
    },
    {
      line: H + 'Connection reset by 192.0.2.39 port 14282 [preauth]',
      mode: 'ddos',
      expect: { action: 'auth.preauth_disconnect', hostile: true, ip: '192.0.2.39' },
    },
    {
      line: H + 'Connection closed by authenticating user test 127.0.0.1 port 12345 192.0.2.11 port 46039 [preauth]',
      mode: 'aggressive',
      expect: { hostile: true, ip: '192.0.2.11', user: 'test 127.0.0.1 port 12345' },
    },
    {
      line:
        H +
        'Unable to negotiate with 192.0.2.2 port 55419: no matching key exchange method found. Their offer: diffie-hellman-group1-sha1',
      mode: 'extra',
      expect: { action: 'auth.negotiation_failure', hostile: true, ip: '192.0.2.2' },
    },
    {
      line: H + 'banner exchange: Connection from 192.0.2.12 port 44105: invalid format',
      mode: 'ddos',
      expect: { hostile: true, ip: '192.0.2.12' },
    },
    {
      line: H + 'Timeout before authentication for connection from 192.0.2.17 to 127.0.0.1, pid = 29098',
      mode: 'aggressive',
      expect: { action: 'conn.timeout', hostile: true, ip: '192.0.2.17' },
    },
  ],
  misses: [
    {
      line: H + 'Unable to negotiate with 192.0.2.2 port 55419: no matching cipher found. Their offer: x',
      mode: 'ddos',
      action: 'auth.negotiation_failure',
    },
    { line: H + 'Connection closed by 192.0.2.15 port 35352', mode: 'aggressive', action: 'session.close' },
  ],
});

describe('sshd sessions (same pid)', () => {
  it('gives a failure without address the address of an earlier line', () => {
    const event = eventOf(H + 'Disconnecting: Too many authentication failures [preauth]', {}, [
      H + 'Connection from 115.249.163.77 port 51353 on 127.0.0.1 port 22',
    ]);
    expect(event).toMatchObject({ action: 'auth.max_attempts', hostile: true, ip: '115.249.163.77' });
  });

  it('counts a failure reported before the address on the first line that names it', () => {
    const { events } = parse(
      [
        'Nov 23 21:50:19 sshd[8148]: Disconnecting: Too many authentication failures for root [preauth]',
        'Nov 23 21:50:37 sshd[7148]: Connection closed by 61.0.0.2',
        'Nov 23 21:50:37 sshd[8148]: Connection closed by 61.0.0.1',
      ].join('\n'),
    );
    expect(events.map((e) => [e.hostile, e.ip])).toEqual([
      [false, undefined],
      [false, '61.0.0.2'],
      [true, '61.0.0.1'],
    ]);
  });

  it('counts trying a second user name in one connection, even when it ends in a login', () => {
    const pam = (user: string) =>
      `Mar  7 18:53:22 bar sshd[1558]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser=${user} rhost=192.0.2.114`;
    const { events } = parse(
      [
        pam('root'),
        pam('root'),
        pam('sudoer'),
        'Mar  7 18:53:24 bar sshd[1558]: Accepted password for known from 192.0.2.114 port 52100 ssh2',
      ].join('\n'),
    );
    expect(events.map((e) => e.hostile)).toEqual([false, false, true, true]);
  });

  it('counts a login after an invalid user name in the same connection', () => {
    const { events } = parse(
      [
        'Jan  1 11:13:59 b sshd[45261]: Invalid user user51 from 193.91.14.4 port 35342',
        'Jan  1 11:16:21 b sshd[45261]: Accepted publickey for deploy from 213.168.0.13 port 18559 ssh2: ED25519 SHA256:x',
      ].join('\n'),
    );
    expect(events.map((e) => [e.action, e.hostile])).toEqual([
      ['auth.invalid_user', true],
      ['auth.success', true],
    ]);
  });

  it('treats lines of a pid five minutes apart as different connections (a reused pid)', () => {
    const { events } = parse(
      [
        'Jan  1 05:47:29 b sshd[59348]: Failed password for invalid user test from 64.162.2.9 port 2544 ssh2',
        'Jan  1 05:52:29 b sshd[59348]: Accepted publickey for deploy from 159.59.0.7 port 30532 ssh2: ED25519 SHA256:x',
        'Jan  1 05:53:00 b sshd[59349]: Disconnecting: Too many authentication failures [preauth]',
      ].join('\n'),
    );
    expect(events.map((e) => e.hostile)).toEqual([true, false, false]);
  });

  it('keeps the session table bounded', () => {
    const lines: string[] = [];
    for (let pid = 1; pid <= 12_000; pid++)
      lines.push(`Mar  5 10:15:30 srv sshd[${pid}]: Connection from 192.0.2.1 port 1`);
    lines.push('Mar  5 10:15:31 srv sshd[1]: Disconnecting: Too many authentication failures [preauth]');
    lines.push('Mar  5 10:15:31 srv sshd[12000]: Disconnecting: Too many authentication failures [preauth]');
    const { events } = parse(lines.join('\n'));
    expect(events.slice(-2).map((e) => e.hostile)).toEqual([false, true]);
  });
});

describe('an address inside a user name is never the source', () => {
  const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join('.'));
  const userWithIp = fc
    .tuple(
      fc.constantFrom('', 'x', 'from ', 'test from ', 'a b from '),
      ipv4,
      fc.constantFrom('', ' port 22', ' port 1 ssh2', ' '),
    )
    .map(([pre, ip, post]) => `${pre}${ip}${post}`);

  it('holds for Failed and Invalid user lines', () => {
    fc.assert(
      fc.property(userWithIp, ipv4, (user, source) => {
        for (const line of [
          `${H}Failed password for invalid user ${user} from ${source} port 4000 ssh2`,
          `${H}Invalid user ${user} from ${source} port 4000`,
        ]) {
          const event = eventOf(line);
          if (event.ip !== source || !event.hostile) return false;
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });

  it('splits the Failed tail the way fail2ban does', () => {
    expect(splitFailedTail('root from 1.2.3.4 port 22 ssh2: RSA SHA256:x')).toEqual({
      user: 'root',
      host: '1.2.3.4',
      port: '22',
      invalid: false,
    });
    expect(splitFailedTail('nobody here')).toBeUndefined();
  });
});

describe('a user name of any text, once sshd named it', () => {
  const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join('.'));
  const name = fc.string({ minLength: 1, maxLength: 60 }).filter((s) => !/[\r\n]/.test(s));

  it('never makes the address inside it the source of the Failed line', () => {
    fc.assert(
      fc.property(name, ipv4, ipv4, (prefix, inner, source) => {
        const user = `${prefix} from ${inner} port 22 ssh2: x`;
        const { events } = parse(
          [
            `${H}Invalid user ${user} from ${source} port 4000`,
            `${H}Failed password for invalid user ${user} from ${source} port 4000 ssh2`,
          ].join('\n'),
        );
        return events.every((e) => e.ip === source && e.user === user && e.hostile);
      }),
      { numRuns: 300 },
    );
  });
});
