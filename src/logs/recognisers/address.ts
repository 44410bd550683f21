/**
 * The remote end named in a log message: an address (IPv4, IPv6, IPv4-mapped
 * IPv6 reported as IPv4, as fail2ban does) or a host name (sshd with UseDNS).
 * A plain scanner: it runs on every recognised line.
 */

/** Where a host token points: `ip` when it is an address, else `domain`. */
export interface Remote {
  ip?: string;
  domain?: string;
}

function isIpv4(text: string): boolean {
  let parts = 0;
  let digits = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0 || digits > 3) return false;
      parts++;
      digits = 0;
    } else if (c >= 48 && c <= 57) digits++;
    else return false;
  }
  return parts === 4;
}

function isIpv6(text: string): boolean {
  if (text.length < 2 || text.length > 45 || !text.includes(':')) return false;
  let colons = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 58) colons++;
    else if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70) || c === 46)) return false;
  }
  return colons >= 2 && colons <= 7;
}

function isHostName(text: string): boolean {
  if (text.length === 0 || text.length > 253) return false;
  let letters = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const letter = (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
    if (letter) letters = true;
    else if (!((c >= 48 && c <= 57) || c === 45 || c === 46 || c === 95)) return false;
  }
  return letters;
}

/**
 * Classifies a host token as the log wrote it. Brackets (`[2001:db8::1]`) and
 * a `::ffff:` prefix are removed; a leading-zero IPv4 (`192.030.0.6`) is kept
 * verbatim, since its meaning (octal or decimal) is the writer's. Anything else
 * (`unknown`, `UNKNOWN`, garbage) names nothing.
 */
export function remoteOf(token: string | undefined): Remote {
  if (token === undefined || token === '') return {};
  let host = token;
  if (host.charCodeAt(0) === 91 && host.charCodeAt(host.length - 1) === 93) host = host.slice(1, -1);
  const zone = host.indexOf('%');
  if (zone > 0) host = host.slice(0, zone);
  if (isIpv4(host)) return { ip: host };
  const lower = host.toLowerCase();
  if (lower.startsWith('::ffff:') && isIpv4(host.slice(7))) return { ip: host.slice(7) };
  if (isIpv6(host)) return { ip: lower };
  if (lower === 'unknown' || !isHostName(host)) return {};
  return { domain: host };
}

/**
 * Splits `host:port` (`1.2.3.4:51380`, `[2001:db8::1]:51548`) as Apache's
 * `[client ...]` writes it; a bare IPv6 address keeps all its colons.
 */
export function splitHostPort(text: string): { host: string; port?: number } {
  if (text.charCodeAt(0) === 91) {
    const close = text.indexOf(']');
    if (close > 0) {
      const port = text.charCodeAt(close + 1) === 58 ? Number(text.slice(close + 2)) : NaN;
      return Number.isInteger(port) ? { host: text.slice(1, close), port } : { host: text.slice(1, close) };
    }
  }
  const colon = text.lastIndexOf(':');
  if (colon > 0 && text.indexOf(':') === colon) {
    const port = Number(text.slice(colon + 1));
    if (Number.isInteger(port) && port >= 0 && port <= 65535) return { host: text.slice(0, colon), port };
  }
  return { host: text };
}
