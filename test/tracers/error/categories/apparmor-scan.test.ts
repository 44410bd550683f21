import fc from 'fast-check';
import RE2 from 're2';
import { APPARMOR_PATTERN, scanApparmor } from '../../../../src/tracers/error/categories/apparmor-scan';

const APPARMOR = new RE2(APPARMOR_PATTERN);

/** re2's groups as a plain object, null without a match: what the scanner must answer. */
function byRe2(text: string): Record<string, string | undefined> | null {
  const groups = APPARMOR.exec(text)?.groups;
  return groups ? { ...groups } : null;
}

const DENIED =
  'audit: type=1400 audit(1773448267.201:166): apparmor="DENIED" operation="open" profile="/usr/sbin/ntpd" name="/proc/13059/status" pid=26184 comm="ntpd" requested_mask="r" denied_mask="r" fsuid=0 ouid=0';

describe('the AppArmor scanner', () => {
  it('reads a denial into the groups re2 captures', () => {
    expect(scanApparmor(DENIED)).toEqual({
      message: 'open',
      path: '/proc/13059/status',
      pid: '26184',
      process: 'ntpd',
    });
    expect(scanApparmor(DENIED)).toEqual(byRe2(DENIED));
  });

  it.each([
    ['an allowed record', DENIED.replace('DENIED', 'ALLOWED')],
    ['a gap of 512 characters', `apparmor="DENIED" operation="x"${'g'.repeat(512)} name="p" pid=1 comm="c"`],
    ['a gap of 513 characters', `apparmor="DENIED" operation="x"${'g'.repeat(513)} name="p" pid=1 comm="c"`],
    ['a newline in the gap', 'apparmor="DENIED" operation="x" a\n name="p" pid=1 comm="c"'],
    ['a newline in the path', 'apparmor="DENIED" operation="x" name="p\nq" pid=1 comm="c"'],
    [
      'a name whose tail fails, then one that matches',
      'apparmor="DENIED" operation="x" name="a" pid=x name="b" pid=2 comm="c"',
    ],
    [
      'two tails (the lazy gap takes the first)',
      'apparmor="DENIED" operation="x" name="a" pid=1 comm="c" name="b" pid=2 comm="d"',
    ],
    ['an operation of 33 characters', `apparmor="DENIED" operation="${'o'.repeat(33)}" name="p" pid=1 comm="c"`],
    ['a path of 256 characters', `apparmor="DENIED" operation="x" name="${'p'.repeat(256)}" pid=1 comm="c"`],
    ['a path of 257 characters', `apparmor="DENIED" operation="x" name="${'p'.repeat(257)}" pid=1 comm="c"`],
    ['a command of 65 characters', `apparmor="DENIED" operation="x" name="p" pid=1 comm="${'c'.repeat(65)}"`],
    ['an empty pid', 'apparmor="DENIED" operation="x" name="p" pid= comm="c"'],
    [
      'a second record after a failed first',
      'apparmor="DENIED" operation="" x apparmor="DENIED" operation="y" name="p" pid=2 comm="c"',
    ],
    ['an empty text', ''],
  ])('agrees with re2 on %s', (_name, text) => {
    expect(scanApparmor(text)).toEqual(byRe2(text));
  });

  it('leaves text outside plain ASCII to re2', () => {
    expect(scanApparmor(DENIED.replace('ntpd"', 'ntpdé"'))).toBeUndefined();
  });

  it('agrees with re2 on any text near the shape of a denial', () => {
    const piece = fc.oneof(
      fc.constantFrom(
        'apparmor="DENIED" operation="',
        '"',
        ' name="',
        '" pid=',
        ' comm="',
        ' ',
        '\n',
        'x',
        '/',
        'apparmor="DENIED"',
      ),
      fc.nat({ max: 99999 }).map(String),
      // Runs around each bound: 32, 64, 256, 512.
      fc.constantFrom(31, 32, 33, 63, 64, 65, 255, 256, 257, 511, 512, 513).map((n) => 'a'.repeat(n)),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 14 }), (pieces) => {
        const text = pieces.join('');
        expect(scanApparmor(text)).toEqual(byRe2(text));
      }),
      { numRuns: 5000 },
    );
  });

  it('agrees with re2 on denials with random fields', () => {
    const field = fc.string({ maxLength: 40 }).map((s) => s.replace(/[^\x20-\x7e]/g, 'z'));
    fc.assert(
      fc.property(field, field, field, field, field, (operation, gap, path, pid, comm) => {
        const text = `apparmor="DENIED" operation="${operation}"${gap} name="${path}" pid=${pid} comm="${comm}"`;
        expect(scanApparmor(text)).toEqual(byRe2(text));
      }),
      { numRuns: 3000 },
    );
  });
});
