/**
 * Our `global` against Python's `ipaddress.ip_address(x).is_global`, over the
 * first and last address of every table entry, IPv4 carried in IPv6, and
 * seeded random addresses. Every disagreement must be listed, with the reason
 * we differ, in docs/ip-classification.md (the table between the
 * `python-disagreements` markers); with the Python version the table was
 * measured on, the listed set must be exactly what is measured.
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

/** The documented table: `| `range` `range` | ours | python | ...`, between the markers. */
function documented(): { version: string; rows: Map<string, { ours: string; python: string }> } {
  const text = readFileSync(DOC, 'utf8');
  const start = text.indexOf('<!-- python-disagreements:start');
  const end = text.indexOf('<!-- python-disagreements:end -->');
  const block = text.slice(start, end);
  const version = /measured with Python ([0-9.]+)/.exec(block)?.[1] ?? '';
  const rows = new Map<string, { ours: string; python: string }>();
  for (const line of block.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    if (cells.length < 5 || !cells[1]!.startsWith('`')) continue;
    for (const key of cells[1]!.split('`').filter((part, i) => i % 2 === 1)) {
      rows.set(key, { ours: cells[3]!, python: cells[4]! });
    }
  }
  return { version, rows };
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
    const doc = documented();

    it('compares every sampled address', () => {
      expect(answers).toHaveLength(addresses.length);
      console.log(
        `Python ${pythonVersion}: ${agree} of ${addresses.length} addresses agree; ${disagreements.size} ranges differ`,
      );
    });

    it('differs only where docs/ip-classification.md says so, with the documented values', () => {
      const measured = [...disagreements].map(([key, row]) => ({
        key,
        ours: [...row.ours].sort().join(', '),
        python: [...row.python].sort().join(', '),
      }));
      const undocumented = measured.filter(({ key, ours, python }) => {
        const row = doc.rows.get(key);
        return !row || row.ours !== ours || row.python !== python;
      });
      expect(undocumented).toEqual([]);
    });

    it(`lists no disagreement that Python ${doc.version || '(documented version)'} does not show`, () => {
      if (pythonVersion !== doc.version) {
        console.warn(
          `documented with Python ${doc.version}, running ${pythonVersion}: checking only that differences are documented`,
        );
        return;
      }
      expect([...doc.rows.keys()].filter((key) => !disagreements.has(key))).toEqual([]);
    });
  },
);
