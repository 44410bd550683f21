import { recogniserTable } from './table';

recogniserTable(
  'the one-line exception row',
  [
    {
      line: "ValueError: invalid literal for int() with base 10: 'abc'",
      rule: 'exception/typed-exception',
      subkind: 'unhandled',
      details: { type: 'ValueError', message: "invalid literal for int() with base 10: 'abc'" },
    },
    {
      line: '2024-03-01 10:00:00 ERROR [main] java.lang.IllegalStateException: order 42 has no customer',
      rule: 'exception/typed-exception',
      subkind: 'unhandled',
      details: { type: 'java.lang.IllegalStateException', message: 'order 42 has no customer' },
    },
    {
      line: 'Unhandled rejection RangeError: Invalid array length',
      rule: 'exception/typed-exception',
      subkind: 'unhandled',
      details: { type: 'RangeError' },
    },
  ],
  [
    { line: 'Error: something' },
    { line: 'ErrorDocument 404 /missing.html' },
    { line: 'Got user-level KeeperException when processing sessionid:0x1 type:create' },
  ],
);
