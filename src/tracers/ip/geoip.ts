/**
 * MaxMind DB (.mmdb) readers for ASN, organisation and country, through the
 * `maxmind` package. The fields are read by name, so the same reader serves
 * MaxMind's GeoLite2/GeoIP2 ASN, Country and City databases, DB-IP's lite
 * databases (same layout) and ip-location-db's (`country_code`).
 */
import { readFileSync } from 'node:fs';
import { Reader, type Response } from 'maxmind';
import type { GeoInfo, GeoLookup } from './classify';

/** A database that cannot be used: the message names the file and what is wrong. */
export class GeoIpError extends Error {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`geoip database ${file}: ${reason}`);
    this.name = 'GeoIpError';
  }
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads `asn`, `org` and `country` from a record of any of the supported layouts. */
export function geoInfoOf(record: unknown): GeoInfo | undefined {
  if (!isObject(record)) return undefined;
  const info: GeoInfo = {};
  const asn = record.autonomous_system_number;
  if (typeof asn === 'number' && Number.isInteger(asn) && asn >= 0) info.asn = asn;
  const org = record.autonomous_system_organization;
  if (typeof org === 'string' && org !== '') info.org = org;
  const country = isObject(record.country) ? record.country.iso_code : record.country_code;
  const registered = isObject(record.registered_country) ? record.registered_country.iso_code : undefined;
  const code = typeof country === 'string' ? country : registered;
  if (typeof code === 'string' && code.length === 2) info.country = code.toUpperCase();
  return Object.keys(info).length ? info : undefined;
}

/** One opened .mmdb file. */
export class GeoIpDatabase implements GeoLookup {
  /** The database's `database_type` metadata, e.g. `GeoLite2-ASN`. */
  readonly databaseType: string;
  /** 4 for an IPv4-only database, 6 otherwise. */
  readonly ipVersion: number;
  private failures = 0;

  private constructor(
    readonly file: string,
    private readonly reader: Reader<Response>,
  ) {
    this.databaseType = reader.metadata.databaseType;
    this.ipVersion = reader.metadata.ipVersion;
  }

  /**
   * Opens a .mmdb file (read whole into memory). Throws GeoIpError, naming the
   * file, when it is missing, unreadable or not a valid MaxMind database.
   */
  static open(file: string): GeoIpDatabase {
    let buffer: Buffer;
    try {
      buffer = readFileSync(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new GeoIpError(file, code === 'ENOENT' ? 'no such file' : (error as Error).message);
    }
    return GeoIpDatabase.fromBuffer(buffer, file);
  }

  /** Reads a database already in memory; `origin` names it in errors. */
  static fromBuffer(buffer: Buffer, origin: string): GeoIpDatabase {
    let reader: Reader<Response>;
    try {
      reader = new Reader<Response>(buffer);
      // A probe lookup finds a broken search tree or data section now, not at the first real address.
      reader.get('1.1.1.1');
    } catch (error) {
      throw new GeoIpError(origin, `not a valid MaxMind database (${(error as Error).message})`);
    }
    return new GeoIpDatabase(origin, reader);
  }

  /** How many lookups failed on a damaged part of the database (each answered "unknown"). */
  get failedLookups(): number {
    return this.failures;
  }

  /** What the database knows of `ip` (canonical text), if anything. */
  lookup(ip: string): GeoInfo | undefined {
    if (this.ipVersion === 4 && ip.includes(':')) return undefined;
    try {
      return geoInfoOf(this.reader.get(ip));
    } catch {
      this.failures++;
      return undefined;
    }
  }
}
