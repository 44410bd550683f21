import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpus, describeWithCorpora } from '../../helpers/corpora';
import { survey } from './recognition-survey';

const DOC = join(__dirname, '..', '..', '..', 'docs', 'error-recognition.md');

/** The measured table of docs/error-recognition.md, by input. */
function published(): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const line of readFileSync(DOC, 'utf8').split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    if (cells.length === 9 && (cells[1]!.startsWith('loghub/') || cells[1]!.startsWith('fixtures/')))
      rows.set(cells[1]!, cells.slice(2, 8));
  }
  return rows;
}

function row(s: Awaited<ReturnType<typeof survey>>): string[] {
  const rules = Object.entries(s.rules)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([rule, n]) => `${rule} ${n}`)
    .join(', ');
  return [s.records, s.errorLike, s.byTable, s.byLevel, s.missed].map(String).concat(rules);
}

describe('error recognition on the test fixtures', () => {
  it('fixtures/errors/app.log: the figures in docs/error-recognition.md', async () => {
    const measured = row(await survey(join(__dirname, '..', '..', 'fixtures', 'errors', 'app.log')));
    expect(measured).toEqual(published().get('fixtures/errors/app.log'));
  });
});

describeWithCorpora('error recognition on the Loghub 2k logs', () => {
  it.each(['Apache', 'HDFS', 'Zookeeper', 'Proxifier', 'OpenSSH', 'Linux'])(
    '%s: the figures in docs/error-recognition.md',
    async (name) => {
      const measured = row(await survey(corpus('loghub', name, `${name}_2k.log`)));
      expect(measured).toEqual(published().get(`loghub/${name}`));
    },
  );

  it('OpenSSH: what is not recognised is authentication, the IP tracer’s evidence', async () => {
    const { missedTemplates } = await survey(corpus('loghub', 'OpenSSH', 'OpenSSH_2k.log'));
    expect(missedTemplates.map(([, template]) => template)).toEqual([
      'pam_unix(sshd:auth): authentication failure; logname= uid=<*> euid=<*> tty=ssh ruser= rhost=<*> user=<*>',
      'Failed password for <*> from <*> port <*>',
      'Failed password for invalid user <*> from <*> port <*>',
      'pam_unix(sshd:auth): authentication failure; logname= uid=<*> euid=<*> tty=ssh ruser= rhost=<*>',
      'reverse mapping checking getaddrinfo for <*> [<*>] failed - POSSIBLE BREAK-IN ATTEMPT!',
    ]);
  });
});
