import { readAuditFields, readEmbeddedAudit } from '../../../src/logs/formats/audit';
import { eventOf, parseFixture, summary } from '../helpers';

const iso = (t: number | undefined) => (t === undefined ? undefined : new Date(t).toISOString());

describe('the audit log (auditd RAW and ENRICHED)', () => {
  const { events, stats } = parseFixture('audit.log');

  it('reads every complete record and keeps the truncated last line as a raw event', () => {
    expect(stats[0]).toMatchObject({ format: 'audit', lines: 10, events: 10, parsed: 9, unparsed: 1, failures: 0 });
    expect(events[9]).toMatchObject({ format: 'raw', action: undefined });
  });

  it('takes the time and serial from msg=audit(...), the host from node= and the program from exe', () => {
    expect(iso(events[0]!.timestamp)).toBe('2024-03-05T10:15:30.120Z');
    expect(events[0]).toMatchObject({ program: 'sshd', pid: 4101, service: 'ssh', host: undefined });
    expect(events[0]!.fields).toMatchObject({ auditType: 'USER_AUTH', auditSerial: '4101', op: 'PAM:authentication' });
    expect(events[3]).toMatchObject({ host: 'web1', program: 'sshd' });
  });

  it('counts failed authentications with an address against it, and a failed USER_LOGIN only as a session', () => {
    const ssh = { format: 'audit', service: 'ssh', outcome: 'failure', ip: '203.0.113.51' };
    expect(events.slice(0, 3).map(summary)).toEqual([
      { ...ssh, action: 'auth.failure', hostile: true, user: 'root' },
      { ...ssh, action: 'session.open', hostile: false },
      { ...ssh, action: 'auth.failure', hostile: true },
    ]);
  });

  it('reads a success, and stops at the ENRICHED translations', () => {
    expect(summary(events[3]!)).toMatchObject({
      action: 'auth.success',
      outcome: 'success',
      ip: '198.51.100.7',
      user: 'alice',
    });
    expect(events[3]!.fields).not.toHaveProperty('UID');
  });

  it('decodes hex-encoded values (sudo command, process title)', () => {
    expect(events[4]).toMatchObject({ program: 'sudo', action: 'sudo.command' });
    expect(events[4]!.fields).toMatchObject({ cmd: 'systemctl restart phpfpm', cwd: '/home/alice' });
    expect(events[8]!.fields).toMatchObject({ proctitle: '/usr/sbin/httpd -DFOREGROUND' });
  });

  it("turns systemd's failed SERVICE_START into a unit failure of the service", () => {
    expect(events[5]).toMatchObject({ program: 'systemd', action: 'unit.failed', outcome: 'failure' });
    expect(events[5]!.fields).toMatchObject({ unit: 'php8.2-fpm', managedUnit: 'php8.2-fpm.service' });
  });

  it('keeps context records (AVC, SYSCALL) as events with their fields and no action', () => {
    expect(events[6]).toMatchObject({ program: 'httpd', service: 'apache', action: undefined, hostile: false });
    expect(events[6]!.fields).toMatchObject({ auditType: 'AVC', tclass: 'dir', comm: 'httpd' });
    expect(events[7]!.fields).toMatchObject({ auditType: 'SYSCALL', syscall: '83', exit: '-13', key: '(null)' });
  });
});

describe('audit records in syslog', () => {
  const body =
    'pid=552 uid=0 auid=4294967295 ses=4294967295 msg=\'op=PAM:authentication grantors=? acct="root" exe="/usr/sbin/sshd" hostname=203.0.113.10 addr=203.0.113.10 terminal=ssh res=failed\'';

  it.each([
    ['journald (identifier audit)', `Mar  5 10:15:30 host audit[552]: USER_AUTH ${body}`],
    [
      'the kernel (no auditd)',
      `Mar  5 10:15:30 host kernel: [  12.345678] audit: type=1100 audit(1709633730.120:45): ${body}`,
    ],
  ])('reads %s as the ssh failure it records, without counting it twice', (_name, line) => {
    const event = eventOf(line);
    // sshd's own `Failed password` line in the same logs is the one that counts.
    expect(summary(event)).toMatchObject({
      service: 'ssh',
      action: 'auth.failure',
      hostile: false,
      ip: '203.0.113.10',
      user: 'root',
    });
    expect(event.fields).toMatchObject({ auditType: 'USER_AUTH', terminal: 'ssh' });
  });

  it('leaves other kernel and audit messages alone', () => {
    expect(readEmbeddedAudit('audit: backlog limit exceeded')).toBeUndefined();
    expect(readEmbeddedAudit('type=1400 audit(garbage')).toBeUndefined();
    expect(readEmbeddedAudit('lowercase words here')).toBeUndefined();
    const apparmor = readEmbeddedAudit('audit: type=1400 audit(1709633730.120:46): apparmor="DENIED" operation="open"');
    expect(apparmor).toEqual({ auditType: '1400', apparmor: 'DENIED', operation: 'open' });
  });
});

describe('readAuditFields', () => {
  it('reads bare, quoted and nested values and skips words without =', () => {
    const into: Record<string, string> = {};
    readAuditFields('user pid=1 a="x y" msg=\'op=login res=failed\' avc:  denied  { read } for  b=2', into);
    expect(into).toEqual({ pid: '1', a: 'x y', op: 'login', res: 'failed', b: '2' });
  });

  it('never throws on unterminated quotes, stray = or binary', () => {
    for (const body of ['a="open', "msg='a=1", '=', '==x', 'k=', '\u0000\uffff=\u0001', 'x'.repeat(100_000) + '=1']) {
      expect(() => readAuditFields(body, {})).not.toThrow();
    }
  });
});
