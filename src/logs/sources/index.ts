/**
 * Log sources: files (plain and gzip), directories, globs, stdin, follow mode
 * and journald, all as async iterables of SourceLine.
 */
export { DEFAULT_MAX_LINE_BYTES, LineSplitter, type SplitterOptions } from './line-splitter';
export { decompress, sniffEncoding, type DecodeInfo, type Encoding } from './decompress';
export { expandGlob, hasGlob, segmentMatcher } from './glob';
export { orderRotated, rotationName, type RotationName } from './rotation';
export { expandInputs, type ExpandOptions, type ExpandedInput } from './expand';
export { LineReader, readInputBatches, readLines, type InputStats, type ReadOptions } from './read-lines';
export {
  followFiles,
  followLines,
  type FileIdentity,
  type FollowOptions,
  type FollowPosition,
  type FollowedChunk,
} from './follow';
export { JOURNALD_SOURCE, journalLines, journalctlArgs, type JournalOptions } from './journald';
export { SourceFailure, problemFromError } from './source-failure';
export { modificationTime } from './mtime';
