/**
 * Network: refused, reset and timed-out connections, unreachable hosts and
 * networks, DNS resolution failures and TLS errors, in the wordings of glibc
 * (strerror, gai_strerror), nginx, Node, Go, Java, Python and curl.
 */
import { defineRows } from './rows';

/** The network rows. */
export const networkPatterns = defineRows('network', [
  {
    id: 'econnrefused',
    subkind: 'connection-refused',
    prefilter: ['onnection refused', 'ECONNREFUSED'],
    pattern: '(?i:connection refused)|\\bECONNREFUSED\\b',
    severity: 60,
    implies: { code: 'ECONNREFUSED', codeKind: 'errno' },
  },
  {
    id: 'econnreset',
    subkind: 'connection-reset',
    prefilter: ['onnection reset', 'ECONNRESET', 'socket hang up'],
    pattern: '(?i:connection reset by peer)|\\bECONNRESET\\b|\\bsocket hang up\\b|Connection reset(?:$|[^ ]| [^b])',
    severity: 45,
    implies: { code: 'ECONNRESET', codeKind: 'errno' },
  },
  {
    id: 'econnaborted',
    subkind: 'connection-reset',
    prefilter: ['Software caused connection abort', 'ECONNABORTED'],
    pattern: 'Software caused connection abort|\\bECONNABORTED\\b',
    severity: 45,
    implies: { code: 'ECONNABORTED', codeKind: 'errno' },
  },
  {
    id: 'peer-connection',
    subkind: 'connection-failed',
    prefilter: [
      'Cannot open channel to',
      'Connection broken for id',
      'caught end of stream exception',
      'exception while serving',
    ],
    // ZooKeeper quorum peers and HDFS DataNodes losing their peers.
    pattern:
      'Cannot open channel to (?<target>\\d+) at election address (?<target2>\\S+)|Connection broken for id (?<target3>\\d+), my id = \\d+|caught end of stream exception|[Ee]xception while serving (?<target4>blk_-?\\d+) to (?<target5>\\S+)',
    severity: 50,
  },
  {
    id: 'auth-backend-lost',
    subkind: 'connection-failed',
    prefilter: ['Connection lost to authentication server'],
    // postfix's SASL backend (dovecot auth, saslauthd) went away: every client's login fails until it is back.
    pattern: 'SASL (?<type>[\\w-]{1,32}) authentication failed: Connection lost to authentication server',
    severity: 60,
    service: 'postfix',
  },
  {
    id: 'proxy',
    subkind: 'proxy-failure',
    prefilter: ['through proxy', 'to proxy', 'connection request was canceled'],
    // Proxifier and other client-side proxies; Winsock error 11001 (host not found) is a DNS failure.
    pattern:
      'Could not connect (?:to|through) proxy (?<target>\\S+) - (?<message>[^\\n]+)|A connection request was canceled before the completion',
    severity: 45,
    classify: (details) => (details.message?.includes('Could not resolve') ? 'dns-failure' : undefined),
  },
  {
    id: 'dns',
    subkind: 'dns-failure',
    prefilter: [
      'Name or service not known',
      'name resolution',
      'ENOTFOUND',
      'EAI_AGAIN',
      'no such host',
      'UnknownHostException',
      'Could not resolve host',
      'nodename nor servname',
      'getaddrinfo failed',
    ],
    pattern:
      '(?:Name or service not known|Temporary failure in name resolution|getaddrinfo (?:ENOTFOUND|EAI_AGAIN) (?<target>[\\w.-]{1,253})|lookup (?<target2>[\\w.-]{1,253})(?: on [\\d.:\\[\\]a-f]+)?: no such host|UnknownHostException:? (?<target3>[\\w.-]{1,253})?|Could not resolve host: (?<target4>[\\w.-]{1,253})|nodename nor servname provided|getaddrinfo failed)',
    severity: 55,
  },
  {
    id: 'tls-certificate',
    subkind: 'tls-certificate',
    prefilter: ['certificate', 'CERTIFICATE_VERIFY_FAILED', 'x509: '],
    pattern:
      '(?:CERTIFICATE_VERIFY_FAILED|certificate verify failed|x509: certificate (?:signed by unknown authority|has expired or is not yet valid|is valid for [^\\n]{0,128}, not (?<target>[\\w.-]{1,253}))|certificate has expired|unable to get local issuer certificate|self[- ]signed certificate|PKIX path building failed)',
    severity: 60,
  },
  {
    id: 'tls-handshake',
    subkind: 'tls-handshake',
    prefilter: ['handshake', 'SSL routines', 'wrong version number', 'SSLHandshakeException'],
    pattern:
      '(?i:tls: handshake failure|SSL_do_handshake\\(\\) failed|sslv3 alert handshake failure|handshake failure)|SSL routines|wrong version number|SSLHandshakeException|TLS handshake (?:timeout|error)',
    severity: 50,
  },
  {
    id: 'etimedout',
    subkind: 'timeout',
    prefilter: ['imed out', 'ETIMEDOUT', 'timeout', 'Timeout', 'deadline exceeded', 'Time-out'],
    pattern:
      '(?i:connection timed out|(?:read|connect|request|operation|socket|upstream|handshake) timed out|i/o timeout|context deadline exceeded|(?:Read|Connect|Socket)TimeoutException|gateway time-?out)|\\bETIMEDOUT\\b|\\b(?:ReadTimeout|ConnectTimeout|ConnectTimeoutError)\\b',
    severity: 50,
    implies: { code: 'ETIMEDOUT', codeKind: 'errno' },
  },
  {
    id: 'ehostunreach',
    subkind: 'host-unreachable',
    prefilter: ['No route to host', 'EHOSTUNREACH', 'Host is down', 'EHOSTDOWN'],
    pattern: '(?i:no route to host|host is down)|\\bEHOSTUNREACH\\b|\\bEHOSTDOWN\\b',
    severity: 60,
    implies: { code: 'EHOSTUNREACH', codeKind: 'errno' },
  },
  {
    id: 'enetunreach',
    subkind: 'network-unreachable',
    prefilter: ['etwork is unreachable', 'ENETUNREACH', 'etwork is down'],
    pattern: '(?i:network is unreachable|network is down)|\\bENETUNREACH\\b',
    severity: 65,
    implies: { code: 'ENETUNREACH', codeKind: 'errno' },
  },
  {
    id: 'eaddrinuse',
    subkind: 'address-in-use',
    prefilter: ['ddress already in use', 'EADDRINUSE'],
    pattern: '(?i:address already in use)|\\bEADDRINUSE\\b',
    severity: 70,
    implies: { code: 'EADDRINUSE', codeKind: 'errno' },
  },
  {
    id: 'epipe',
    subkind: 'broken-pipe',
    prefilter: ['Broken pipe', 'EPIPE'],
    pattern: '(?i:broken pipe)|\\bEPIPE\\b',
    severity: 35,
    implies: { code: 'EPIPE', codeKind: 'errno' },
  },
  {
    id: 'upstream-closed',
    subkind: 'connection-reset',
    prefilter: ['upstream prematurely closed'],
    pattern: 'upstream prematurely closed connection while (?:reading|sending)',
    severity: 45,
    service: 'nginx',
  },
]);
