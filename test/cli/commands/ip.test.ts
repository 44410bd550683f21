import { join } from 'node:path';
import { Readable } from 'node:stream';
import { cli } from '../../helpers/cli';
import { corpus, describeWithCorpora } from '../../helpers/corpora';

const COUNTRY_DB = join(
  __dirname,
  '..',
  '..',
  '..',
  'node_modules',
  '@ip-location-db',
  'geo-whois-asn-country-mmdb',
  'geo-whois-asn-country.mmdb',
);
const AZURE = join(__dirname, '..', '..', 'fixtures', 'ip', 'azure-service-tags.json');

const run = (...args: string[]) => cli(['ip', ...args], process.stdin);
const runWithStdin = (stdin: NodeJS.ReadableStream, ...args: string[]) => cli(['ip', ...args], stdin);

describe('logsleuth ip', () => {
  it('prints a JSON array in input order, with an error object for an invalid address, and exits 1', async () => {
    const { code, stdout, stderr } = await run('8.8.8.8', '999.1.1.1', '::ffff:10.1.2.3', '--json');
    expect(JSON.parse(stdout)).toEqual([
      { ip: '8.8.8.8', version: 4, type: 'public', range: 'Public', global: true },
      { input: '999.1.1.1', error: 'IPv4 part out of range 0-255' },
      {
        ip: '::ffff:10.1.2.3',
        version: 6,
        type: 'private',
        range: 'Private-Use',
        cidr: '10.0.0.0/8',
        rfc: 'RFC 1918',
        global: false,
        embedded: { kind: 'ipv4-mapped', prefix: '::ffff:0:0/96', ip: '10.1.2.3' },
      },
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(1);
  });

  it('prints a readable table and exits 0 when every address is valid', async () => {
    const { code, stdout } = await run('127.0.0.1', 'fe80::1%eth0', '2001:db8::1', '192.88.99.1');
    expect(stdout).toBe(
      [
        'ADDRESS      TYPE       RANGE                            GLOBAL  DETAILS',
        '127.0.0.1    localhost  Loopback                         no      127.0.0.0/8',
        'fe80::1      private    Link-Local Unicast               no      fe80::/10, zone eth0',
        '2001:db8::1  special    Documentation                    no      2001:db8::/32',
        '192.88.99.1  special    Deprecated (6to4 Relay Anycast)  n/a     192.88.99.0/24',
        '',
      ].join('\n'),
    );
    expect(code).toBe(0);
  });

  it('reads addresses from standard input for -, in place, one per line', async () => {
    const stdin = Readable.from(['10.0.0.1\r\n  \n 2001:db8::1 \n', 'bogus\n8.8.4.4']);
    const { code, stdout } = await runWithStdin(stdin, '127.0.0.1', '-', '::1', '--json');
    const results = JSON.parse(stdout) as { ip?: string; input?: string }[];
    expect(results.map((r) => r.ip ?? r.input)).toEqual([
      '127.0.0.1',
      '10.0.0.1',
      '2001:db8::1',
      'bogus',
      '8.8.4.4',
      '::1',
    ]);
    expect(code).toBe(1);
  });

  it('shows control characters of an invalid input escaped, never raw', async () => {
    const { code, stdout } = await run('\x1b[2J1.2.3.4');
    expect(stdout).toContain('\\x1b[2J1.2.3.4');
    expect(stdout).not.toContain('\x1b');
    expect(code).toBe(1);
  });

  it('adds cloud provider and country from --cloud-ranges and --geoip', async () => {
    const { code, stdout } = await run(
      '20.38.98.7',
      '193.0.6.139',
      '--cloud-ranges',
      AZURE,
      '--geoip',
      COUNTRY_DB,
      '--json',
    );
    expect(JSON.parse(stdout)).toEqual([
      {
        ip: '20.38.98.7',
        version: 4,
        type: 'cloud',
        range: 'azure AzureStorage eastus',
        cidr: '20.38.98.0/24',
        global: true,
        provider: 'azure',
        service: 'AzureStorage',
        region: 'eastus',
        country: 'US',
      },
      { ip: '193.0.6.139', version: 4, type: 'public', range: 'Public', global: true, country: 'NL' },
    ]);
    expect(code).toBe(0);
  });

  it('exits 2 naming the file when a range file or database cannot be used', async () => {
    const missing = await run('8.8.8.8', '--geoip', '/nonexistent/asn.mmdb');
    expect([missing.code, missing.stdout, missing.stderr]).toEqual([
      2,
      '',
      'logsleuth: geoip database /nonexistent/asn.mmdb: no such file\n',
    ]);
    const notRanges = await run('8.8.8.8', '--cloud-ranges', COUNTRY_DB);
    expect(notRanges.code).toBe(2);
    expect(notRanges.stderr).toMatch(/^logsleuth: cloud ranges .*geo-whois-asn-country\.mmdb: /);
  });
});

describeWithCorpora('logsleuth ip with the providers published files', () => {
  it('reads repeated --cloud-ranges, plain lists named with NAME=FILE', async () => {
    const { code, stdout } = await run(
      '45.32.8.1',
      '3.5.140.1',
      '--cloud-ranges',
      `vultr=${corpus('cloud', 'vultr-ipv4.txt')}`,
      '--cloud-ranges',
      corpus('cloud', 'aws-ip-ranges.json'),
      '--json',
    );
    expect(JSON.parse(stdout).map((r: { range: string }) => r.range)).toEqual(['vultr', 'aws S3 ap-northeast-2']);
    expect(code).toBe(0);
  });
});
