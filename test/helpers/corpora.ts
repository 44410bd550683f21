/**
 * The shared public corpora (`../shared/corpora/` from the project root, or
 * from a folder above it: a git worktree lies deeper than the checkout). Tests
 * that read them run when the folder is present and say clearly why they are
 * skipped when it is not.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The nearest `shared/corpora` beside the project root or above it; the one beside it when none exists. */
function findCorpora(): string {
  const beside = join(__dirname, '..', '..', '..', 'shared', 'corpora');
  for (let dir = join(__dirname, '..', '..', '..'); dirname(dir) !== dir; dir = dirname(dir)) {
    const candidate = join(dir, 'shared', 'corpora');
    if (existsSync(candidate)) return candidate;
  }
  return beside;
}

export const CORPORA = findCorpora();

export const haveCorpora = existsSync(CORPORA);

/** Path of a file inside the corpora. */
export function corpus(...parts: string[]): string {
  return join(CORPORA, ...parts);
}

/** `describe` when the corpora are present; otherwise one skipped block that names the missing folder. */
export function describeWithCorpora(name: string, body: () => void): void {
  if (haveCorpora) {
    describe(name, body);
  } else {
    describe(name, () => {
      it(`needs the shared corpora at ${CORPORA} (absent here)`, () => {
        console.warn(`skipped: ${name} needs ${CORPORA}`);
      });
    });
  }
}
