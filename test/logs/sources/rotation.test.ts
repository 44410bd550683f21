import { orderRotated, rotationName } from '../../../src/logs/sources/rotation';

describe('rotationName', () => {
  const cases: Array<[string, string, [number, number]]> = [
    ['auth.log', 'auth.log', [2, 0]],
    ['auth.log.1', 'auth.log', [0, -1]],
    ['auth.log.12.gz', 'auth.log', [0, -12]],
    ['auth.log-20250102', 'auth.log', [1, 20250102]],
    ['auth.log-2025010213.gz', 'auth.log', [1, 2025010213]],
    ['access.log.20250102', 'access.log', [1, 20250102]],
    ['syslog', 'syslog', [2, 0]],
    ['syslog.gz', 'syslog', [2, 0]],
    ['app-2.log', 'app-2.log', [2, 0]],
    ['backup-123', 'backup-123', [2, 0]],
    ['.gz', '.gz', [2, 0]],
  ];
  for (const [name, base, age] of cases) {
    it(`reads ${name} as member ${JSON.stringify(age)} of ${base}`, () => {
      expect(rotationName(name)).toEqual({ base, age });
    });
  }
});

describe('orderRotated', () => {
  it('reads each rotated set oldest first, sets in the order first met', () => {
    // The order a shell gives for /var/log/auth.log* /var/log/syslog*
    const shell = [
      '/var/log/auth.log',
      '/var/log/auth.log.1',
      '/var/log/auth.log.10.gz',
      '/var/log/auth.log.2.gz',
      '/var/log/syslog',
      '/var/log/syslog.1',
    ];
    expect(orderRotated(shell)).toEqual([
      '/var/log/auth.log.10.gz',
      '/var/log/auth.log.2.gz',
      '/var/log/auth.log.1',
      '/var/log/auth.log',
      '/var/log/syslog.1',
      '/var/log/syslog',
    ]);
  });

  it('orders dateext rotations by date and keeps sets of different directories apart', () => {
    expect(
      orderRotated([
        'b/error.log',
        'a/error.log',
        'a/error.log-20250103.gz',
        'a/error.log-20241231',
        '-',
        'b/error.log-20250101',
      ]),
    ).toEqual([
      'b/error.log-20250101',
      'b/error.log',
      'a/error.log-20241231',
      'a/error.log-20250103.gz',
      'a/error.log',
      '-',
    ]);
  });
});
