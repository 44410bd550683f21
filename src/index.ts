/**
 * logsleuth's public API. Re-exports only: every definition lives in its module.
 */
export * from './core/event';
export * from './core/finding';
export * from './core/kinds';
export * from './core/options';
export * from './core/bus';
export * from './core/tracer';
export * from './core/investigation';
export * from './core/case';
export * from './core/result';
export * from './core/ecs';
export * from './core/schemas';
export * from './core/json-file';
export * from './core/lru';
export * from './report/terminal-escape';
export * from './tracers/ip/classify';
export { parseIp, parseCidr, formatIp, formatCidr, type ParsedIp, type ParsedCidr } from './tracers/ip/address';
export { SPECIAL_RANGES, type SpecialRange, type RegistryType, type RegistrySource } from './tracers/ip/iana-registry';
export { type EmbeddedIpv4, type EmbeddingKind } from './tracers/ip/embedded-ipv4';
export { CLOUD_ASNS } from './tracers/ip/cloud-asns';
export { CloudRanges, CloudRangesError, type LoadedRanges } from './tracers/ip/cloud-ranges';
export { type CloudFormat } from './tracers/ip/cloud-formats';
export { GeoIpDatabase, GeoIpError } from './tracers/ip/geoip';
export { loadClassifier, type ClassifierFiles } from './tracers/ip/load-classifier';
export { PrefixTrie, type PrefixMatch } from './tracers/ip/prefix-trie';
export { readEvents, EventReader, type ReadEventsOptions, type SourceStats } from './logs/read-events';
export { FORMATS, FORMAT_NAMES, formatByName, ParseContext, type LogFormat } from './logs/formats';
export { Recognisers, type RecogniserOptions, type HostileMode } from './logs/recognisers';
export { identifyService } from './logs/services';
export { parseTimestamp, fromEpoch, wallClock, SyslogYear, type TimeOptions } from './logs/time';
