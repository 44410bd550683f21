import { leadingLiteral } from '../../../src/logs/recognisers/types';

describe('the leading literal of a pattern', () => {
  it.each([
    ['^Failed \\S+ for .', 'Failed '],
    ['^pam_unix\\((?P<service>[^:)]+):session\\)', 'pam_unix'],
    ['^Disconnecting: Too many(?: for x)?', 'Disconnecting: Too many'],
    ['^Read from socket failed\\s*$', 'Read from socket failed'],
    ['^auth(?:-worker)?: ', 'auth'],
    ['^abc?d', 'ab'],
    ['^abc*', 'ab'],
    ['^abc+', 'ab'],
    ['^abc{2}', 'ab'],
    ['^[aA]uthentication', ''],
    ['^(?:x|y)z', ''],
    ['^\\s*user', ''],
    ['No space left on device', ''],
  ])('of %s is %j', (pattern, lead) => {
    expect(leadingLiteral(pattern)).toBe(lead);
  });

  it.each([['^ab|cd'], ['^ab(x)|y'], ['^ab[(]|y'], ['^ab\\(|y'], ['^ab[]|]|y']])(
    'is empty when %s branches outside every group',
    (pattern) => {
      expect(leadingLiteral(pattern)).toBe('');
    },
  );

  it.each([['^ab(x|y)'], ['^ab[|]'], ['^ab\\|c']])(
    'is kept when the branch of %s is inside a group or class',
    (pattern) => {
      expect(leadingLiteral(pattern)).toBe('ab');
    },
  );
});
