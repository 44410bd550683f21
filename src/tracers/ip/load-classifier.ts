/**
 * A Classifier built from files: the range files and MaxMind databases a user
 * names on the command line or in a tracer's options.
 */
import { Classifier } from './classify';
import { CloudRanges, type LoadedRanges } from './cloud-ranges';
import { GeoIpDatabase } from './geoip';

/** Files to load. */
export interface ClassifierFiles {
  /** Cloud range files: `path` (detected by shape) or `name=path` (a plain CIDR list). */
  cloudRanges?: readonly string[];
  /** MaxMind .mmdb files, consulted in order. */
  geoip?: readonly string[];
  /** Most results kept in the LRU cache (default 10,000). */
  cacheSize?: number;
}

/**
 * Loads the files and returns a Classifier using them, with what each range
 * file added. Throws CloudRangesError or GeoIpError, naming the file, when one
 * cannot be used.
 */
export function loadClassifier(files: ClassifierFiles): { classifier: Classifier; loaded: LoadedRanges[] } {
  const cloud = new CloudRanges();
  const loaded = (files.cloudRanges ?? []).map((file) => cloud.loadFile(file));
  const geoip = (files.geoip ?? []).map((file) => GeoIpDatabase.open(file));
  const classifier = new Classifier({ cloud, geoip, cacheSize: files.cacheSize });
  return { classifier, loaded };
}
