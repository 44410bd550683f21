import fc from 'fast-check';
import { scannable } from '../../../src/logs/formats/access-scan';
import { LEVEL_FIRST, LEVEL_LAYOUT } from '../../../src/logs/formats/python';
import { scanLevelFirst, scanLevelLayout } from '../../../src/logs/formats/python-scan';

/** re2's groups as a plain object (the scanner's answer must equal it). */
const byRe2 = (text: string) => {
  const groups = LEVEL_LAYOUT.exec(text)?.groups;
  return groups ? { ...groups } : undefined;
};

/** re2's level-first answer as the format uses it: the level and where the rest starts. */
const levelFirstByRe2 = (text: string) => {
  const groups = LEVEL_FIRST.exec(text)?.groups;
  return groups ? { level: groups.level, at: text.length - groups.rest!.length } : undefined;
};
const levelFirstByScan = (text: string) => {
  const level = scanLevelFirst(text);
  return level === undefined ? undefined : { level, at: level.length + 1 };
};

describe('the Python layout scanners', () => {
  it('reads Django’s default layout into the groups re2 captures', () => {
    const after = '] INFO [django.server:187] "GET /api/cart/ HTTP/1.1" 200 383';
    expect(scanLevelLayout(after)).toEqual({
      level: 'INFO',
      process: undefined,
      name: 'django.server:187',
      name2: undefined,
      message: '"GET /api/cart/ HTTP/1.1" 200 383',
    });
    expect(scanLevelLayout(after)).toEqual(byRe2(after));
  });

  it.each([
    ['a logger before a colon', ' ERROR orders.views: boom'],
    ['a bracketed level and a process', ' [WARNING]/MainProcess [celery.worker] x'],
    ['WARN, not WARNING', ' WARN x'],
    ['WARNING run into a word', ' WARNINGS x'],
    ['an empty process', ' INFO/ x'],
    ['a process before a tab', ' INFO/p\tx'],
    ['a bracket name with a space', '] INFO [a b] c'],
    ['a bracket name without its space', '] INFO [a]x'],
    ['a colon name without its space', ' INFO a.b:c'],
    ['a name of other characters', ' INFO a-b: c'],
    ['no message', ' DEBUG '],
    ['no level', ' TRACE x'],
    ['a tab after the level', ' INFO\tx'],
    ['an empty text', ''],
  ])('agrees with re2 on %s', (_name, after) => {
    expect(scannable(after)).toBe(true);
    expect(scanLevelLayout(after)).toEqual(byRe2(after));
  });

  const piece = fc.constantFrom(
    ' ',
    ']',
    '[',
    '] ',
    ' [',
    'INFO',
    'WARN',
    'WARNING',
    'ERROR',
    'EXCEPTION',
    '/',
    'Main',
    'a.b',
    ':',
    ': ',
    '_',
    '-',
    '\t',
    '\r',
    'é',
    'x',
  );
  const text = fc.array(piece, { maxLength: 20 }).map((parts) => parts.join(''));
  const mostly = (good: string, ...others: string[]) =>
    fc.oneof({ weight: 3, arbitrary: fc.constant(good) }, fc.constantFrom(good, ...others));
  // Mostly well-formed layouts, so that every optional part is decided by what follows it.
  const after = fc
    .tuple(
      fc.constantFrom('] ', ' ', ']', ''),
      fc.constantFrom('', '['),
      mostly('INFO', 'WARNING', 'WARN', 'WARNINGS', 'info', ''),
      fc.constantFrom('', ']'),
      fc.constantFrom('', '/MainProcess', '/', '/a]b', '/x\t'),
      mostly(' ', '', '\t'),
      fc.oneof(fc.constantFrom('', '[a.b:1] ', '[a b] ', '[] ', '[a]', 'a.b: ', 'a-b: ', 'a.b:', ': '), text),
      text,
    )
    .map((parts) => parts.join(''));

  it('agrees with re2 on any assembled layout', () => {
    fc.assert(
      fc.property(fc.oneof(after, text), (a) => {
        fc.pre(scannable(a));
        expect(scanLevelLayout(a)).toEqual(byRe2(a));
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees with re2 on the level first, on any text', () => {
    const lead = fc.constantFrom('INFO ', 'WARNING ', 'WARN ', 'WARNINGS ', 'ERROR', 'DEBUG\t', 'FATAL  ', 'Info ', '');
    const tail = fc.oneof(text, fc.string({ unit: 'binary' }), fc.constantFrom('a\ud800b', '\udc00', '\n x', 'é'));
    fc.assert(
      fc.property(lead, tail, (l, t) => {
        expect(levelFirstByScan(l + t)).toEqual(levelFirstByRe2(l + t));
      }),
      { numRuns: 3000 },
    );
  });
});
