/**
 * Service relationships: which service fronts, guards or depends on which,
 * as data. The event tracer uses them to link events across services: a
 * refused connection in django points at postgresql, a 502 in nginx at its
 * upstream application server, a ban by fail2ban at the service it guards.
 *
 * Names are the normalised `event.service` values the log parsers set.
 */

/** How one service relates to others. */
export interface ServiceRelations {
  /** Services this one proxies requests to (its upstreams). */
  fronts?: readonly string[];
  /** Services this one needs to work (databases, caches, auth backends). */
  dependsOn?: readonly string[];
  /** Services this one watches and protects (fail2ban's jails). */
  guards?: readonly string[];
}

/** Application servers and the frameworks they run are one tier: an outage of either is the app's. */
export const APP_TIER: readonly string[] = ['gunicorn', 'uwsgi', 'django', 'flask', 'php-fpm', 'rails', 'node'];

const DATA_STORES = ['postgresql', 'mysql', 'redis', 'memcached'] as const;

/** The relationships table. */
export const SERVICE_RELATIONSHIPS: Readonly<Record<string, ServiceRelations>> = {
  nginx: { fronts: APP_TIER },
  apache: { fronts: APP_TIER },
  // An access log does not say which web server wrote it: nginx or apache, a front either way.
  http: { fronts: APP_TIER },
  haproxy: { fronts: ['nginx', 'apache', ...APP_TIER] },
  gunicorn: { dependsOn: DATA_STORES },
  uwsgi: { dependsOn: DATA_STORES },
  django: { dependsOn: DATA_STORES },
  flask: { dependsOn: DATA_STORES },
  'php-fpm': { dependsOn: DATA_STORES },
  rails: { dependsOn: DATA_STORES },
  node: { dependsOn: DATA_STORES },
  postfix: { dependsOn: ['dovecot'] },
  dovecot: { dependsOn: ['postfix'] },
  fail2ban: { guards: ['ssh', 'nginx', 'apache', 'http', 'postfix', 'dovecot'] },
};

/** Well-known ports of the services a connection can be refused by. */
export const PORT_SERVICES: Readonly<Record<number, string>> = {
  22: 'ssh',
  25: 'postfix',
  80: 'nginx',
  110: 'dovecot',
  143: 'dovecot',
  443: 'nginx',
  587: 'postfix',
  993: 'dovecot',
  995: 'dovecot',
  3306: 'mysql',
  5432: 'postgresql',
  5672: 'rabbitmq',
  6379: 'redis',
  8000: 'gunicorn',
  9000: 'php-fpm',
  11211: 'memcached',
  27017: 'mongodb',
};

/** Names a log uses for a service in its text (lower case), and the service each means. */
export const SERVICE_MENTIONS: readonly (readonly [string, string])[] = [
  ['postgres', 'postgresql'],
  ['mysql', 'mysql'],
  ['mariadb', 'mysql'],
  ['redis', 'redis'],
  ['memcache', 'memcached'],
  ['rabbitmq', 'rabbitmq'],
  ['amqp', 'rabbitmq'],
  ['mongo', 'mongodb'],
  ['gunicorn', 'gunicorn'],
  ['uwsgi', 'uwsgi'],
  ['php-fpm', 'php-fpm'],
  ['dovecot', 'dovecot'],
];

/**
 * The group a service belongs to for outages: the app tier is one group, any
 * other service is its own.
 */
export function tierOf(service: string): string {
  return APP_TIER.includes(service) ? 'app' : service;
}

/** Whether `service` proxies requests to others (so its 502/504 answers accuse an upstream). */
export function isFront(service: string | undefined): boolean {
  return service !== undefined && SERVICE_RELATIONSHIPS[service]?.fronts !== undefined;
}

/**
 * The service a failing `service` most likely waited on: its upstream for a
 * front, its first dependency otherwise, preferring those seen in the input.
 */
export function likelyUpstream(service: string, seen: (service: string) => boolean): string | undefined {
  const relations = SERVICE_RELATIONSHIPS[service];
  const candidates = relations?.fronts ?? relations?.dependsOn;
  if (!candidates || candidates.length === 0) return undefined;
  return candidates.find(seen) ?? candidates[0];
}

/** The services that fail2ban (or another guard) protects. */
export function guardedBy(guard: string): readonly string[] {
  return SERVICE_RELATIONSHIPS[guard]?.guards ?? [];
}
