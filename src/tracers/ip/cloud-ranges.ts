/**
 * Loaded cloud ranges: the providers' published prefixes in one prefix trie
 * per family, so a lookup over tens of thousands of prefixes is a walk of at
 * most 32 or 128 steps (longest prefix wins).
 *
 * A prefix published twice keeps the more specific description: AWS lists
 * most prefixes both as `AMAZON` and as their service (`EC2`), Azure both in
 * `AzureCloud` and in a service tag; the entry with a service other than the
 * provider's catch-all, then with a region, wins; between equals, the first
 * loaded stays.
 */
import { readFileSync, statSync } from 'node:fs';
import { formatCidr, parseCidr } from './address';
import type { CloudLookup, CloudMatch } from './classify';
import { type CloudFormat, readCloudFile } from './cloud-formats';
import { PrefixTrie } from './prefix-trie';

/** A range file that cannot be used: the message names the file and what is wrong. */
export class CloudRangesError extends Error {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`cloud ranges ${file}: ${reason}`);
    this.name = 'CloudRangesError';
  }
}

/** What loading one file added. */
export interface LoadedRanges {
  file: string;
  format: CloudFormat;
  provider: string;
  /** Prefixes read from the file (duplicates included). */
  prefixes: number;
}

/** Largest range file read (the AWS file is about 3 MB, Azure's about 4 MB). */
export const MAX_RANGE_FILE_BYTES = 64 * 1024 * 1024;

/** Catch-all services that say less than a named service. */
const CATCH_ALL = new Set(['AMAZON', 'AzureCloud']);

function specificity(match: CloudMatch): number {
  return (match.service !== undefined && !CATCH_ALL.has(match.service) ? 2 : 0) + (match.region !== undefined ? 1 : 0);
}

const keepMoreSpecific = (old: CloudMatch, added: CloudMatch): CloudMatch =>
  specificity(added) > specificity(old) ? added : old;

/**
 * Splits a `name=path` argument. A name is letters, digits, `.`, `_` or `-`;
 * anything else before `=` is taken as part of a path.
 */
export function splitNamedPath(spec: string): { name?: string; path: string } {
  const match = /^([A-Za-z0-9._-]+)=(.+)$/.exec(spec);
  return match ? { name: match[1]!.toLowerCase(), path: match[2]! } : { path: spec };
}

/** Cloud prefixes from any number of range files, with longest-prefix lookup. */
export class CloudRanges implements CloudLookup {
  private readonly v4 = new PrefixTrie<CloudMatch>(32);
  private readonly v6 = new PrefixTrie<CloudMatch>(128);

  /** Distinct prefixes held (both families). */
  get size(): number {
    return this.v4.size + this.v6.size;
  }

  /** The longest loaded prefix containing the address (4 or 16 bytes), if any. */
  lookup(bytes: Uint8Array): CloudMatch | undefined {
    return (bytes.length === 4 ? this.v4 : this.v6).lookup(bytes)?.value;
  }

  /**
   * Loads a range file, `path` or `name=path` (the name is the provider of a
   * plain CIDR list, or overrides a JSON file's). Throws CloudRangesError,
   * naming the file, when it is missing, unreadable or not a range file.
   */
  loadFile(spec: string): LoadedRanges {
    const { name, path } = splitNamedPath(spec);
    let content: string;
    try {
      const size = statSync(path).size;
      if (size > MAX_RANGE_FILE_BYTES) throw new Error(`larger than ${MAX_RANGE_FILE_BYTES} bytes`);
      content = readFileSync(path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new CloudRangesError(path, code === 'ENOENT' ? 'no such file' : (error as Error).message);
    }
    return this.loadText(content, path, name);
  }

  /** Loads a range file's content; `origin` names it in errors. */
  loadText(content: string, origin: string, provider?: string): LoadedRanges {
    const file = readCloudFile(content, provider);
    if (typeof file === 'string') throw new CloudRangesError(origin, file);
    if (file.entries.length === 0) throw new CloudRangesError(origin, 'no prefixes in the file');
    const name = file.provider!;
    for (const entry of file.entries) {
      const cidr = parseCidr(entry.cidr);
      if (typeof cidr === 'string') {
        throw new CloudRangesError(
          origin,
          `${entry.at}: bad prefix ${JSON.stringify(entry.cidr.slice(0, 80))} (${cidr})`,
        );
      }
      const match: CloudMatch = { provider: name, cidr: formatCidr(cidr) };
      if (entry.service !== undefined) match.service = entry.service;
      if (entry.region !== undefined) match.region = entry.region;
      (cidr.version === 4 ? this.v4 : this.v6).insert(cidr.bytes, cidr.length, Object.freeze(match), keepMoreSpecific);
    }
    return { file: origin, format: file.format, provider: name, prefixes: file.entries.length };
  }
}
