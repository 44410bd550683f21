import { recogniserTable } from './table';

recogniserTable(
  'network recognisers',
  [
    {
      line: '2024/03/01 10:00:00 [error] 1234#1234: *5 connect() failed (111: Connection refused) while connecting to upstream, client: 203.0.113.9, server: shop, request: "GET / HTTP/1.1", upstream: "http://127.0.0.1:8000/", host: "shop"',
      rule: 'network/econnrefused',
      subkind: 'connection-refused',
      details: { code: 'ECONNREFUSED', codeKind: 'errno', target: '203.0.113.9' },
    },
    {
      line: 'Error: connect ECONNREFUSED 127.0.0.1:5432',
      rule: 'network/econnrefused',
      subkind: 'connection-refused',
      details: { target: '127.0.0.1:5432' },
    },
    {
      line: 'dial tcp 10.0.0.5:6379: connect: connection refused',
      rule: 'network/econnrefused',
      subkind: 'connection-refused',
      details: { target: '10.0.0.5:6379' },
    },
    {
      line: 'recv() failed (104: Connection reset by peer) while reading response header from upstream',
      rule: 'network/econnreset',
      subkind: 'connection-reset',
    },
    { line: 'Error: socket hang up', rule: 'network/econnreset', subkind: 'connection-reset' },
    {
      line: 'warning: unknown[198.51.100.1]: SASL LOGIN authentication failed: Connection lost to authentication server',
      rule: 'network/auth-backend-lost',
      subkind: 'connection-failed',
      details: { type: 'LOGIN', service: 'postfix' },
    },
    { line: 'Error: read ECONNRESET', rule: 'network/econnreset', subkind: 'connection-reset' },
    {
      line: 'socket.gaierror: [Errno -2] Name or service not known',
      rule: 'network/dns',
      subkind: 'dns-failure',
    },
    {
      line: 'ssh: Could not resolve hostname backup.internal: Temporary failure in name resolution',
      rule: 'network/dns',
      subkind: 'dns-failure',
    },
    {
      line: 'Error: getaddrinfo ENOTFOUND api.example.com',
      rule: 'network/dns',
      subkind: 'dns-failure',
      details: { target: 'api.example.com' },
    },
    {
      line: 'dial tcp: lookup db.internal on 127.0.0.53:53: no such host',
      rule: 'network/dns',
      subkind: 'dns-failure',
      details: { target: 'db.internal' },
    },
    {
      line: 'curl: (6) Could not resolve host: mirror.example.org',
      rule: 'network/dns',
      subkind: 'dns-failure',
      details: { target: 'mirror.example.org' },
    },
    {
      line: 'java.net.UnknownHostException: kafka-1.internal',
      rule: 'network/dns',
      subkind: 'dns-failure',
      details: { target: 'kafka-1.internal' },
    },
    {
      line: "requests.exceptions.SSLError: HTTPSConnectionPool(host='api.example.com', port=443): Max retries exceeded (Caused by SSLError(SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate (_ssl.c:1129)')))",
      rule: 'network/tls-certificate',
      subkind: 'tls-certificate',
    },
    {
      line: 'Get "https://10.0.0.8/": x509: certificate signed by unknown authority',
      rule: 'network/tls-certificate',
      subkind: 'tls-certificate',
    },
    {
      line: '2024/03/01 10:00:00 [crit] 99#99: *1 SSL_do_handshake() failed (SSL: error:0A00006C:SSL routines::bad key share) while SSL handshaking, client: 198.51.100.4, server: 0.0.0.0:443',
      rule: 'network/tls-handshake',
      subkind: 'tls-handshake',
    },
    { line: 'remote error: tls: handshake failure', rule: 'network/tls-handshake', subkind: 'tls-handshake' },
    {
      line: 'upstream timed out (110: Connection timed out) while reading response header from upstream, client: 198.51.100.7',
      rule: 'network/etimedout',
      subkind: 'timeout',
      details: { code: 'ETIMEDOUT' },
    },
    { line: 'java.net.SocketTimeoutException: Read timed out', rule: 'network/etimedout', subkind: 'timeout' },
    {
      line: 'dial tcp 10.1.2.3:443: i/o timeout',
      rule: 'network/etimedout',
      subkind: 'timeout',
      details: { target: '10.1.2.3:443' },
    },
    { line: 'context deadline exceeded', rule: 'network/etimedout', subkind: 'timeout' },
    {
      line: 'ssh: connect to host 10.9.8.7 port 22: No route to host',
      rule: 'network/ehostunreach',
      subkind: 'host-unreachable',
      details: { target: '10.9.8.7' },
    },
    {
      line: 'ping: connect: Network is unreachable',
      rule: 'network/enetunreach',
      subkind: 'network-unreachable',
    },
    {
      line: '2024/03/01 10:00:00 [emerg] 1#1: bind() to 0.0.0.0:80 failed (98: Address already in use)',
      rule: 'network/eaddrinuse',
      subkind: 'address-in-use',
      details: { code: 'EADDRINUSE', target: '0.0.0.0:80' },
    },
    { line: 'BrokenPipeError: [Errno 32] Broken pipe', rule: 'network/epipe', subkind: 'broken-pipe' },
    {
      line: 'upstream prematurely closed connection while reading response header from upstream',
      rule: 'network/upstream-closed',
      subkind: 'connection-reset',
    },
  ],
  [
    { line: 'Connection from 203.0.113.9 port 51234 on 10.0.0.1 port 22' },
    { line: 'Connection closed by 203.0.113.9 port 51234 [preauth]' },
    { line: 'Accepted connection from 10.0.0.5', notRule: 'network/econnrefused' },
    { line: 'keepalive_timeout 65;' },
    { line: 'set timeout to 30s' },
    { line: 'resolved api.example.com to 93.184.216.34' },
    { line: 'TLS handshake completed in 12 ms' },
  ],
);
