/**
 * Well-known ports and the services behind them (IANA names as /etc/services
 * has them, plus the common unregistered defaults: redis, mongodb, ...).
 */

/** One row: a port, the transports it is used on, and the service name. */
export interface ServicePort {
  port: number;
  transports: readonly ('tcp' | 'udp')[];
  service: string;
}

const TCP = ['tcp'] as const;
const UDP = ['udp'] as const;
const BOTH = ['tcp', 'udp'] as const;

/** The table, by port. */
export const SERVICE_PORTS: readonly ServicePort[] = [
  { port: 20, transports: TCP, service: 'ftp-data' },
  { port: 21, transports: TCP, service: 'ftp' },
  { port: 22, transports: TCP, service: 'ssh' },
  { port: 23, transports: TCP, service: 'telnet' },
  { port: 25, transports: TCP, service: 'smtp' },
  { port: 53, transports: BOTH, service: 'dns' },
  { port: 67, transports: UDP, service: 'dhcp' },
  { port: 68, transports: UDP, service: 'dhcp-client' },
  { port: 69, transports: UDP, service: 'tftp' },
  { port: 80, transports: TCP, service: 'http' },
  { port: 110, transports: TCP, service: 'pop3' },
  { port: 111, transports: BOTH, service: 'rpcbind' },
  { port: 123, transports: UDP, service: 'ntp' },
  { port: 135, transports: TCP, service: 'msrpc' },
  { port: 139, transports: TCP, service: 'netbios-ssn' },
  { port: 143, transports: TCP, service: 'imap' },
  { port: 161, transports: UDP, service: 'snmp' },
  { port: 389, transports: TCP, service: 'ldap' },
  { port: 443, transports: BOTH, service: 'https' },
  { port: 445, transports: TCP, service: 'smb' },
  { port: 465, transports: TCP, service: 'smtps' },
  { port: 514, transports: UDP, service: 'syslog' },
  { port: 587, transports: TCP, service: 'submission' },
  { port: 636, transports: TCP, service: 'ldaps' },
  { port: 853, transports: TCP, service: 'dns-over-tls' },
  { port: 873, transports: TCP, service: 'rsync' },
  { port: 993, transports: TCP, service: 'imaps' },
  { port: 995, transports: TCP, service: 'pop3s' },
  { port: 1194, transports: BOTH, service: 'openvpn' },
  { port: 1433, transports: TCP, service: 'mssql' },
  { port: 1521, transports: TCP, service: 'oracle' },
  { port: 2049, transports: BOTH, service: 'nfs' },
  { port: 2375, transports: TCP, service: 'docker' },
  { port: 2376, transports: TCP, service: 'docker-tls' },
  { port: 3000, transports: TCP, service: 'grafana' },
  { port: 3306, transports: TCP, service: 'mysql' },
  { port: 3389, transports: TCP, service: 'rdp' },
  { port: 4190, transports: TCP, service: 'sieve' },
  { port: 5060, transports: BOTH, service: 'sip' },
  { port: 5432, transports: TCP, service: 'postgresql' },
  { port: 5672, transports: TCP, service: 'amqp' },
  { port: 5900, transports: TCP, service: 'vnc' },
  { port: 6379, transports: TCP, service: 'redis' },
  { port: 6443, transports: TCP, service: 'kubernetes-api' },
  { port: 8080, transports: TCP, service: 'http-alt' },
  { port: 8443, transports: TCP, service: 'https-alt' },
  { port: 9090, transports: TCP, service: 'prometheus' },
  { port: 9200, transports: TCP, service: 'elasticsearch' },
  { port: 11211, transports: BOTH, service: 'memcached' },
  { port: 27017, transports: TCP, service: 'mongodb' },
  { port: 51820, transports: UDP, service: 'wireguard' },
];

const byKey = new Map<string, string>();
for (const row of SERVICE_PORTS)
  for (const transport of row.transports) byKey.set(`${transport}/${row.port}`, row.service);

/** The service on `port` for a transport (`tcp6` counts as `tcp`); undefined when not well known. */
export function serviceForPort(protocol: string, port: number): string | undefined {
  return byKey.get(`${protocol.startsWith('udp') ? 'udp' : 'tcp'}/${port}`);
}

/**
 * The service a socket speaks: its local port's when that is well known (a
 * server socket), else its remote port's (a client connecting out).
 */
export function serviceOf(connection: {
  protocol: string;
  local: { port: number };
  remote: { port: number };
}): string | undefined {
  return (
    serviceForPort(connection.protocol, connection.local.port) ??
    (connection.remote.port === 0 ? undefined : serviceForPort(connection.protocol, connection.remote.port))
  );
}
