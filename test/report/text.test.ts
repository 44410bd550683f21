import type { InvestigationResult } from '../../src/core/result';
import { renderText } from '../../src/report/text';

const result: InvestigationResult = {
  version: 1,
  generatedAt: '2025-01-02T00:00:00.000Z',
  inputs: [
    { source: 'auth.log', lines: 120, unparsed: 3 },
    { source: 'gone.log', error: 'no such file' },
  ],
  cases: [
    {
      ip: '203.0.113.7',
      score: 92.4,
      blacklisted: true,
      reasons: [{ code: 'failed_logins', text: '9 failed logins for \u001b[31mroot', points: 80 }],
      type: 'public',
      counts: { failedLogins: 9 },
      services: ['ssh'],
      firstSeen: '2025-01-01T10:00:00.000Z',
      lastSeen: '2025-01-01T10:05:00.000Z',
      chains: [
        {
          kind: 'failures-then-ban',
          summary: '9 failures then a ban',
          ip: '203.0.113.7',
          service: 'ssh',
          steps: [],
          start: null,
          end: null,
        },
      ],
      timeline: [],
      timelineTotal: 9,
      connections: [],
      processes: [],
      errors: [],
      evidence: [],
    },
  ],
  sweeps: [],
  errors: [],
  chains: [],
  stats: {},
  findings: [],
};

describe('renderText', () => {
  it('ranks suspects with their reasons and chains, and names inputs it could not read', () => {
    expect(renderText(result)).toBe(
      [
        'logsleuth report  2025-01-02T00:00:00.000Z',
        '  read 1 input(s), 120 lines, 3 unparsed',
        '  could not read gone.log: no such file',
        '',
        'Suspects (1)',
        '   92  203.0.113.7  BLACKLISTED  public  services: ssh',
        '       seen 2025-01-01T10:00:00.000Z .. 2025-01-01T10:05:00.000Z',
        '       + 80  9 failed logins for \\x1b[31mroot',
        '       chain: 9 failures then a ban',
        '',
      ].join('\n'),
    );
  });

  it('colours only when asked', () => {
    expect(renderText(result)).not.toContain('\u001b[');
    expect(renderText(result, { colour: true })).toContain('\u001b[1;31mBLACKLISTED\u001b[0m');
  });
});
