/**
 * `logsleuth rules [--fail2ban [DIR]] [--json] [--patterns]`: the rule packs
 * loaded from fail2ban's filters: per filter, its patterns, what was rewritten
 * for re2 and what was skipped (with why), whether it spans lines (maxlines,
 * `<F-MLFID>` sessions), and the jails that enable it.
 */
import type { Command } from 'commander';
import type { Fail2banPacks, Pack, PackPattern } from '../../logs/fail2ban';
import { escapeForTerminal } from '../../report/terminal-escape';
import { type Fail2banFlag, FAIL2BAN_HELP, fail2banDir, packsOrFail } from '../fail2ban-flag';
import { type CliRun, fail } from '../io';

interface RulesFlags {
  fail2ban?: Fail2banFlag;
  json?: boolean;
  patterns?: boolean;
}

function patternsOf(pack: Pack): PackPattern[] {
  return [...(pack.prefregex ? [pack.prefregex] : []), ...pack.failregex, ...pack.ignoreregex];
}

/** Plain data for `--json`. */
export function rulesSummary(loaded: Fail2banPacks): object {
  return {
    dir: loaded.dir,
    loadMs: Math.round(loaded.loadMs),
    filters: loaded.packs.map((pack) => ({
      name: pack.name,
      files: pack.files,
      maxlines: pack.maxlines,
      mlfid: pack.mlfid,
      datepattern: pack.datepattern ?? null,
      journalmatch: pack.journalmatch ?? null,
      disabled: pack.disabled ?? null,
      jails: loaded.jails
        .filter((j) => j.filter === pack.name)
        .map((j) => ({
          name: j.name,
          enabled: j.enabled,
          logpath: j.logpath,
          maxretry: j.maxretry ?? null,
          findtime: j.findtime ?? null,
        })),
      patterns: patternsOf(pack).map((p) => ({
        kind: p.kind,
        pattern: p.original,
        prefilter: p.prefilter ?? null,
        rewrites: p.rewrites,
        skipped: p.skipped ?? null,
      })),
    })),
    errors: loaded.errors,
  };
}

/** The needles a pattern's line must hold, one of them: `a | b`, `(?i)` first when case is ignored. */
function prefilterText(p: PackPattern): string {
  if (!p.prefilter) return '';
  return (p.prefilter.caseless ? '(?i)' : '') + p.prefilter.needles.join(' | ');
}

function text(loaded: Fail2banPacks, withPatterns: boolean): string {
  const e = escapeForTerminal;
  const out: string[] = [];
  let used = 0;
  let skipped = 0;
  let rewritten = 0;
  let multiline = 0;
  let sessions = 0;
  for (const pack of loaded.packs) {
    const ps = patternsOf(pack);
    const bad = ps.filter((p) => p.skipped);
    const changed = ps.filter((p) => p.rewrites.length > 0);
    used += ps.length - bad.length;
    skipped += bad.length;
    rewritten += changed.length;
    if (pack.maxlines > 1) multiline++;
    if (pack.mlfid) sessions++;
    const jails = loaded.jails.filter((j) => j.filter === pack.name && j.enabled);
    const jailText = jails
      .map(
        (j) =>
          ` jail ${e(j.name)} (maxretry ${j.maxretry ?? '-'}, findtime ${j.findtime ?? '-'}s, ${j.logpath.map(e).join(' ')})`,
      )
      .join(';');
    out.push(
      `${e(pack.name)}: ${ps.length - bad.length} of ${ps.length} patterns on re2` +
        (changed.length ? `, ${changed.length} rewritten` : '') +
        (bad.length ? `, ${bad.length} skipped` : '') +
        (pack.maxlines > 1 ? `, multi-line (maxlines ${pack.maxlines})` : '') +
        (pack.mlfid ? ', <F-MLFID> sessions' : '') +
        (pack.disabled ? ` — not used: ${e(pack.disabled)}` : '') +
        (jailText ? `;${jailText}` : ''),
    );
    for (const p of ps) {
      if (p.skipped) out.push(`  skipped (${e(p.skipped)}): ${p.kind} ${e(p.original)}`);
      else if (p.rewrites.length) out.push(`  rewritten (${p.rewrites.map(e).join('; ')}): ${p.kind} ${e(p.original)}`);
      else if (withPatterns) out.push(`  ${p.kind} [${e(prefilterText(p))}] ${e(p.original)}`);
    }
  }
  for (const err of loaded.errors) out.push(`${e(err.name)}: not loaded: ${e(err.error)}`);
  out.push(
    `${loaded.packs.length} filters from ${e(loaded.dir)} in ${Math.round(loaded.loadMs)} ms: ` +
      `${used} patterns on re2 (${rewritten} rewritten), ${skipped} skipped; ` +
      `${multiline} multi-line, ${sessions} with <F-MLFID> sessions`,
  );
  return out.join('\n') + '\n';
}

async function runRules(run: CliRun, flags: RulesFlags): Promise<void> {
  if (fail2banDir(flags.fail2ban) === undefined) {
    fail(run, 'no rule packs: give --fail2ban DIR (no /etc/fail2ban here)', 2);
    return;
  }
  const loaded = packsOrFail(run, flags.fail2ban);
  if (!loaded) return;
  run.io.out(flags.json ? JSON.stringify(rulesSummary(loaded), null, 2) + '\n' : text(loaded, Boolean(flags.patterns)));
}

/** Adds `rules` to the program. */
export function register(program: Command, run: CliRun): void {
  program
    .command('rules')
    .description("List the rule packs loaded from fail2ban's filters: patterns, rewrites for re2, what was skipped.")
    .option('--fail2ban [dir]', FAIL2BAN_HELP)
    .option('--patterns', 'list every pattern with its literal prefilter, not only rewritten and skipped ones')
    .option('--json', 'print the packs as JSON')
    .action(async (flags: RulesFlags) => runRules(run, flags));
}
