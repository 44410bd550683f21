/**
 * Autonomous systems run by cloud and hosting providers. With a MaxMind ASN
 * database loaded, an address announced by one of them counts as `cloud` when
 * no loaded range file places it (range files are more precise: they name the
 * service and region). Provider ids match the range loaders' (`aws`, `google`,
 * `azure`, `oracle`, `cloudflare`, or the `name=` of a plain list).
 *
 * Sources: each provider's PeeringDB record and published looking-glass data.
 */
const TABLE: [asn: number, provider: string][] = [
  [16509, 'aws'],
  [14618, 'aws'],
  [15169, 'google'],
  [396982, 'google'],
  [8075, 'azure'],
  [31898, 'oracle'],
  [13335, 'cloudflare'],
  [14061, 'digitalocean'],
  [63949, 'linode'],
  [20473, 'vultr'],
  [24940, 'hetzner'],
  [16276, 'ovh'],
  [45102, 'alibaba'],
  [37963, 'alibaba'],
  [132203, 'tencent'],
  [45090, 'tencent'],
  [36351, 'ibm'],
  [8560, 'ionos'],
  [51167, 'contabo'],
  [12876, 'scaleway'],
];

/** Cloud provider id by ASN. */
export const CLOUD_ASNS: ReadonlyMap<number, string> = new Map(TABLE);
