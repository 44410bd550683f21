import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Classifier, classifyIp } from '../../../src/tracers/ip/classify';
import { CloudRanges } from '../../../src/tracers/ip/cloud-ranges';
import { GeoIpDatabase, GeoIpError, geoInfoOf } from '../../../src/tracers/ip/geoip';
import { writeMmdb } from '../../helpers/mmdb-writer';

const COUNTRY_DIR = join(__dirname, '..', '..', '..', 'node_modules', '@ip-location-db', 'geo-whois-asn-country-mmdb');
const countryDb = (name: string) => join(COUNTRY_DIR, name);

/** An ASN database in the GeoLite2-ASN layout, written for the test. */
function asnDatabase(): Buffer {
  return writeMmdb(
    {
      '3.0.0.0/9': { autonomous_system_number: 16509, autonomous_system_organization: 'AMAZON-02' },
      '8.8.8.0/24': { autonomous_system_number: 15169, autonomous_system_organization: 'GOOGLE' },
      '81.2.69.0/24': { autonomous_system_number: 20712, autonomous_system_organization: 'Andrews & Arnold Ltd' },
      '95.216.0.0/15': { autonomous_system_number: 24940, autonomous_system_organization: 'Hetzner Online GmbH' },
      '2a00:1450::/32': { autonomous_system_number: 15169, autonomous_system_organization: 'GOOGLE' },
      '2a01:4f8::/32': { autonomous_system_number: 24940, autonomous_system_organization: 'Hetzner Online GmbH' },
    },
    { databaseType: 'GeoLite2-ASN' },
  );
}

function tempFile(name: string, content: Buffer): string {
  const file = join(mkdtempSync(join(tmpdir(), 'logsleuth-geoip-')), name);
  writeFileSync(file, content);
  return file;
}

describe('GeoIpDatabase on ip-location-db country databases (a real .mmdb from npm)', () => {
  const both = GeoIpDatabase.open(countryDb('geo-whois-asn-country.mmdb'));
  const v4 = GeoIpDatabase.open(countryDb('geo-whois-asn-country-ipv4.mmdb'));

  it('reads the metadata', () => {
    expect([both.databaseType, both.ipVersion]).toEqual(['country ipvAll', 6]);
    expect([v4.databaseType, v4.ipVersion]).toEqual(['country ipv4', 4]);
  });

  it.each([
    ['8.8.8.8', 'US'],
    ['81.2.69.142', 'GB'],
    ['193.0.6.139', 'NL'],
    ['2a00:1450:4001::1', 'IE'],
    ['2001:4860:4860::8888', 'US'],
  ])('gives %s the country %s', (address, country) => {
    expect(both.lookup(address)).toEqual({ country });
  });

  it('knows nothing of private addresses, and an IPv4-only database nothing of IPv6', () => {
    expect(both.lookup('10.0.0.1')).toBeUndefined();
    expect(v4.lookup('193.0.6.139')).toEqual({ country: 'NL' });
    expect(v4.lookup('2a00:1450:4001::1')).toBeUndefined();
  });

  it('adds the country to a classification, for embedded IPv4 too', () => {
    expect(classifyIp('193.0.6.139', { geoip: [both] })).toEqual({
      ip: '193.0.6.139',
      version: 4,
      type: 'public',
      range: 'Public',
      global: true,
      country: 'NL',
    });
    expect(classifyIp('::ffff:193.0.6.139', { geoip: [v4] })).toMatchObject({ country: 'NL' });
    expect(classifyIp('10.0.0.1', { geoip: [both] })).not.toHaveProperty('country');
  });
});

describe('GeoIpDatabase on an ASN database written by the test', () => {
  const asn = GeoIpDatabase.fromBuffer(asnDatabase(), 'asn.mmdb');

  it('reads ASN and organisation for both families', () => {
    expect(asn.databaseType).toBe('GeoLite2-ASN');
    expect(asn.lookup('81.2.69.142')).toEqual({ asn: 20712, org: 'Andrews & Arnold Ltd' });
    expect(asn.lookup('2a00:1450:4001::1')).toEqual({ asn: 15169, org: 'GOOGLE' });
    expect(asn.lookup('8.8.9.9')).toBeUndefined();
  });

  it('counts an address of a known cloud ASN as cloud when no range file places it', () => {
    expect(classifyIp('95.217.1.1', { geoip: [asn] })).toEqual({
      ip: '95.217.1.1',
      version: 4,
      type: 'cloud',
      range: 'hetzner AS24940',
      global: true,
      provider: 'hetzner',
      asn: 24940,
      org: 'Hetzner Online GmbH',
    });
    expect(classifyIp('81.2.69.142', { geoip: [asn] })).toMatchObject({ type: 'public', asn: 20712 });
  });

  it('lets a range file speak first: its provider and service stand beside the ASN', () => {
    const cloud = new CloudRanges();
    cloud.loadText('{"prefixes":[{"ipv4Prefix":"8.8.8.0/24","service":"Google DNS","scope":"global"}]}', 'goog.json');
    expect(classifyIp('8.8.8.8', { cloud, geoip: [asn] })).toEqual({
      ip: '8.8.8.8',
      version: 4,
      type: 'cloud',
      range: 'google Google DNS global',
      cidr: '8.8.8.0/24',
      global: true,
      provider: 'google',
      service: 'Google DNS',
      region: 'global',
      asn: 15169,
      org: 'GOOGLE',
    });
  });

  it('merges several databases, the first to know a field winning it', () => {
    const country = GeoIpDatabase.open(countryDb('geo-whois-asn-country.mmdb'));
    const classifier = new Classifier({ geoip: [asn, country] });
    expect(classifier.classify('2a01:4f8::1')).toMatchObject({
      type: 'cloud',
      provider: 'hetzner',
      asn: 24940,
      country: 'DE',
    });
  });
});

describe('geoInfoOf', () => {
  it('reads the City/Country layout, falling back to the registered country', () => {
    expect(
      geoInfoOf({ country: { iso_code: 'fr', names: { en: 'France' } }, city: { names: { en: 'Paris' } } }),
    ).toEqual({
      country: 'FR',
    });
    expect(geoInfoOf({ registered_country: { iso_code: 'SE' } })).toEqual({ country: 'SE' });
    expect(geoInfoOf({ country_code: 'NL' })).toEqual({ country: 'NL' });
  });

  it('ignores fields of the wrong type', () => {
    expect(
      geoInfoOf({ autonomous_system_number: '15169', autonomous_system_organization: 7, country_code: 'NLD' }),
    ).toBeUndefined();
    expect(geoInfoOf(null)).toBeUndefined();
    expect(geoInfoOf([1, 2])).toBeUndefined();
  });
});

describe('GeoIpDatabase on files it cannot use', () => {
  it('refuses a missing file, naming it', () => {
    expect(() => GeoIpDatabase.open('/nonexistent/GeoLite2-ASN.mmdb')).toThrow(
      new GeoIpError('/nonexistent/GeoLite2-ASN.mmdb', 'no such file'),
    );
  });

  it('refuses a file that is not a MaxMind database', () => {
    const file = tempFile('notes.mmdb', Buffer.from('this is not a database\n'));
    expect(() => GeoIpDatabase.open(file)).toThrow(GeoIpError);
    expect(() => GeoIpDatabase.open(file)).toThrow(`geoip database ${file}: not a valid MaxMind database`);
  });

  it('refuses a truncated database (its metadata is at the end)', () => {
    const file = tempFile('cut.mmdb', readFileSync(countryDb('geo-whois-asn-country-ipv4.mmdb')).subarray(0, 100_000));
    expect(() => GeoIpDatabase.open(file)).toThrow(`geoip database ${file}: not a valid MaxMind database`);
  });

  it('refuses a database whose search tree points outside the file', () => {
    const broken = asnDatabase();
    broken.fill(0x7f, 0, 8 * 4); // the first nodes' records now point far past the data section
    expect(() => GeoIpDatabase.fromBuffer(broken, 'broken.mmdb')).toThrow(
      'geoip database broken.mmdb: not a valid MaxMind database',
    );
  });
});

const haveMmdblookup = spawnSync('mmdblookup', ['--version']).status === 0;
const describeWithMmdblookup = haveMmdblookup ? describe : describe.skip;

describeWithMmdblookup('the test MMDB writer, read back by libmaxminddb (mmdblookup, Debian mmdb-bin)', () => {
  const file = tempFile('GeoLite2-ASN.mmdb', asnDatabase());
  const lookup = (address: string, ...path: string[]) =>
    spawnSync('mmdblookup', ['--file', file, '--ip', address, ...path], { encoding: 'utf8' });

  it('writes metadata and records libmaxminddb accepts', () => {
    expect(lookup('81.2.69.142', 'autonomous_system_number').stdout.trim()).toBe('20712 <uint32>');
    expect(lookup('2a01:4f8::1', 'autonomous_system_organization').stdout.trim()).toBe(
      '"Hetzner Online GmbH" <utf8_string>',
    );
    expect(lookup('95.217.255.255', 'autonomous_system_number').stdout.trim()).toBe('24940 <uint32>');
  });

  it('leaves addresses outside every network without an entry', () => {
    const result = lookup('8.8.9.9');
    expect([result.status, result.stderr.trim()]).toEqual([6, 'Could not find an entry for this IP address (8.8.9.9)']);
  });
});
