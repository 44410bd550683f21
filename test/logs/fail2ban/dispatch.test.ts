/**
 * Dispatch over every filter of Debian's fail2ban: a line runs only the packs
 * whose literals it holds (a constant few, not all ~90), and finds exactly
 * what running every pack's patterns without prefilters finds, one-line packs
 * (with their `<F-MLFID>` sessions) and multi-line packs (on their buffers) alike.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Fail2banPacks, loadFail2ban } from '../../../src/logs/fail2ban';
import { BufferedPack } from '../../../src/logs/fail2ban/buffer';
import type { Pack } from '../../../src/logs/fail2ban/pack';
import { CORPORA, haveCorpora } from '../../helpers/corpora';

const CONFIG = '/etc/fail2ban';
const SAMPLES = '/usr/lib/python3/dist-packages/fail2ban/tests/files/logs';
const ready = haveCorpora && existsSync(join(CONFIG, 'filter.d')) && existsSync(SAMPLES);

function linesOf(file: string): string[] {
  return readFileSync(file, 'latin1')
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'));
}

/** The pack with every literal and lead test removed: each pattern runs on every line. */
function unfiltered(pack: Pack): Pack {
  const bare = <T extends { prefilter: unknown }>(p: T): T => ({ ...p, prefilter: undefined, lead: undefined });
  return {
    ...pack,
    gate: undefined,
    prefregex: pack.prefregex && bare(pack.prefregex),
    failregex: pack.failregex.map(bare),
    ignoreregex: pack.ignoreregex.map(bare),
  };
}

/** What a multi-line pack's buffer yields after each of `lines` (one source), as `filter:host` or ''. */
function bufferedMatches(pack: Pack, lines: readonly string[]): string[] {
  const buffered = new BufferedPack(pack);
  return lines.map((line) => {
    const found = buffered.push('sample', line, () => line.toLowerCase());
    return found ? `${pack.name}:${found.groups.ip4 ?? found.groups.ip6 ?? found.groups.dns}` : '';
  });
}

if (!ready) {
  describe("dispatch over Debian's fail2ban filters", () => {
    it('needs the fail2ban package (/etc/fail2ban, its sample logs) and the shared corpora; absent here', () => {
      console.warn('skipped: apt-get install fail2ban and ../shared/corpora');
    });
  });
} else
  describe("dispatch over Debian's fail2ban filters", () => {
    const loaded = loadFail2ban(CONFIG);
    const samples = readdirSync(SAMPLES, { withFileTypes: true })
      .filter((f) => f.isFile())
      .flatMap((f) => linesOf(join(SAMPLES, f.name)));
    const loghub = ['Linux/Linux_2k.log', 'OpenSSH/OpenSSH_2k.log', 'Apache/Apache_2k.log'].flatMap((f) =>
      linesOf(join(CORPORA, 'loghub', f)),
    );

    it('finds what every pattern run without prefilters finds', () => {
      const reference = new Fail2banPacks(CONFIG, loaded.packs.map(unfiltered), [], [], 0);
      const differ = [...samples, ...loghub].filter(
        (line) => reference.match(line)?.filter !== loaded.match(line)?.filter,
      );
      expect(differ).toEqual([]);
    });

    it('finds on multi-line buffers what their patterns run without prefilters find', () => {
      const multiline = loaded.packs.filter((p) => p.maxlines > 1 && !p.disabled);
      expect(multiline.map((p) => p.name)).toEqual(['ejabberd-auth', 'guacamole', 'mongodb-auth', 'slapd']);
      for (const pack of multiline) {
        const lines = [...samples, ...loghub];
        const found = bufferedMatches(pack, lines);
        expect(found).toEqual(bufferedMatches(unfiltered(pack), lines));
        expect(found.filter((f) => f !== '').length).toBeGreaterThan(0);
      }
    });

    it('runs a constant few packs per line, not every pack', () => {
      for (const lines of [loghub, samples]) {
        const packs = loadFail2ban(CONFIG);
        for (const line of lines) packs.match(line);
        expect(packs.stats.packRuns / packs.stats.lines).toBeLessThan(5);
      }
      expect(loaded.packs.length).toBeGreaterThan(50);
    });

    it('leaves only patterns without any literal unprefiltered', () => {
      const bare = loaded.packs.flatMap((pack) =>
        pack.disabled ? [] : pack.failregex.filter((p) => p.re && !p.prefilter).map(() => pack.name),
      );
      // 3proxy's one failregex is classes and escapes from end to end.
      expect(bare).toEqual(['3proxy']);
    });
  });
