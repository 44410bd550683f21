/**
 * The shared public corpora (`../shared/corpora/` from the project root). Tests
 * that read them run when the folder is present and say clearly why they are
 * skipped when it is not.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const CORPORA = join(__dirname, '..', '..', '..', 'shared', 'corpora');

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
