/**
 * Regex denial of service: 1 MB lines built to blow up backtracking engines go
 * through the pipeline (detection and every forced format), the recognisers,
 * the error tracer, its template miner and the IP tracer in time linear in
 * their length: measured as a ratio against a plain line of the same shape and
 * length, never as a wall-clock limit. And a static check that the only JS
 * regex literals in src/ run on our own flags, not on log or /proc content.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { createEvent } from '../../src/core/event';
import { standaloneContext } from '../../src/core/tracer';
import { FORMAT_NAMES } from '../../src/logs/formats';
import { readEvents } from '../../src/logs/read-events';
import { ErrorTracer, TemplateMiner } from '../../src/tracers/error';
import { IpTracer } from '../../src/tracers/ip';
import { REDOS_CASES } from './cases/redos';

/** A linear-time engine stays within a few times the plain line; a backtracking blow-up is thousands. */
const MAX_RATIO = 20;
/** Timer noise floor: durations under this count as this (ms). */
const FLOOR_MS = 5;

/** Best of `runs` runs, in ms (the minimum is the least disturbed by other processes). */
function bestTime(run: () => void, runs = 3): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    run();
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e6);
  }
  return Math.max(best, FLOOR_MS);
}

/** The whole path of one line: format (auto or forced), recognisers, error tracer, IP tracer. */
const pipeline = (text: string, format?: string) => () => {
  const reader = readEvents([], { format, referenceDate: Date.UTC(2024, 2, 6), timezone: 'UTC' });
  const errors = new ErrorTracer();
  errors.attach(standaloneContext(errors));
  const ips = new IpTracer();
  ips.attach(standaloneContext(ips));
  for (const event of reader.readSync([{ source: 'hostile.log', line: 1, text }])) {
    errors.ingest(event);
    ips.ingest(event);
  }
  if (reader.stats()[0]!.failures !== 0) throw new Error('a parser threw');
};

/** The error tracer on the line as an error event, whatever its format would say. */
const asError = (text: string) => () => {
  const tracer = new ErrorTracer();
  tracer.attach(standaloneContext(tracer));
  tracer.ingest(createEvent({ source: 'hostile.log', line: 1, raw: text, message: text, level: 'error' }));
};

const miner = (text: string) => () => void new TemplateMiner().add(text);

describe('1 MB lines built for backtracking engines take linear time', () => {
  const paths: [string, (text: string) => () => void][] = [
    ...[undefined, ...FORMAT_NAMES].map(
      (format) =>
        [`readEvents (${format ?? 'detected'})`, (text: string) => pipeline(text, format)] as [
          string,
          (text: string) => () => void,
        ],
    ),
    ['the error tracer', asError],
    ['the template miner', miner],
  ];
  it.each(REDOS_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const slow: string[] = [];
    const ratioOf = (make: (text: string) => () => void, runs?: number) =>
      bestTime(make(c.line), runs) / bestTime(make(c.plain), runs);
    for (const [path, make] of paths) {
      // A blow-up is slow every time; a ratio over the bound once may be a pause of a loaded machine, so it is measured again.
      const ratio = ratioOf(make) > MAX_RATIO ? ratioOf(make, 7) : 0;
      if (ratio > MAX_RATIO) slow.push(`${path}: ${ratio.toFixed(1)}x the plain line`);
    }
    expect(slow).toEqual([]);
  });
});

describe('the measurement', () => {
  it('catches a backtracking engine: a nested repetition on 26 characters is far over the bound', () => {
    const backtracking = /^(a+)+$/;
    const ratio =
      bestTime(() => backtracking.test(`${'a'.repeat(25)}!`)) / bestTime(() => backtracking.test('a'.repeat(26)));
    expect(ratio).toBeGreaterThan(MAX_RATIO);
  });
});

/** Every JS regex literal in src/, and why it may be one (it never sees log or /proc content). */
const TRUSTED_REGEX_LITERALS: Record<string, string> = {
  'src/tracers/ip/blocklist.ts: /^[A-Za-z][A-Za-z0-9_]{0,27}$/': 'checks the set name given by --name (our flag)',
  'src/tracers/ip/cloud-ranges.ts: /^([A-Za-z0-9._-]+)=(.+)$/': 'splits a --cloud-ranges name=file argument (our flag)',
};

/**
 * The fail2ban reader's modules whose JS regexes run on fail2ban's configuration
 * (filter.d and jail files, the operator's own, and the Python patterns they
 * hold, being rewritten for re2), never on a log line: log lines meet only the
 * RE2 patterns these modules produce. The matcher (pack.ts) is not among them.
 */
const FAIL2BAN_CONFIG_MODULES = new Set([
  'src/logs/fail2ban/config.ts',
  'src/logs/fail2ban/date.ts',
  'src/logs/fail2ban/index.ts',
  'src/logs/fail2ban/ini.ts',
  'src/logs/fail2ban/jails.ts',
  'src/logs/fail2ban/literal.ts',
  'src/logs/fail2ban/translate.ts',
]);
const inFail2banConfig = (literal: string): boolean => FAIL2BAN_CONFIG_MODULES.has(literal.split(':')[0]!);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('regexes on input are re2', () => {
  const root = join(__dirname, '..', '..');
  const literals: string[] = [];
  const constructed: string[] = [];
  for (const file of sourceFiles(join(root, 'src'))) {
    const name = relative(root, file);
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) literals.push(`${name}: ${node.getText()}`);
      if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && node.expression.getText() === 'RegExp')
        constructed.push(`${name}: ${node.getText()}`);
      ts.forEachChild(node, visit);
    };
    visit(source);
  }

  it('finds no JS regex literal but the reviewed ones, which run on our own flags only', () => {
    expect(literals.filter((literal) => !inFail2banConfig(literal)).sort()).toEqual(
      Object.keys(TRUSTED_REGEX_LITERALS).sort(),
    );
  });

  it('finds no RegExp built at run time', () => {
    expect(constructed).toEqual([]);
  });
});
