/**
 * `logsleuth reputation merge DB... -o OUT` merges reputation databases (from
 * several hosts) into one; `logsleuth reputation export DB --format
 * plain|ipset|nft` turns one into a blocklist. Exit 1 on an unreadable or
 * invalid database, 2 on a bad option.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { writeFileAtomic } from '../../core/json-file';
import { escapeForTerminal } from '../../report/terminal-escape';
import {
  BLOCKLIST_FORMATS,
  type BlocklistFormat,
  blockedAddresses,
  checkSetName,
  renderBlocklist,
} from '../../tracers/ip/blocklist';
import { type ReputationDb, mergeReputation, readReputation, writeReputation } from '../../tracers/ip/reputation';
import { type CliRun, fail } from '../io';

function score(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 100) {
    throw new InvalidArgumentError('a score from 0 to 100');
  }
  return n;
}

function setName(value: string): string {
  try {
    return checkSetName(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

/** Reads every database, or reports the first that cannot be used (escaped: paths and messages may carry anything). */
async function readAll(run: CliRun, paths: string[]): Promise<ReputationDb[] | undefined> {
  const dbs: ReputationDb[] = [];
  for (const path of paths) {
    try {
      dbs.push(await readReputation(path));
    } catch (error) {
      fail(run, escapeForTerminal(`${path}: ${(error as Error).message}`));
      return undefined;
    }
  }
  return dbs;
}

/** Registers `logsleuth reputation` and its subcommands. */
export function register(program: Command, run: CliRun): void {
  const reputation = program
    .command('reputation')
    .description('Merge reputation databases and export them as blocklists (plain, ipset, nftables)');

  reputation
    .command('merge')
    .description('merge databases from several hosts: counts add, first/last seen widen, scores are recomputed')
    .argument('<databases...>', 'reputation database files (JSON)')
    .requiredOption('-o, --output <file>', 'where to write the merged database (written atomically)')
    .action(async (paths: string[], options: { output: string }) => {
      const dbs = await readAll(run, paths);
      if (!dbs) return;
      const merged = mergeReputation(dbs);
      try {
        await writeReputation(options.output, merged);
      } catch (error) {
        fail(run, escapeForTerminal(`${options.output}: ${(error as Error).message}`));
        return;
      }
      const blacklisted = merged.entries.filter((entry) => entry.blacklisted).length;
      run.io.err(
        `merged ${dbs.length} databases: ${merged.entries.length} addresses, ${blacklisted} blacklisted -> ${escapeForTerminal(options.output)}\n`,
      );
    });

  reputation
    .command('export')
    .description(
      'write the blacklisted addresses of a database as a plain list, an ipset restore file or an nft script',
    )
    .argument('<database>', 'reputation database file (JSON)')
    .option('-f, --format <format>', `one of ${BLOCKLIST_FORMATS.join(', ')}`, 'plain')
    .option('--set <name>', 'set name (IPv6 goes to NAME_v6; nft uses NAME_v4 and NAME_v6)', setName, 'logsleuth')
    .option('--table <name>', 'nftables table (family inet)', setName, 'logsleuth')
    .option('--min-score <n>', 'block every address scoring at least N instead of the blacklisted ones', score)
    .option('-o, --output <file>', 'write to a file (atomically) instead of stdout')
    .action(
      async (
        path: string,
        options: { format: string; set: string; table: string; minScore?: number; output?: string },
      ) => {
        if (!BLOCKLIST_FORMATS.includes(options.format as BlocklistFormat)) {
          fail(
            run,
            `unknown format ${escapeForTerminal(JSON.stringify(options.format))}: use ${BLOCKLIST_FORMATS.join(', ')}`,
            2,
          );
          return;
        }
        const dbs = await readAll(run, [path]);
        if (!dbs) return;
        const db = dbs[0]!;
        const text = renderBlocklist(db, options.format as BlocklistFormat, {
          set: options.set,
          table: options.table,
          minScore: options.minScore,
        });
        const { invalid } = blockedAddresses(db, options.minScore);
        if (invalid) run.io.err(`logsleuth: skipped ${invalid} entries whose address is not valid\n`);
        if (options.output === undefined) {
          run.io.out(text);
          return;
        }
        try {
          await writeFileAtomic(options.output, text);
        } catch (error) {
          fail(run, escapeForTerminal(`${options.output}: ${(error as Error).message}`));
        }
      },
    );
}
