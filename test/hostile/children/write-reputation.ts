/**
 * Child process for the interrupted-write tests: writes a reputation database
 * of N entries (copies of a fixture entry with distinct addresses) to a path,
 * saying `writing` first and `written` after, or the error on stderr.
 * Usage: node --import tsx write-reputation.ts <path> <entries>
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ReputationDb, writeReputation } from '../../../src/tracers/ip/reputation';

const [path, count] = process.argv.slice(2) as [string, string];
const fixture = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'fixtures', 'reputation', 'host-a.json'), 'utf8'),
) as ReputationDb;
const template = fixture.entries[0]!;
const entries = Array.from({ length: Number(count) }, (_, i) => ({
  ...template,
  ip: `100.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
  subnet: `100.${(i >> 16) & 255}.${(i >> 8) & 255}.0/24`,
}));
const db: ReputationDb = { ...fixture, entries };
if (process.env.IGNORE_SIGXFSZ) process.on('SIGXFSZ', () => undefined);
process.stdout.write('writing\n');
writeReputation(path, db).then(
  () => process.stdout.write('written\n'),
  (error: Error) => {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  },
);
