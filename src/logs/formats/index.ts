/**
 * Every built-in format, in the order the per-line fallback tries them (most
 * specific first; syslog, the loosest, last before raw).
 */
import { accessFormat } from './access';
import { apacheErrorFormat } from './apache-error';
import { auditFormat } from './audit';
import { bindFormat } from './bind';
import { dpkgFormat } from './dpkg';
import { eximFormat } from './exim';
import { fail2banFormat } from './fail2ban';
import { javaFormat } from './java';
import { lighttpdFormat } from './lighttpd';
import { logfmtFormat } from './logfmt';
import { jsonFormat } from './json';
import { mongodbFormat } from './mongodb';
import { mysqlFormat } from './mysql';
import { nginxErrorFormat } from './nginx-error';
import { postgresqlFormat } from './postgresql';
import { pythonFormat } from './python';
import { rawFormat } from './raw';
import { redisFormat } from './redis';
import { rfc5424Format } from './rfc5424';
import { syslogFormat } from './syslog';
import type { LogFormat } from './types';

export type { LogFormat } from './types';
export { ParseContext, detectionScore } from './types';

/** Built-in formats, fallback order. `raw` is last and always parses. */
export const FORMATS: readonly LogFormat[] = [
  jsonFormat,
  logfmtFormat,
  rfc5424Format,
  auditFormat,
  nginxErrorFormat,
  apacheErrorFormat,
  lighttpdFormat,
  accessFormat,
  fail2banFormat,
  postgresqlFormat,
  mysqlFormat,
  redisFormat,
  bindFormat,
  javaFormat,
  pythonFormat,
  mongodbFormat,
  dpkgFormat,
  eximFormat,
  syslogFormat,
  rawFormat,
];

/** Names accepted by `--format`. */
export const FORMAT_NAMES: readonly string[] = FORMATS.map((format) => format.name);

const BY_NAME = new Map(FORMATS.map((format) => [format.name, format]));

/** The format called `name`, or undefined. */
export function formatByName(name: string): LogFormat | undefined {
  return BY_NAME.get(name);
}
