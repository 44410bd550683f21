/**
 * Our `global` against Python's `ipaddress.ip_address(x).is_global`, over the
 * first and last address of every table entry, IPv4 carried in IPv6, and
 * seeded random addresses. Every disagreement must be listed, with the reason
 * we differ, in docs/ip-classification.md (the table between the
 * `python-disagreements` markers), in the column of the running Python
 * version if it has one, where the listed set must be exactly what is measured.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatIp } from '../../../src/tracers/ip/address';
import { type IpClassification, classifyIp } from '../../../src/tracers/ip/classify';
import { SPECIAL_RANGES, rangeCidr } from '../../../src/tracers/ip/iana-registry';

const DOC = join(__dirname, '..', '..', '..', 'docs', 'ip-classification.md');
const python = spawnSync('python3', ['--version'], { encoding: 'utf8' });
const pythonVersion = python.status === 0 ? python.stdout.trim().replace('Python ', '') : null;

/** First and last address of every entry, embedded forms, and 2,000 random addresses per family (fixed seed). */
function sampleAddresses(): string[] {
  const addresses: string[] = [];
  for (const range of SPECIAL_RANGES) {
    const cidr = rangeCidr(range);
    const last = cidr.bytes.slice();
    for (let bit = cidr.length; bit < last.length * 8; bit++) last[bit >> 3]! |= 0x80 >> (bit & 7);
    addresses.push(formatIp(cidr.bytes), formatIp(last));
  }
  addresses.push(
    '::ffff:8.8.8.8',
    '::ffff:10.0.0.1',
    '64:ff9b::808:808',
    '64:ff9b::a00:1',
    '2002:808:808::1',
    '2002:a00:1::1',
    '2001:0:5ef5:79fd:0:59d:a0e5:ba1',
    '2001:0:4136:e378:8000:63bf:3fff:fdd2',
  );
  let seed = 42;
  const random = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed >>> 24;
  };
  for (let i = 0; i < 2000; i++) addresses.push(formatIp(Uint8Array.from({ length: 4 }, random)));
  for (let i = 0; i < 2000; i++) {
    const bytes = Uint8Array.from({ length: 16 }, random);
    if (i % 2) bytes[0] = 0x20 | (bytes[0]! & 0x1f); // half of them in global unicast 2000::/3
    addresses.push(formatIp(bytes));
  }
  return addresses;
}

/** The range that decided an address's answer: its entry, or the carrying prefix for embedded IPv4. */
function decidingRange(result: IpClassification): string {
  if (result.embedded) return `${result.embedded.prefix} (embedded)`;
  return result.cidr ?? 'Public';
}

type Disagreements = Map<string, { ours: Set<string>; python: Set<string> }>;

function measure(addresses: string[], answers: string[]): { agree: number; disagreements: Disagreements } {
  const disagreements: Disagreements = new Map();
  let agree = 0;
  addresses.forEach((address, i) => {
    const result = classifyIp(address) as IpClassification;
    const theirs = answers[i] === 'True';
    if (result.global === theirs) {
      agree++;
      return;
    }
    const key = decidingRange(result);
    const row = disagreements.get(key) ?? { ours: new Set(), python: new Set() };
    row.ours.add(String(result.global));
    row.python.add(String(theirs));
    disagreements.set(key, row);
  });
  return { agree, disagreements };
}

/** One documented difference: logsleuth's answer and Python's. */
type Difference = { ours: string; python: string };

/**
 * The documented table, between the markers: `| `range` `range` | name | ours vs python | ... | why |`,
 * one column per Python version (`—` where that version agrees).
 */
function documented(): Map<string, Map<string, Difference>> {
  const text = readFileSync(DOC, 'utf8');
  const block = text.slice(
    text.indexOf('<!-- python-disagreements:start'),
    text.indexOf('<!-- python-disagreements:end'),
  );
  const lines = block.split('\n').filter((line) => line.startsWith('|'));
  const header = lines[0]!.split('|').map((cell) => cell.trim());
  const versions = header.map((cell) => (cell.startsWith('Python ') ? cell.slice('Python '.length) : null));
  const byVersion = new Map<string, Map<string, Difference>>();
  for (const version of versions) if (version) byVersion.set(version, new Map());
  for (const line of lines.slice(2)) {
    const cells = line.split('|').map((cell) => cell.trim());
    const keys = cells[1]!.split('`').filter((_, i) => i % 2 === 1);
    versions.forEach((version, column) => {
      const cell = cells[column]!;
      if (!version || cell === '—') return;
      const [ours, python] = cell.split(' vs ');
      for (const key of keys) byVersion.get(version)!.set(key, { ours: ours!, python: python! });
    });
  }
  return byVersion;
}

const describeWithPython = pythonVersion ? describe : describe.skip;

describeWithPython(
  `global reachability against Python ${pythonVersion ?? '(python3 absent)'} ipaddress.is_global`,
  () => {
    const addresses = sampleAddresses();
    const answers = execFileSync(
      'python3',
      ['-c', 'import sys, ipaddress\nfor a in sys.stdin.read().split():\n    print(ipaddress.ip_address(a).is_global)'],
      { input: addresses.join('\n'), encoding: 'utf8' },
    )
      .trim()
      .split('\n');
    const { agree, disagreements } = measure(addresses, answers);
    const measured = new Map(
      [...disagreements].map(([key, row]) => [
        key,
        { ours: [...row.ours].sort().join(', '), python: [...row.python].sort().join(', ') },
      ]),
    );
    const doc = documented();
    const listed = doc.get(pythonVersion ?? '');

    it('compares every sampled address', () => {
      expect(answers).toHaveLength(addresses.length);
      console.log(
        `Python ${pythonVersion}: ${agree} of ${addresses.length} addresses agree; ${disagreements.size} ranges differ`,
      );
    });

    it('differs only where docs/ip-classification.md says so, with the documented values', () => {
      const isListed = (key: string, difference: Difference) =>
        [...(listed ? [listed] : doc.values())].some((rows) => {
          const row = rows.get(key);
          return row !== undefined && row.ours === difference.ours && row.python === difference.python;
        });
      expect([...measured].filter(([key, difference]) => !isListed(key, difference))).toEqual([]);
    });

    it('lists, for this Python version, no difference that does not occur', () => {
      if (!listed) {
        console.warn(
          `Python ${pythonVersion} has no column in the table: checked only that its differences are listed`,
        );
        return;
      }
      expect([...listed.keys()].filter((key) => !measured.has(key))).toEqual([]);
    });
  },
);
