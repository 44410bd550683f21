/**
 * JSON log lines and journald export lines, each hostile in one way. Shared by
 * the test and docs/hostile-input.md.
 */

export const deep = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
export const HUGE = 'x'.repeat(5 << 20);
const J = '"__REALTIME_TIMESTAMP":"1700000000000000","_HOSTNAME":"web01","SYSLOG_IDENTIFIER":"sshd","_PID":"77"';

/** JSON lines (application logs and journald export), each hostile in one way. */
export const JSON_LINE_CASES: [string, string][] = [
  ['a __proto__ key', '{"__proto__":{"polluted":"yes"},"level":"error","msg":"x"}'],
  ['a nested __proto__ key', '{"msg":"x","source":{"__proto__":{"ip":"6.6.6.6","polluted":"yes"}}}'],
  ['a constructor.prototype key', '{"constructor":{"prototype":{"polluted":"yes"}},"msg":"x"}'],
  ['a prototype key', '{"prototype":{"polluted":"yes"},"msg":"x"}'],
  ['a dotted __proto__.polluted key', '{"__proto__.polluted":"yes","msg":"x"}'],
  [
    'journald: a __proto__ key forging MESSAGE',
    `{${J},"__proto__":{"MESSAGE":"Failed password for root from 6.6.6.6 port 1 ssh2"},"MESSAGE":"ok"}`,
  ],
  ['a number beyond double range', '{"time":1e400,"level":1e400,"pid":1e400,"msg":"x"}'],
  ['a negative number beyond double range', '{"time":-1e400,"level":-1e400,"pid":-1e400,"msg":"x"}'],
  [
    'journald: a huge timestamp and pid',
    `{"__REALTIME_TIMESTAMP":"99999999999999999999999","_PID":"99999999999999999999","PRIORITY":"9","MESSAGE":"x"}`,
  ],
  ['10,000-deep objects', deep(10_000)],
  ['10,000-deep objects under a known key', `{"msg":"x","source":${deep(10_000)}}`],
  ['10,000-deep arrays', `{"msg":"x","a":${'['.repeat(10_000)}${']'.repeat(10_000)}}`],
  [
    'wrong types for every known key',
    '{"msg":{"a":1},"message":[1,"x"],"level":{},"time":[],"host":{"name":{}},"pid":"x","user":{"name":[]},"source":{"ip":{}}}',
  ],
  ['journald: MESSAGE as an array of non-bytes', `{${J},"MESSAGE":[1,"x",null,{}]}`],
  ['journald: MESSAGE as bytes out of range', `{${J},"MESSAGE":[-1,256,1e300,3.5]}`],
  ['null values', '{"msg":null,"level":null,"time":null,"source":null,"client":null}'],
  ['a 5 MB message', `{"level":"error","msg":"${HUGE}"}`],
  ['5,000 extra keys', `{"msg":"x",${Array.from({ length: 5000 }, (_, i) => `"k${i}":${i}`).join(',')}}`],
  ['a top-level array', '[{"msg":"x"}]'],
  ['a top-level string', '"{\\"msg\\":1}"'],
  ['truncated JSON', '{"msg":"x","level":"err'],
  [
    'duplicate keys (the last wins, as in JSON.parse and jq)',
    '{"msg":"first","msg":"second","source":{"ip":"203.0.113.1"},"source":{"ip":"203.0.113.2"}}',
  ],
];
