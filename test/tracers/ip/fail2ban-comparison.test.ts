/**
 * issue 4, "Measured": the addresses we blacklist versus those a fail2ban sshd
 * jail with its defaults (maxretry 5, findtime 10 minutes, filter mode normal)
 * bans on the same lines. fail2ban's side runs fail2ban's own FailManager
 * (fail2ban-jail.py) on fail2ban's matches: the corpus annotations for the
 * fail2ban sample log, `fail2ban-regex` for the Loghub OpenSSH log. The figures
 * are in docs/threat-score.md.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SourceLine } from '../../../src/logs/line';
import { readEvents } from '../../../src/logs/read-events';
import { IpTracer } from '../../../src/tracers/ip';
import { corpus, describeWithCorpora } from '../../helpers/corpora';

const JAIL = join(__dirname, 'fail2ban-jail.py');

/** A Python that can import fail2ban (Debian installs it for the system Python). */
const jailPython = ['/usr/bin/python3', 'python3'].find(
  (python) => spawnSync(python, ['-c', 'import fail2ban'], { stdio: 'ignore' }).status === 0,
);
const haveRegex = spawnSync('fail2ban-regex', ['--version'], { stdio: 'ignore' }).status === 0;

interface Failure {
  ip: string;
  time: number;
}

/** What fail2ban's jail bans given its failures in log order. */
function jailBans(failures: Failure[]): string[] {
  const out = execFileSync(jailPython!, [JAIL], {
    input: failures.map((failure) => JSON.stringify(failure)).join('\n'),
    encoding: 'utf8',
  });
  return (JSON.parse(out) as { banned: string[] }).banned;
}

/** Our tracer, default settings, over a file read by our pipeline in fail2ban's default (normal) mode. */
function ourTracer(path: string, options: { referenceDate: number; timezone?: string }): IpTracer {
  const lines: SourceLine[] = readFileSync(path, 'utf8')
    .split('\n')
    .map((text, i) => ({ source: path, line: i + 1, text: text.endsWith('\r') ? text.slice(0, -1) : text }));
  if (lines[lines.length - 1]?.text === '') lines.pop();
  const tracer = new IpTracer();
  for (const event of readEvents([], { mode: 'normal', ...options }).readSync(lines)) tracer.ingest(event);
  tracer.finish();
  return tracer;
}

function agreement(ours: string[], theirs: string[]) {
  const both = ours.filter((ip) => theirs.includes(ip));
  return {
    ours: ours.length,
    fail2ban: theirs.length,
    both: both.length,
    onlyOurs: ours.filter((ip) => !theirs.includes(ip)),
    onlyFail2ban: theirs.filter((ip) => !ours.includes(ip)),
  };
}

const describeWithJail = jailPython ? describeWithCorpora : describe.skip;
if (!jailPython) console.warn('skipped: the fail2ban comparison needs a Python with the fail2ban package');

describeWithJail('blacklist versus a default fail2ban sshd jail', () => {
  it('bans with fail2ban on 5 failures within 10 minutes, and not on 4 (the jail itself, as a control)', () => {
    const at = (ip: string, minutes: number[]) => minutes.map((m) => ({ ip, time: 1_000_000 + m * 60 }));
    expect(jailBans([...at('192.0.2.1', [0, 1, 2, 3, 4]), ...at('192.0.2.2', [0, 1, 2, 3])])).toEqual(['192.0.2.1']);
  });

  it('agrees on the fail2ban sshd sample log: neither bans anyone', () => {
    const annotations = execFileSync('python3', [corpus('failjson.py'), corpus('fail2ban', 'sshd')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as { match: boolean; host: string | null; epoch: number; variants: object[] });
    // The default jail runs the filter's normal mode: lines annotated for it ({}), with a host.
    const failures = annotations
      .filter((a) => a.match && a.host !== null && a.variants.some((v) => Object.keys(v).length === 0))
      .map((a) => ({ ip: a.host!, time: a.epoch }));
    expect(failures).toHaveLength(65);
    const tracer = ourTracer(corpus('fail2ban', 'sshd'), {
      referenceDate: Date.UTC(2005, 7, 14, 10, 0, 0),
      timezone: 'Europe/Paris',
    });
    expect(agreement(tracer.blacklist(), jailBans(failures))).toEqual({
      ours: 0,
      fail2ban: 0,
      both: 0,
      onlyOurs: [],
      onlyFail2ban: [],
    });
  });

  (haveRegex ? it : it.skip)(
    'agrees on the Loghub OpenSSH log (a real brute-forced server): the same 12 addresses',
    () => {
      const path = corpus('loghub', 'OpenSSH', 'OpenSSH_2k.log');
      // fail2ban-regex -o row prints one failure per line: ['IP',<tab>EPOCH,<tab>{...}],
      const failures = execFileSync('fail2ban-regex', ['-o', 'row', path, 'sshd'], { encoding: 'utf8' })
        .split('\n')
        .filter((line) => line.startsWith("['"))
        .map((line) => {
          const [ip, time] = line.split('\t');
          return { ip: ip!.slice(2, ip!.indexOf("'", 2)), time: Number.parseFloat(time!) };
        });
      expect(failures).toHaveLength(639);
      const tracer = ourTracer(path, { referenceDate: Date.UTC(2025, 11, 31) });
      const theirs = jailBans(failures);
      expect(agreement(tracer.blacklist(), theirs)).toEqual({
        ours: 12,
        fail2ban: 12,
        both: 12,
        onlyOurs: [],
        onlyFail2ban: [],
      });
      expect(theirs).toEqual([
        '103.207.39.16',
        '103.207.39.212',
        '103.99.0.122',
        '112.95.230.3',
        '119.4.203.64',
        '123.235.32.19',
        '183.62.140.253',
        '185.190.58.151',
        '187.141.143.180',
        '195.154.37.122',
        '5.188.10.180',
        '60.2.12.12',
      ]);
    },
  );
});
