/**
 * Address lists given on the command line: each value is an address, a CIDR
 * network, or the path of a list file (one per line, `#` comments).
 */
import { existsSync } from 'node:fs';
import { CidrSet, readCidrList } from '../tracers/ip/whitelist';

/** Builds one set from `values`, starting from `base`; throws a one-line error naming the bad value. */
export async function cidrSetFromArgs(values: readonly string[], base: readonly string[] = []): Promise<CidrSet> {
  const set = new CidrSet(base);
  for (const value of values) {
    if (set.add(value) === undefined) continue;
    if (!existsSync(value)) throw new Error(`'${value}' is neither an address, a CIDR network nor a readable file`);
    const list = await readCidrList(value, set);
    if (list.invalid.length) {
      throw new Error(`${value}: lines ${list.invalid.slice(0, 5).join(', ')} are not addresses or networks`);
    }
  }
  return set;
}
