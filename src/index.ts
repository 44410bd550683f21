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
export {
  IpTracer,
  DEFAULT_MAX_IPS,
  type IpTracerOptions,
  type IpProfile,
  type IpTracerStats,
  type IpPatterns,
  type ClassifyFn,
} from './tracers/ip';
export {
  scoreEvidence,
  resolveScoreParams,
  decayFactor,
  DEFAULT_SCORE_PARAMS,
  MAX_SCORE,
  type Score,
  type ScoreEvidence,
  type ScoreParams,
  type ScoreParamsInit,
  type Weight,
} from './tracers/ip/score';
export { DEFAULT_BEHAVIOUR_LIMITS, type BehaviourLimits, type EvidenceRef } from './tracers/ip/behaviour';
export { DEFAULT_SWEEP_PARAMS, subnetOf, type SweepParams } from './tracers/ip/sweeps';
export { CidrSet, DEFAULT_WHITELIST, parseCidrList, readCidrList, type CidrList } from './tracers/ip/whitelist';
export {
  exportReputation,
  writeReputation,
  readReputation,
  mergeReputation,
  entryEvidence,
  type ReputationDb,
  type ReputationEntry,
  type ReputationCounts,
  type ExportOptions,
  type MergeOptions,
} from './tracers/ip/reputation';
export {
  renderBlocklist,
  blockedAddresses,
  checkSetName,
  BLOCKLIST_FORMATS,
  type BlocklistFormat,
  type BlocklistOptions,
  type BlockedAddresses,
} from './tracers/ip/blocklist';
export { readEvents, EventReader, type ReadEventsOptions, type SourceStats } from './logs/read-events';
export { FORMATS, FORMAT_NAMES, formatByName, ParseContext, type LogFormat } from './logs/formats';
export { Recognisers, type RecogniserOptions, type HostileMode } from './logs/recognisers';
export { identifyService } from './logs/services';
export { parseTimestamp, fromEpoch, wallClock, SyslogYear, type TimeOptions } from './logs/time';
export {
  readNetSockets,
  parseNetTable,
  parseNetLine,
  stateName,
  NET_PROTOCOLS,
  TCP_STATES,
  type NetSocket,
  type NetProtocol,
} from './proc/net';
export { decodeHexAddress, normaliseAddress } from './proc/address';
export { type ReadResult, listPids } from './proc/read';
export { readProcess, readProcesses, processContext, type ProcessInfo, type ProcessContext } from './proc/process';
export { parseProcStat, type ProcStat } from './proc/pid-stat';
export { parseProcStatus, type ProcStatus } from './proc/pid-status';
export { parseCmdline } from './proc/pid-cmdline';
export { parseProcIo, type ProcIo } from './proc/pid-io';
export { readSocketOwners, type SocketOwner, type SocketOwners } from './proc/socket-owners';
export { readSystemStat, readUptime, type SystemStat, type CpuTimes } from './proc/system-stat';
export { readUsers } from './proc/passwd';
export {
  readHostState,
  diskUsageFor,
  readDiskUsage,
  readMounts,
  type HostState,
  type DiskUsage,
  type MemoryState,
  type LoadState,
  type InterfaceCounters,
  type MountEntry,
} from './proc/host';
export { NetworkTracer, type NetworkTracerOptions } from './tracers/network';
export { readConnections, type ConnectionSnapshot } from './tracers/network/connections';
export { type ConnectionFilter, type ServiceUse } from './tracers/network/query';
export { ReverseDns, type ReverseDnsOptions, type ReverseDnsStats } from './tracers/network/reverse-dns';
export { SERVICE_PORTS, serviceForPort, type ServicePort } from './tracers/network/services';
export { ProcessTracer, type ProcessTracerOptions } from './tracers/process';
export { type ProcessSummary } from './tracers/process/summary';
export { type ProcessTree } from './tracers/process/tree';
export { EventTracer, type EventEvictions } from './tracers/event';
export { DEFAULT_EVENT_LIMITS, type EventLimits } from './tracers/event/limits';
export {
  severity as eventSeverity,
  severityBand,
  LEVEL_SCORES,
  ACTION_SCORES,
  CONTENT_SCORES,
  type SeverityBand,
} from './tracers/event/severity';
export { SERVICE_RELATIONSHIPS, APP_TIER, PORT_SERVICES, type ServiceRelations } from './tracers/event/relationships';
export { type EventStats, type TimeBucket } from './tracers/event/stats';
export { type Chain as KeyedEventChain } from './tracers/event/chains/chain';
export {
  ErrorTracer,
  errorSeverityBand,
  recognise as recogniseError,
  TemplateMiner,
  DEFAULT_MINER_OPTIONS,
  survivorOf,
  templateSignature,
  templateOf,
  maskTokens,
  WILDCARD,
  adviceFor,
  parseStackTrace,
  stackSignature,
  stackTemplate,
  ERROR_PATTERNS,
  DEFAULT_RECURRENCE_LIMITS,
  type ErrorTracerOptions,
  type ErrorProblem,
  type ErrorTrend,
  type ErrorTracerStats,
  type ErrorAdvice,
  type ErrorCategory,
  type ErrorDetails,
  type ErrorPattern,
  type RecognisedError,
  type RecurrenceLimits,
  type HostCheck,
  type StackTrace,
  type StackFrame,
  type StackException,
  type TemplateCluster,
  type TemplateMatch,
  type TemplateMinerOptions,
} from './tracers/error';
export {
  investigate,
  createInvestigation,
  watch,
  type InvestigateOptions,
  type InvestigateOutcome,
  type StandardTracers,
  type WatchOptions,
} from './investigate';
export {
  readLines,
  LineReader,
  followLines,
  journalLines,
  expandInputs,
  DEFAULT_MAX_LINE_BYTES,
  type InputStats,
  type ReadOptions,
  type FollowOptions,
  type JournalOptions,
} from './logs/sources';
export { type SourceLine, type SourceProblem } from './logs/line';
export { renderText, type TextReportOptions } from './report/text';
export { findingLine } from './report/finding-line';
export { startServer, type Server, type ServerOptions } from './serve/server';
export { serve, type ServeOptions, type Serving } from './serve/serve';
export { LiveState, type LiveStateOptions } from './serve/live-state';
export { SystemSampler, readReading, type SamplerOptions } from './serve/sampler';
export { type SystemView, type HostsView } from './serve/server-types';
export {
  type ServeSource,
  type CaseSummary,
  type CaseDetail,
  type ErrorView,
  type EventView,
  type EventQuery,
  type Page,
  type PageQuery,
  type StreamItem,
  type SourceCounters,
} from './serve/source';
export {
  systemSample,
  cpuPercent,
  healthState,
  THRESHOLDS,
  type SystemSample,
  type HistoryPoint,
  type ProcessSample,
  type HealthState,
} from './serve/system-sample';
export { parseDiskstats, readDiskstats, type DiskIoCounters } from './proc/diskstats';
export {
  openStore,
  Store,
  DEFAULT_STORE_PATH,
  STORE_TABLES,
  type StoreTable,
  type Row,
  type OpenStoreOptions,
  type RunInfo,
  type WriteResultOptions,
} from './store/store';
export { StoreError, type StoreErrorCode } from './store/errors';
export { RunWriter, type RunCounts } from './store/run-writer';
export { parseRetention, parseDuration, DEFAULT_RETENTION, type Retention, type Layer } from './store/retention';
export { MIGRATIONS, SCHEMA_VERSION, type Migration } from './store/migrations';
export { SyscallTracer, DEFAULT_SYSCALL_LIMITS, type SyscallLimits } from './tracers/syscall';
export { syscallToEcs } from './tracers/syscall/ecs';
export { trace, TraceError, type TraceOptions, type TraceResult } from './trace';
export { Agent, type AgentOptions, type PublishReport } from './fleet/agent';
export { Collector, type CollectorOptions, type CollectorStats, type RunOptions } from './fleet/collector';
export { openCollectorStore, CollectorStore, COMMIT_EVENTS, type CollectorStoreStats } from './fleet/collector-store';
export {
  publishSamples,
  DEFAULT_SAMPLE_MS,
  type SamplePublishOptions,
  type SampleReport,
} from './fleet/sample-publisher';
export {
  fleetSample,
  encodeSample,
  decodeSample,
  sampleId,
  MAX_SAMPLE_BYTES,
  type FleetSample,
  type SampleCaps,
} from './fleet/sample';
export {
  HostHealthTable,
  hostVerdict,
  STALE_INTERVALS,
  DOWN_INTERVALS,
  DEFAULT_MAX_HOSTS,
  type HostHealth,
  type HostVerdict,
} from './fleet/host-health';
export { serveFleet, type FleetServeOptions, type FleetServing } from './fleet/fleet-serve';
export { encodeBatch, decodeBatch, batchId, MAX_BATCH_BYTES, type EventBatch } from './fleet/batch';
export {
  fleetSubject,
  eventsSubject,
  partitionEvents,
  samplesSubject,
  partitionSamples,
  allHosts,
  hostToken,
  ALL_EVENTS,
  ALL_SAMPLES,
  fleetStreamConfig,
  ensureFleetStream,
  FLEET_STREAM,
  SUBJECT_ROOT,
  DEDUP_WINDOW_MS,
  type FleetKind,
} from './fleet/subjects';
export {
  addressPartition,
  hostPartition,
  partitionOf,
  partitionsOf,
  PARTITIONS,
  parsePartitionShare,
  type PartitionShare,
  DEFAULT_LEASE_TTL_MS,
  MIN_LEASE_TTL_MS,
} from './fleet/partition';
export { PartitionLeases, leaseBucket, leaseTarget, partitionKey, type LeaseOptions } from './fleet/leases';
export {
  decodeFleetFinding,
  encodeFleetFinding,
  fleetFindingId,
  MAX_FINDING_BYTES,
  type FleetFinding,
} from './fleet/fleet-finding';
export { LocalFindings, MAX_PENDING_FINDINGS, type LocalFindingsReport } from './fleet/local-findings';
export {
  HostFindingsTable,
  DEFAULT_MAX_FINDINGS,
  consumeFindings,
  drainFindings,
  type HostFindingCount,
} from './fleet/host-findings';
