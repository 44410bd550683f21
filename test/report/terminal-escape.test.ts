import { escapeForTerminal } from '../../src/report/terminal-escape';

describe('escapeForTerminal', () => {
  it.each([
    ['plain text', 'Failed password for root', 'Failed password for root'],
    ['an ANSI colour sequence', 'user\u001b[31mred', 'user\\x1b[31mred'],
    ['an OSC title sequence', '\u001b]0;pwned\u0007', '\\x1b]0;pwned\\x07'],
    ['a carriage return that would overwrite the line', 'ok\rFAKE', 'ok\\x0dFAKE'],
    ['a C1 control', 'a\u009bb', 'a\\x9bb'],
    ['a bidi override', 'adm\u202enimda', 'adm\\u{202e}nimda'],
    ['a backslash, doubled so escapes stay unambiguous', 'C:\\x1b', 'C:\\\\x1b'],
    ['non-ASCII letters, kept', 'José ünïcödé 日本', 'José ünïcödé 日本'],
  ])('shows %s safely', (_name, input, expected) => {
    expect(escapeForTerminal(input)).toBe(expected);
  });
});
