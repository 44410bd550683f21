/**
 * The cloud providers' published range files, read by shape. Each reader is a
 * row of a table: a test on the parsed JSON's shape and an extractor of
 * `{cidr, service, region}` entries. Plain CIDR lists (Cloudflare's `ips-v4`
 * and `ips-v6`, or any list given as `name=path`) are read line by line.
 *
 * Formats:
 * - AWS `ip-ranges.json`: `prefixes[].ip_prefix` and `ipv6_prefixes[].ipv6_prefix`, with `service`, `region`.
 * - Google `cloud.json` (and `goog.json`): `prefixes[].ipv4Prefix | ipv6Prefix`, with `service`, `scope` (the region).
 * - Azure Service Tags (`ServiceTags_Public_*.json`): `values[].properties.addressPrefixes`,
 *   with `systemService` and `region` (empty strings when not applicable).
 * - Oracle `public_ip_ranges.json`: `regions[].region` with `cidrs[].cidr` and `cidrs[].tags`.
 * - Plain list: one CIDR (or bare address) per line; blank lines and `#` comments are skipped;
 *   a CSV line (a geofeed, RFC 8805) contributes its first field.
 */

/** The file formats recognised. */
export type CloudFormat = 'aws' | 'google' | 'azure' | 'oracle' | 'cidr-list';

/** One published range, before its prefix is parsed. */
export interface CloudEntry {
  cidr: string;
  service?: string;
  region?: string;
  /** Where in the file it came from, for error messages (`prefixes[12]`, `line 7`). */
  at: string;
}

/** What a reader found in a file. */
export interface CloudFile {
  format: CloudFormat;
  /** The provider id the format implies (a plain list needs a name given or implied). */
  provider: string | undefined;
  entries: CloudEntry[];
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** A reader of one JSON format. */
interface JsonReader {
  format: Exclude<CloudFormat, 'cidr-list'>;
  provider: string;
  /** Whether the document has this format's shape. */
  detect(doc: Json): boolean;
  entries(doc: Json): CloudEntry[];
}

const JSON_READERS: JsonReader[] = [
  {
    format: 'aws',
    provider: 'aws',
    detect: (doc) => Array.isArray(doc.prefixes) && ('ipv6_prefixes' in doc || 'createDate' in doc),
    entries: (doc) => [
      ...list(doc.prefixes).map((p, i) => {
        const entry = isObject(p) ? p : {};
        return {
          cidr: String(entry.ip_prefix),
          service: text(entry.service),
          region: text(entry.region),
          at: `prefixes[${i}]`,
        };
      }),
      ...list(doc.ipv6_prefixes).map((p, i) => {
        const entry = isObject(p) ? p : {};
        return {
          cidr: String(entry.ipv6_prefix),
          service: text(entry.service),
          region: text(entry.region),
          at: `ipv6_prefixes[${i}]`,
        };
      }),
    ],
  },
  {
    format: 'google',
    provider: 'google',
    detect: (doc) =>
      Array.isArray(doc.prefixes) &&
      list(doc.prefixes).some((p) => isObject(p) && ('ipv4Prefix' in p || 'ipv6Prefix' in p)),
    entries: (doc) =>
      list(doc.prefixes).map((p, i) => {
        const entry = isObject(p) ? p : {};
        const cidr = String(entry.ipv4Prefix ?? entry.ipv6Prefix);
        return { cidr, service: text(entry.service), region: text(entry.scope), at: `prefixes[${i}]` };
      }),
  },
  {
    format: 'azure',
    provider: 'azure',
    detect: (doc) => Array.isArray(doc.values) && list(doc.values).some((v) => isObject(v) && isObject(v.properties)),
    entries: (doc) =>
      list(doc.values).flatMap((v, i) => {
        const properties = isObject(v) && isObject(v.properties) ? v.properties : {};
        // Regional tags without a service (`AzureCloud.eastus`) name the catch-all `AzureCloud`.
        const name = isObject(v) ? text(v.name)?.split('.')[0] : undefined;
        const service = text(properties.systemService) ?? name;
        const region = text(properties.region);
        return list(properties.addressPrefixes).map((cidr, j) => ({
          cidr: String(cidr),
          service,
          region,
          at: `values[${i}].properties.addressPrefixes[${j}]`,
        }));
      }),
  },
  {
    format: 'oracle',
    provider: 'oracle',
    detect: (doc) => Array.isArray(doc.regions) && list(doc.regions).some((r) => isObject(r) && Array.isArray(r.cidrs)),
    entries: (doc) =>
      list(doc.regions).flatMap((r, i) => {
        const region = isObject(r) ? r : {};
        return list(region.cidrs).map((c, j) => {
          const entry = isObject(c) ? c : {};
          const tags = list(entry.tags).filter((tag): tag is string => typeof tag === 'string');
          return {
            cidr: String(entry.cidr),
            service: tags.length ? tags.join('+') : undefined,
            region: text(region.region),
            at: `regions[${i}].cidrs[${j}]`,
          };
        });
      }),
  },
];

/** Cloudflare's long-standing first prefixes: a plain list holding one of them is Cloudflare's. */
const CLOUDFLARE_MARKERS = ['173.245.48.0/20', '2400:cb00::/32'];

function readPlainList(content: string): CloudEntry[] {
  const entries: CloudEntry[] = [];
  let lineNumber = 0;
  for (const rawLine of content.split('\n')) {
    lineNumber++;
    let line = rawLine;
    const hash = line.indexOf('#');
    if (hash >= 0) line = line.slice(0, hash);
    const comma = line.indexOf(',');
    if (comma >= 0) line = line.slice(0, comma);
    line = line.trim();
    if (line !== '') entries.push({ cidr: line, at: `line ${lineNumber}` });
  }
  return entries;
}

/**
 * Reads a range file's text. `provider` names the provider of a plain list
 * (`name=path` on the command line); without it, a plain list is accepted
 * only when it is recognisably Cloudflare's. Returns an error message when
 * the content is no known format.
 */
export function readCloudFile(content: string, provider?: string): CloudFile | string {
  const start = content.trimStart();
  if (start.startsWith('{')) {
    let doc: unknown;
    try {
      doc = JSON.parse(content);
    } catch (error) {
      return `not valid JSON (${(error as Error).message})`;
    }
    if (!isObject(doc)) return 'JSON is not an object';
    const reader = JSON_READERS.find((candidate) => candidate.detect(doc));
    if (!reader)
      return 'JSON of no known shape (expected AWS ip-ranges, Google cloud.json, Azure Service Tags or Oracle public_ip_ranges)';
    return { format: reader.format, provider: provider ?? reader.provider, entries: reader.entries(doc) };
  }
  if (start.startsWith('[') || start.startsWith('<'))
    return 'not a range file (expected a known JSON shape or a plain CIDR list)';
  const entries = readPlainList(content);
  const implied = entries.some((entry) => CLOUDFLARE_MARKERS.includes(entry.cidr)) ? 'cloudflare' : undefined;
  if (!provider && !implied) return 'a plain CIDR list needs a provider name: give it as NAME=FILE';
  return { format: 'cidr-list', provider: provider ?? implied, entries };
}
