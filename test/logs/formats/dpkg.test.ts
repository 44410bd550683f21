import { eventOf, parseFixture } from '../helpers';

describe("dpkg's log", () => {
  const { events, stats } = parseFixture('dpkg.log');

  it('reads every line, with the package, architecture and versions', () => {
    expect(stats[0]).toMatchObject({ format: 'dpkg', lines: 8, parsed: 8, failures: 0 });
    expect(events.map((e) => [e.action, e.fields?.package, e.fields?.version ?? e.fields?.previousVersion])).toEqual([
      [undefined, undefined, undefined],
      ['package.install', 'nmap', '7.80+dfsg1-2build1'],
      [undefined, 'nmap', '7.80+dfsg1-2build1'],
      [undefined, 'nmap', '7.80+dfsg1-2build1'],
      ['package.upgrade', 'openssl', '3.0.2-0ubuntu1.12'],
      ['package.remove', 'auditd', '1:3.0.7-1build1'],
      ['package.purge', 'auditd', '1:3.0.7-1build1'],
      [undefined, undefined, undefined],
    ]);
    expect(events[4]!.fields).toMatchObject({ previousVersion: '3.0.2-0ubuntu1.10', arch: 'amd64' });
    expect(events[3]!.fields).toMatchObject({ status: 'installed' });
  });

  it('marks what changed the host as notable, the bookkeeping as debug', () => {
    expect(events.map((e) => e.level)).toEqual([
      'debug',
      'notice',
      'debug',
      'debug',
      'notice',
      'notice',
      'notice',
      'debug',
    ]);
  });

  it('leaves other `date time word ...` lines alone', () => {
    expect(eventOf('2024-03-05 10:15:30 installed everything fine').format).not.toBe('dpkg');
  });
});
