/**
 * The failure modes seen on Loghub datasets we do not have, as table tests
 * written in real formats: each group must give exactly its number of
 * templates, in input order and reversed.
 */
import { isStateWord, TemplateMiner, templateOf } from '../../../src/tracers/error/template-miner';
import { maskTokens } from '../../../src/tracers/error/mask';

function templates(lines: readonly string[]): string[] {
  const miner = new TemplateMiner();
  for (const line of lines) miner.add(line);
  return miner.clusters().map(templateOf).sort();
}

const CASES: [string, string[], number][] = [
  [
    'state words of a service (one word apart) stay apart',
    [
      'Job 17 started on node-17',
      'Job 18 stopped on node-3',
      'Job 19 started on node-9',
      'Job 20 paused on node-1',
      'Job 21 stopped on node-2',
    ],
    3,
  ],
  [
    'capitalised and upper-case states (Zookeeper, Hadoop) stay apart',
    [
      'Notification: 1 (n.leader), 0x0 (n.zxid), LOOKING (n.state), 2 (n.sid)',
      'Notification: 3 (n.leader), 0x1 (n.zxid), FOLLOWING (n.state), 1 (n.sid)',
      'Notification: 3 (n.leader), 0x2 (n.zxid), LEADING (n.state), 3 (n.sid)',
      'Notification: 1 (n.leader), 0x3 (n.zxid), LOOKING (n.state), 3 (n.sid)',
      'Task attempt_1 Transitioned from NEW to UNASSIGNED',
      'Task attempt_2 Transitioned from NEW to UNASSIGNED',
    ],
    4,
  ],
  [
    'operations of an API (up/down, enable/disable) stay apart',
    ['interface eth0 link up', 'interface eth1 link down', 'interface eth2 link up', 'port 8 enable', 'port 9 disable'],
    4,
  ],
  [
    'quoted request lines keep their method',
    [
      '10.0.0.1 "GET /index.html HTTP/1.1" 200 512',
      '10.0.0.2 "GET /about.html HTTP/1.1" 200 1024',
      '10.0.0.3 "POST /login HTTP/1.1" 302 0',
      '10.0.0.4 "POST /api/v1/items HTTP/1.0" 201 77',
      '10.0.0.5 "DELETE /api/v1/items/7 HTTP/1.1" 204 0',
    ],
    3,
  ],
  [
    'key=value runs keep their keys and their state values',
    [
      'audit op=start user=alice pid=100 res=success',
      'audit op=stop user=bob pid=200 res=success',
      'audit op=start user=carol pid=300 res=failed',
      'audit op=stop user=dave pid=400 res=failed',
      'vm instance=a1 state=running host=h1',
      'vm instance=b2 state=stopped host=h2',
    ],
    6,
  ],
  [
    'a constant word with few values is an enumeration (drivers, as in Thunderbird), not a variable',
    [
      'usbcore: registered new driver hiddev',
      'usbcore: registered new driver hub',
      'usbcore: registered new driver usbfs',
      'usbcore: registered new driver hub',
      'Mounting NFS filesystems: succeeded',
      'Mounting other filesystems: failed',
    ],
    5,
  ],
  [
    'names and ids in the same place merge once four names are seen (one statement)',
    [
      'Invalid user admin from 10.0.0.1',
      'Invalid user root from 10.0.0.2',
      'Invalid user oracle from 10.0.0.3',
      'Invalid user test from 10.0.0.4',
      'audit op=start user=alice pid=100',
      'audit op=start user=bob pid=200',
      'audit op=start user=carol pid=300',
      'audit op=start user=dave pid=400',
      '10.0.0.1 "GET /a HTTP/1.1" 200 5',
      '10.0.0.2 "GET /b/c HTTP/1.1" 404 9',
      "Cannot read properties of undefined (reading 'id')",
      "Cannot read properties of undefined (reading 'name')",
    ],
    4,
  ],
];

describe('TemplateMiner generalises across formats with one configuration', () => {
  it.each(CASES)('%s', (_name, lines, count) => {
    expect(templates(lines)).toHaveLength(count);
    expect(templates([...lines].reverse())).toEqual(templates(lines));
  });

  it('masks the request line by its parts, not wholesale', () => {
    expect(maskTokens('"GET /index.html HTTP/1.1" 200').join(' ')).toBe('"GET <*>');
    expect(maskTokens("reading 'id')").join(' ')).toBe('reading <*>');
  });

  it.each([
    ['started', true],
    ['Stopped', true],
    ['LOOKING', true],
    ['state=running', true],
    ['"up"', true],
    ['disable,', true],
    ['admin', false],
    ['root', false],
    ['fred', false],
    ['McDonalds', false],
    ['node-17', false],
    ['', false],
  ])('isStateWord(%j) is %s', (token, expected) => {
    expect(isStateWord(token)).toBe(expected);
  });
});
