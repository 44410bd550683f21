import fc from 'fast-check';
import { scanAccessLine, scanRequest, scannable } from '../../../src/logs/formats/access-scan';
import { ACCESS_LINE, ACCESS_REQUEST } from '../../../src/logs/formats/access';

/** re2's groups as a plain object (the scanner's answer must equal it). */
const byRe2 = (re: typeof ACCESS_LINE, text: string) => {
  const groups = re.exec(text)?.groups;
  return groups ? { ...groups } : undefined;
};

const COMBINED =
  '203.0.113.9 - - [14/Mar/2026:00:03:12 +0000] "GET /wp-login.php HTTP/1.1" 404 162 "-" "Mozilla/5.0 zgrab/0.x"';

describe('the access-log scanner', () => {
  it('reads a combined line into the groups re2 captures', () => {
    expect(scanAccessLine(COMBINED)).toEqual({
      vhost: undefined,
      client: '203.0.113.9',
      ident: '-',
      user: '-',
      time: '14/Mar/2026:00:03:12 +0000',
      request: 'GET /wp-login.php HTTP/1.1',
      status: '404',
      bytes: '162',
      referrer: '-',
      agent: 'Mozilla/5.0 zgrab/0.x',
      rest: '',
    });
    expect(scanAccessLine(COMBINED)).toEqual(byRe2(ACCESS_LINE, COMBINED));
  });

  it.each([
    ['a vhost first', `shop.example.com:443 ${COMBINED}`],
    ['a quoted user with a space', '192.0.2.1 - "jane doe" [01/Jan/2026:00:00:00 +0000] "GET / HTTP/1.1" 200 1'],
    ['a quoted user without one', '192.0.2.1 - "jane" [01/Jan/2026:00:00:00 +0000] "GET / HTTP/1.1" 200 1'],
    ['escaped quotes in the request', '192.0.2.1 - - [t] "GET /\\"x\\" HTTP/1.1" 400 0 "-" "a \\"b\\""'],
    ['a backslash ending the request', '192.0.2.1 - - [t] "GET /\\" 400 0'],
    ['common log format', '192.0.2.1 - - [t] "GET / HTTP/1.0" 200 -'],
    ['extras after the agent', `${COMBINED} "198.51.100.7" 0.012`],
    ['a referrer without an agent', '192.0.2.1 - - [t] "GET / HTTP/1.1" 200 5 "-" rest'],
    ['a status of four digits', '192.0.2.1 - - [t] "GET / HTTP/1.1" 2000 5'],
    ['a dash status', '192.0.2.1 - - [t] "-" - -'],
    ['a tab after the client', '192.0.2.1\t- - [t] "GET / HTTP/1.1" 200 5'],
    ['an empty line', ''],
  ])('agrees with re2 on %s', (_name, text) => {
    expect(scannable(text)).toBe(true);
    expect(scanAccessLine(text)).toEqual(byRe2(ACCESS_LINE, text));
  });

  it.each([
    ['GET /index.html HTTP/1.1'],
    ['GET /index.html'],
    ['GET /a HTTP/'],
    ['GET /a HTTP/1.1 x'],
    ['GET  /a'],
    ['\\x16\\x03\\x01'],
    ['ABCDEFGHIJKLMNOPQRSTU /a'],
    ['ABCDEFGHIJKLMNOPQRST /a HTTP/2.0'],
    ['-'],
  ])('agrees with re2 on the request line %j', (request) => {
    expect(scanRequest(request)).toEqual(byRe2(ACCESS_REQUEST, request));
  });

  it('leaves lines with a newline or a lone surrogate to re2', () => {
    expect(scannable('a\nb')).toBe(false);
    expect(scannable('a\ud800b')).toBe(false);
    expect(scannable('a\u{1f600}b')).toBe(false);
  });

  it('takes exactly the texts without a newline or a surrogate', () => {
    const unit = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom('a', ' ', '"', '\\', 'é', '\u00ff', '\u0100', '\uffff') },
      fc.constantFrom('\n', '\ud800', '\udfff', '\u{1f600}'),
    );
    const texts = fc.oneof(
      fc.array(unit, { maxLength: 40 }).map((parts) => parts.join('')),
      fc.string({ unit: 'binary' }),
    );
    fc.assert(
      fc.property(texts, (t) => {
        const plain = [...t].every((c) => c !== '\n' && c.length === 1 && !(c >= '\ud800' && c <= '\udfff'));
        expect(scannable(t)).toBe(plain);
      }),
      { numRuns: 3000 },
    );
  });

  // Lines assembled from the pieces the pattern cares about: every choice it leaves open is exercised.
  const piece = fc.constantFrom(
    ' ',
    '"',
    '\\',
    '[',
    ']',
    '-',
    '200',
    '7',
    'GET',
    ' HTTP/1.1',
    '/a',
    '\t',
    'é',
    'x',
    '\r',
    '" "',
    '] "',
    ' [',
  );
  const text = fc.array(piece, { maxLength: 24 }).map((parts) => parts.join(''));
  // Mostly well-formed fields, so that most lines match and the optional parts are decided by what follows.
  const mostly = (good: string, ...others: string[]) =>
    fc.oneof({ weight: 3, arbitrary: fc.constant(good) }, fc.constantFrom(good, ...others));
  const field = (pieces: string[]) =>
    fc.oneof(
      { weight: 3, arbitrary: fc.array(fc.constantFrom(...pieces), { maxLength: 6 }).map((p) => p.join('')) },
      text,
    );
  const line = fc
    .tuple(
      fc.constantFrom('', 'vh ', 'vh:80 '),
      mostly('192.0.2.1', '"', 'a b', ''),
      mostly(' - ', ' ', ' x '),
      fc.constantFrom('-', '"u v"', '"u"', '"', 'u'),
      mostly(' [', ' ', '['),
      field(['1', '/', ' ', ':', '+', ']']),
      mostly('] "', ']"', '] '),
      field(['GET', ' ', '/a', '\\"', '\\\\', 'é', ' HTTP/1.1', '\\', '"']),
      mostly('" 200 ', '" - ', '" 20 ', '"200 '),
      mostly('5', '-', '', '12a'),
      fc.constantFrom('', ' "', ' "-" "', ' "r" "a"', ' "\\"" "'),
      field(['Mozilla', ' ', '\\"', '"', ' 0.1', '-']),
    )
    .map((parts) => parts.join(''));

  it('agrees with re2 on any assembled line', () => {
    fc.assert(
      fc.property(line, (l) => {
        expect(scanAccessLine(l)).toEqual(byRe2(ACCESS_LINE, l));
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees with re2 on any request line', () => {
    const request = fc
      .tuple(
        fc.constantFrom('GET', 'get', '', 'PROPFIND', 'G1'),
        text,
        fc.constantFrom('', ' HTTP/1.1', ' HTTP/', ' HTTP/1.x'),
      )
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(request, (r) => {
        expect(scanRequest(r)).toEqual(byRe2(ACCESS_REQUEST, r));
      }),
      { numRuns: 3000 },
    );
  });
});
