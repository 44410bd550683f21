import { cli } from '../helpers/cli';
import { clockTicks } from '../../src/proc/sysconf';
import { SYSTEM_STAT, fixtureProcess, removeProcTrees, writeProcTree } from '../proc/proc-tree';

afterAll(removeProcTrees);

const HEADER = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';

function host() {
  return writeProcTree({
    files: {
      stat: SYSTEM_STAT,
      uptime: '1000.00 1900.00\n',
      passwd: 'root:x:0:0:root:/root:/bin/bash\n',
      'net/tcp': [
        HEADER,
        '   0: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 100 1 0000000000000000 100 0 0 10 0',
        '   1: 0500000A:0016 097100CB:C822 01 00000000:00000000 00:00000000 00000000     0        0 101 1 0000000000000000 100 0 0 10 0',
      ].join('\n'),
      'net/tcp6': [
        HEADER,
        '   0: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 200 1 0000000000000000 100 0 0 10 0',
      ].join('\n'),
    },
    pids: {
      1: fixtureProcess({ pid: 1, ppid: 0, name: 'systemd', argv: ['/sbin/init'], rssKb: 2048, start: 1 }),
      800: fixtureProcess({
        pid: 800,
        ppid: 1,
        name: 'sshd',
        argv: ['/usr/sbin/sshd', '-D'],
        rssKb: 1024,
        start: 100,
        fds: { 3: 'socket:[100]' },
      }),
      900: fixtureProcess({
        pid: 900,
        ppid: 800,
        name: '\u001b]0;pwned\u0007',
        argv: ['sshd: \u001b[2Jroot [priv]'],
        rssKb: 1024,
        start: 200,
        fds: { 4: 'socket:[101]' },
      }),
    },
  });
}

const run = (...args: string[]) => cli(['snapshot', ...args]);

describe('logsleuth snapshot', () => {
  const root = host();

  it('prints connections and processes as JSON in the documented shape', async () => {
    const { code, stdout } = await run('--json', '--proc-root', root, '--passwd', `${root}/passwd`);
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.connections).toEqual([
      {
        protocol: 'tcp',
        local: { address: '0.0.0.0', port: 22 },
        remote: { address: '0.0.0.0', port: 0 },
        state: 'LISTEN',
        inode: 100,
        uid: 0,
        pid: 800,
        process: 'sshd',
      },
      {
        protocol: 'tcp',
        local: { address: '10.0.0.5', port: 22 },
        remote: { address: '203.0.113.9', port: 51234 },
        state: 'ESTABLISHED',
        inode: 101,
        uid: 0,
        pid: 900,
        process: '\u001b]0;pwned\u0007',
      },
      {
        protocol: 'tcp6',
        local: { address: '::1', port: 8080 },
        remote: { address: '::', port: 0 },
        state: 'LISTEN',
        inode: 200,
        uid: 1000,
        pid: null,
        process: null,
      },
    ]);
    const hz = clockTicks();
    expect(json.processes[1]).toEqual({
      pid: 800,
      ppid: 1,
      name: 'sshd',
      cmdline: '/usr/sbin/sshd -D',
      state: 'S',
      user: 'root',
      uid: 0,
      rss: 1024 * 1024,
      vsize: 4096 * 1024,
      cpu: 0,
      threads: 1,
      start: new Date((1795313390 + 100 / hz) * 1000).toISOString(),
    });
    expect(json.processes.map((p: { pid: number }) => p.pid)).toEqual([1, 800, 900]);
  });

  it('prints readable tables, with attacker-chosen names escaped', async () => {
    const { code, stdout } = await run('--proc-root', root, '--passwd', `${root}/passwd`);
    expect(code).toBe(0);
    expect(stdout).not.toContain('\u001b');
    expect(stdout).not.toContain('\u0007');
    const lines = stdout.split('\n');
    expect(lines.slice(0, 4)).toEqual([
      'Proto  State        Local        Remote             Service   Process',
      'tcp    LISTEN       0.0.0.0:22   0.0.0.0:*          ssh       sshd (800)',
      'tcp    ESTABLISHED  10.0.0.5:22  203.0.113.9:51234  ssh       \\x1b]0;pwned\\x07 (900)',
      'tcp6   LISTEN       [::1]:8080   [::]:*             http-alt',
    ]);
    expect(lines[5]).toBe('PID  PPID  User  S  RSS(MB)  CPU%  Name              Command');
    expect(lines[8]).toBe('900  800   root  S  1.0      0.0   \\x1b]0;pwned\\x07  sshd: \\x1b[2Jroot [priv]');
  });

  it('fails clearly when the proc root is not a directory', async () => {
    const { code, stdout, stderr } = await run('--proc-root', `${root}/no-such-dir`);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(`logsleuth: --proc-root ${root}/no-such-dir is not a directory\n`);
  });

  it('reports an empty host without failing', async () => {
    const { code, stdout } = await run('--json', '--proc-root', writeProcTree({}));
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ connections: [], processes: [] });
  });
});
