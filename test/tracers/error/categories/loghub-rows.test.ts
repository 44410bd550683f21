import { recogniserTable } from './table';

recogniserTable(
  'rows for the programs of the Loghub logs',
  [
    {
      line: 'mod_jk child workerEnv in error state 6',
      rule: 'system/mod-jk',
      subkind: 'worker-error',
      details: { code: '6', service: 'apache' },
    },
    {
      line: "jk2_init() Can't find child 5717 in scoreboard",
      rule: 'system/mod-jk',
      subkind: 'worker-error',
      details: { pid: 5717 },
    },
    {
      line: '[client 222.166.160.184] Directory index forbidden by rule: /var/www/html/',
      rule: 'permission/forbidden-by-rule',
      subkind: 'forbidden-by-rule',
      details: { path: '/var/www/html/' },
    },
    {
      line: '10.251.30.101:50010:Got exception while serving blk_-2918118818249673980 to /10.251.90.64:',
      rule: 'network/peer-connection',
      subkind: 'connection-failed',
      details: { target: 'blk_-2918118818249673980' },
    },
    {
      line: 'Connection broken for id 188978561024, my id = 1, error =',
      rule: 'network/peer-connection',
      subkind: 'connection-failed',
      details: { target: '188978561024' },
    },
    {
      line: 'Cannot open channel to 3 at election address /10.10.34.13:3888',
      rule: 'network/peer-connection',
      subkind: 'connection-failed',
    },
    { line: 'caught end of stream exception', rule: 'network/peer-connection', subkind: 'connection-failed' },
    {
      line: 'proxy.cse.cuhk.edu.hk:5070 error : Could not connect to proxy proxy.cse.cuhk.edu.hk:5070 - connection attempt failed with error 10061',
      rule: 'network/proxy',
      subkind: 'proxy-failure',
      details: { target: 'proxy.cse.cuhk.edu.hk:5070', message: 'connection attempt failed with error 10061' },
    },
    {
      line: 'proxy.cse.cuhk.edu.hk:5070 error : Could not connect to proxy proxy.cse.cuhk.edu.hk:5070 - Could not resolve proxy.cse.cuhk.edu.hk error 11001',
      rule: 'network/proxy',
      subkind: 'dns-failure',
    },
    {
      line: 'Authentication failed from 163.27.187.39 (163.27.187.39): Software caused connection abort',
      rule: 'network/econnaborted',
      subkind: 'connection-reset',
      details: { code: 'ECONNABORTED', target: '163.27.187.39' },
    },
  ],
  [
    { line: 'mod_jk child init 1 -2' },
    { line: 'jk2_init() Found child 6725 in scoreboard slot 10' },
    { line: 'Established session 0x14ed93111f20027 with negotiated timeout 10000 for client /10.10.34.13:37177' },
    { line: 'proxy.cse.cuhk.edu.hk:5070 open through proxy proxy.cse.cuhk.edu.hk:5070 HTTPS' },
    { line: 'Receiving block blk_-1608999687919862906 src: /10.250.19.102:54106 dest: /10.250.19.102:50010' },
  ],
);
