import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseIp } from '../../../src/tracers/ip/address';
import { classifyIp } from '../../../src/tracers/ip/classify';
import { CloudRanges, CloudRangesError, splitNamedPath } from '../../../src/tracers/ip/cloud-ranges';
import { corpus, describeWithCorpora } from '../../helpers/corpora';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'ip');
const fixture = (name: string) => join(FIXTURES, name);

function lookup(ranges: CloudRanges, address: string) {
  const parsed = parseIp(address);
  if (typeof parsed === 'string') throw new Error(parsed);
  return ranges.lookup(parsed.bytes);
}

/** Loads every corpora range file: JSON and Cloudflare's lists by shape, the others as NAME=FILE. */
function loadCorpora(): {
  ranges: CloudRanges;
  loaded: { file: string; format: string; provider: string; prefixes: number }[];
} {
  const ranges = new CloudRanges();
  const loaded = readdirSync(corpus('cloud'))
    .sort()
    .map((file) => {
      const path = corpus('cloud', file);
      const named = file.endsWith('.txt') && !file.startsWith('cloudflare');
      const result = ranges.loadFile(named ? `${file.split('-')[0]}=${path}` : path);
      return { ...result, file };
    });
  return { ranges, loaded };
}

describeWithCorpora('CloudRanges on the providers published files (shared corpora)', () => {
  const { ranges, loaded } = loadCorpora();

  it('detects every file format and reads every prefix', () => {
    expect(loaded.map(({ file, format, provider, prefixes }) => [file, format, provider, prefixes])).toEqual([
      ['aws-ip-ranges.json', 'aws', 'aws', 16826],
      ['cloudflare-ips-v4.txt', 'cidr-list', 'cloudflare', 15],
      ['cloudflare-ips-v6.txt', 'cidr-list', 'cloudflare', 7],
      ['digitalocean-ipv4.txt', 'cidr-list', 'digitalocean', 1080],
      ['digitalocean-ipv6.txt', 'cidr-list', 'digitalocean', 148],
      ['gcp-cloud.json', 'google', 'google', 782],
      ['linode-ipv4.txt', 'cidr-list', 'linode', 5409],
      ['linode-ipv6.txt', 'cidr-list', 'linode', 96],
      ['oracle-public_ip_ranges.json', 'oracle', 'oracle', 896],
      ['vultr-ipv4.txt', 'cidr-list', 'vultr', 442],
      ['vultr-ipv6.txt', 'cidr-list', 'vultr', 54],
    ]);
    expect(ranges.size).toBe(19941);
  });

  it.each([
    ['3.5.140.1', { provider: 'aws', service: 'S3', region: 'ap-northeast-2', cidr: '3.5.140.0/22' }],
    ['3.4.12.4', { provider: 'aws', service: 'AMAZON', region: 'eu-west-1', cidr: '3.4.12.4/32' }],
    ['2406:daba:f000::1', { provider: 'aws', service: 'EC2', region: 'ap-southeast-4', cidr: '2406:daba:f000::/40' }],
    ['34.35.200.1', { provider: 'google', service: 'Google Cloud', region: 'africa-south1', cidr: '34.35.0.0/16' }],
    [
      '2600:1900:8000::1',
      { provider: 'google', service: 'Google Cloud', region: 'africa-south1', cidr: '2600:1900:8000::/44' },
    ],
    ['129.80.1.1', { provider: 'oracle', service: 'OCI', region: 'us-ashburn-1', cidr: '129.80.0.0/16' }],
    ['173.245.48.1', { provider: 'cloudflare', cidr: '173.245.48.0/20' }],
    ['2606:4700::6810:84e5', { provider: 'cloudflare', cidr: '2606:4700::/32' }],
    ['5.101.96.10', { provider: 'digitalocean', cidr: '5.101.96.0/21' }],
    ['2a03:b0c0:0:108::5', { provider: 'digitalocean', cidr: '2a03:b0c0:0:108::/64' }],
    ['23.92.16.200', { provider: 'linode', cidr: '23.92.16.0/24' }],
    ['2a01:7e00::f03c:91ff:fe11:1', { provider: 'linode', cidr: '2a01:7e00::/32' }],
    ['45.32.8.1', { provider: 'vultr', cidr: '45.32.8.0/21' }],
  ])('places %s', (address, expected) => {
    expect(lookup(ranges, address)).toEqual(expected);
  });

  it('prefers a named AWS service to the AMAZON catch-all for the same prefix', () => {
    // 3.5.140.0/22 is published as both AMAZON and S3.
    expect(lookup(ranges, '3.5.140.1')?.service).toBe('S3');
  });

  it('leaves addresses outside every range alone', () => {
    expect(lookup(ranges, '1.1.1.1')).toBeUndefined();
    expect(lookup(ranges, '2001:4860:4860::8888')).toBeUndefined();
  });

  it('makes classification say cloud, naming provider, service and region', () => {
    expect(classifyIp('3.5.140.1', { cloud: ranges })).toEqual({
      ip: '3.5.140.1',
      version: 4,
      type: 'cloud',
      range: 'aws S3 ap-northeast-2',
      cidr: '3.5.140.0/22',
      global: true,
      provider: 'aws',
      service: 'S3',
      region: 'ap-northeast-2',
    });
    expect(classifyIp('::ffff:129.80.1.1', { cloud: ranges })).toMatchObject({ type: 'cloud', provider: 'oracle' });
    expect(classifyIp('10.0.0.1', { cloud: ranges })).toMatchObject({ type: 'private' });
  });
});

describe('CloudRanges on an Azure Service Tags file', () => {
  const ranges = new CloudRanges();
  const loaded = ranges.loadFile(fixture('azure-service-tags.json'));

  it('detects the format', () => {
    expect(loaded).toEqual({
      file: fixture('azure-service-tags.json'),
      format: 'azure',
      provider: 'azure',
      prefixes: 10,
    });
  });

  it.each([
    ['20.38.98.7', { provider: 'azure', service: 'AzureStorage', region: 'eastus', cidr: '20.38.98.0/24' }],
    ['20.38.1.1', { provider: 'azure', service: 'AzureCloud', region: 'eastus', cidr: '20.38.0.0/16' }],
    ['13.64.0.1', { provider: 'azure', service: 'AzureCloud', cidr: '13.64.0.0/11' }],
    ['13.68.200.1', { provider: 'azure', service: 'AzureCloud', region: 'eastus', cidr: '13.68.128.0/17' }],
    ['13.107.246.10', { provider: 'azure', service: 'AzureFrontDoor', cidr: '13.107.246.0/24' }],
    [
      '2603:1030:20e:3::10',
      { provider: 'azure', service: 'AzureStorage', region: 'eastus', cidr: '2603:1030:20e:3::/64' },
    ],
  ])('places %s in its most specific tag', (address, expected) => {
    expect(lookup(ranges, address)).toEqual(expected);
  });
});

describe('CloudRanges on plain lists', () => {
  it('skips comments and blank lines, reads CRLF lines, a geofeed line and a last line without newline', () => {
    const ranges = new CloudRanges();
    expect(ranges.loadFile(`hoster=${fixture('comments-crlf.txt')}`)).toMatchObject({
      provider: 'hoster',
      prefixes: 4,
    });
    expect(lookup(ranges, '203.0.113.100')).toEqual({ provider: 'hoster', cidr: '203.0.113.0/25' });
    expect(lookup(ranges, '203.0.113.200')).toBeUndefined();
    expect(lookup(ranges, '2001:db8:1fff::1')).toEqual({ provider: 'hoster', cidr: '2001:db8:1000::/36' });
    expect(lookup(ranges, '192.0.2.7')).toEqual({ provider: 'hoster', cidr: '192.0.2.7/32' });
  });

  it('splits NAME=FILE only when NAME is a plain name', () => {
    expect(splitNamedPath('Vultr=/tmp/v.txt')).toEqual({ name: 'vultr', path: '/tmp/v.txt' });
    expect(splitNamedPath('/tmp/a=b.txt')).toEqual({ path: '/tmp/a=b.txt' });
    expect(splitNamedPath('ranges.json')).toEqual({ path: 'ranges.json' });
  });
});

describe('CloudRanges on files it cannot use', () => {
  it.each([
    ['missing.json', 'no such file'],
    [
      'unknown-shape.json',
      'JSON of no known shape (expected AWS ip-ranges, Google cloud.json, Azure Service Tags or Oracle public_ip_ranges)',
    ],
    ['aws-bad-prefix.json', 'prefixes[1]: bad prefix "3.5.140.0/33" (prefix length 33 exceeds 32)'],
    ['comments-crlf.txt', 'a plain CIDR list needs a provider name: give it as NAME=FILE'],
  ])('refuses %s, naming the file', (name, reason) => {
    expect(() => new CloudRanges().loadFile(fixture(name))).toThrow(new CloudRangesError(fixture(name), reason));
  });

  it('refuses truncated JSON and an empty list with an error naming the file', () => {
    expect(() => new CloudRanges().loadFile(fixture('truncated-cloud.json'))).toThrow(
      `cloud ranges ${fixture('truncated-cloud.json')}: not valid JSON`,
    );
    expect(() => new CloudRanges().loadFile(`x=${fixture('empty-list.txt')}`)).toThrow(
      `cloud ranges ${fixture('empty-list.txt')}: no prefixes in the file`,
    );
  });

  it('refuses a log file given by mistake, naming its first bad line', () => {
    const ranges = new CloudRanges();
    expect(() => ranges.loadText('Jan  1 00:00:00 host sshd[1]: Accepted\n', 'auth.log', 'x')).toThrow(
      'cloud ranges auth.log: line 1: bad prefix "Jan  1 00:00:00 host sshd[1]: Accepted" (unexpected character "J" in IPv6 address)',
    );
  });
});
