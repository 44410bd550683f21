/**
 * IP classification speed with a realistic cloud range set: every file in
 * ../shared/corpora/cloud (AWS, Google, Oracle, Cloudflare, DigitalOcean,
 * Linode, Vultr: about 20,000 prefixes) loaded, plus a real country .mmdb.
 * Figures: load time, classifications per second uncached (every address
 * distinct, straight through `classifyIp`) and cached (a working set of 1,000
 * addresses through a `Classifier`), and a linear scan over the same prefixes
 * for comparison.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { formatIp, parseCidr, parseIp } from '../src/tracers/ip/address';
import { Classifier, classifyIp } from '../src/tracers/ip/classify';
import { readCloudFile } from '../src/tracers/ip/cloud-formats';
import { CloudRanges } from '../src/tracers/ip/cloud-ranges';
import { GeoIpDatabase } from '../src/tracers/ip/geoip';
import type { Figure } from './run';

export const name = 'classify';

const CLOUD = join(__dirname, '..', '..', 'shared', 'corpora', 'cloud');
const COUNTRY_DB = join(
  __dirname,
  '..',
  'node_modules',
  '@ip-location-db',
  'geo-whois-asn-country-mmdb',
  'geo-whois-asn-country.mmdb',
);

function loadCloud(): { ranges: CloudRanges; files: string[] } {
  const ranges = new CloudRanges();
  const files = readdirSync(CLOUD).sort();
  for (const file of files) {
    const path = join(CLOUD, file);
    const named = file.endsWith('.txt') && !file.startsWith('cloudflare');
    ranges.loadFile(named ? `${file.split('-')[0]}=${path}` : path);
  }
  return { ranges, files };
}

/** A deterministic mix: 70% random IPv4, 20% random global IPv6, 10% IPv4-mapped. */
function addresses(count: number, seed: number): string[] {
  let state = seed >>> 0;
  const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const kind = i % 10;
    if (kind < 7) out.push(formatIp(Uint8Array.of(next() >>> 24, next() >>> 24, next() >>> 24, next() >>> 24)));
    else if (kind < 9) {
      const bytes = Uint8Array.from({ length: 16 }, () => next() >>> 24);
      bytes[0] = 0x20 | (bytes[0]! & 0x0f);
      out.push(formatIp(bytes));
    } else out.push(`::ffff:${next() >>> 24}.${next() >>> 24}.${next() >>> 24}.${next() >>> 24}`);
  }
  return out;
}

function perSecond(count: number, work: () => void): number {
  const start = process.hrtime.bigint();
  work();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return count / seconds;
}

export async function run(): Promise<Figure[]> {
  const loadStart = process.hrtime.bigint();
  const { ranges, files } = loadCloud();
  const loadMs = Number(process.hrtime.bigint() - loadStart) / 1e6;
  const geo = GeoIpDatabase.open(COUNTRY_DB);
  const figures: Figure[] = [
    {
      measure: 'load cloud ranges',
      value: loadMs,
      unit: 'ms',
      note: `${files.length} files, ${ranges.size} distinct prefixes`,
    },
  ];

  const distinct = addresses(300_000, 7);
  let cloudHits = 0;
  for (const address of distinct.slice(0, 1000)) classifyIp(address, { cloud: ranges }); // warm up
  figures.push({
    measure: 'classify uncached, registry only',
    value: perSecond(distinct.length, () => {
      for (const address of distinct) classifyIp(address);
    }),
    unit: 'addresses/s',
  });
  figures.push({
    measure: 'classify uncached, with cloud ranges',
    value: perSecond(distinct.length, () => {
      for (const address of distinct) {
        const result = classifyIp(address, { cloud: ranges });
        if ('type' in result && result.type === 'cloud') cloudHits++;
      }
    }),
    unit: 'addresses/s',
    note: `${distinct.length.toLocaleString('en-US')} distinct addresses, ${cloudHits.toLocaleString('en-US')} in a cloud range`,
  });
  figures.push({
    measure: 'classify uncached, with cloud ranges + country .mmdb',
    value: perSecond(100_000, () => {
      for (const address of distinct.slice(0, 100_000)) classifyIp(address, { cloud: ranges, geoip: [geo] });
    }),
    unit: 'addresses/s',
  });

  const working = addresses(1000, 11);
  const classifier = new Classifier({ cloud: ranges, geoip: [geo], cacheSize: 10_000 });
  for (const address of working) classifier.classify(address);
  const rounds = 1000;
  figures.push({
    measure: 'classify cached (Classifier, 1,000-address working set)',
    value: perSecond(working.length * rounds, () => {
      for (let round = 0; round < rounds; round++) for (const address of working) classifier.classify(address);
    }),
    unit: 'addresses/s',
    note: `hit rate ${((classifier.stats.hits / (classifier.stats.hits + classifier.stats.misses)) * 100).toFixed(1)}%`,
  });

  // The linear scan a trie replaces: every prefix tested against every address.
  const all: { bytes: Uint8Array; length: number }[] = [];
  for (const file of files) {
    const read = readCloudFile(readFileSync(join(CLOUD, file), 'utf8'), 'any');
    if (typeof read === 'string') throw new Error(`${file}: ${read}`);
    for (const entry of read.entries) {
      const cidr = parseCidr(entry.cidr);
      if (typeof cidr !== 'string') all.push(cidr);
    }
  }
  const sample = distinct.slice(0, 2000).map((address) => parseIp(address));
  figures.push({
    measure: 'linear scan over the same prefixes (for comparison)',
    value: perSecond(sample.length, () => {
      for (const parsed of sample) {
        if (typeof parsed === 'string') continue;
        let best = -1;
        for (const prefix of all) {
          if (prefix.bytes.length !== parsed.bytes.length || prefix.length <= best) continue;
          let inside = true;
          for (let bit = 0; bit < prefix.length && inside; bit++) {
            const mask = 0x80 >> (bit & 7);
            inside = (prefix.bytes[bit >> 3]! & mask) === (parsed.bytes[bit >> 3]! & mask);
          }
          if (inside) best = prefix.length;
        }
      }
    }),
    unit: 'addresses/s',
    note: `${all.length.toLocaleString('en-US')} prefixes scanned per address`,
  });
  return figures;
}
