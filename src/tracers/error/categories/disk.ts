/**
 * Disk: ENOSPC / "No space left on device", quota, read-only file systems,
 * I/O errors and file-system corruption (kernel and user-space wordings).
 */
import { defineRows } from './rows';

/** The disk rows. */
export const diskPatterns = defineRows('disk', [
  {
    id: 'enospc',
    subkind: 'no-space',
    prefilter: ['o space left on device', 'ENOSPC', 'database or disk is full', 'SQLITE_FULL'],
    pattern: '(?i:no space left on device)|\\bENOSPC\\b|database or disk is full|SQLITE_FULL',
    severity: 85,
    implies: { code: 'ENOSPC', codeKind: 'errno' },
  },
  {
    id: 'edquot',
    subkind: 'quota',
    prefilter: ['isk quota exceeded', 'EDQUOT'],
    pattern: '(?i:disk quota exceeded)|\\bEDQUOT\\b',
    severity: 70,
    implies: { code: 'EDQUOT', codeKind: 'errno' },
  },
  {
    id: 'remount-ro',
    subkind: 'read-only',
    prefilter: ['Remounting filesystem read-only'],
    pattern: '(?:EXT[234]-fs|XFS|BTRFS)[^(]{0,16}\\((?<target>[\\w./-]{1,64})\\)[^\\n]*Remounting filesystem read-only',
    severity: 90,
    service: 'kernel',
    implies: { code: 'EROFS', codeKind: 'errno' },
  },
  {
    id: 'erofs',
    subkind: 'read-only',
    prefilter: ['ead-only file system', 'EROFS'],
    pattern: '(?i:read-only file ?system)|\\bEROFS\\b',
    severity: 80,
    implies: { code: 'EROFS', codeKind: 'errno' },
  },
  {
    id: 'kernel-io-error',
    subkind: 'io-error',
    prefilter: ['I/O error', 'medium error'],
    pattern:
      '(?:Buffer I/O error on dev(?:ice)? (?<target>[\\w-]{1,32})|(?:blk_update_request|print_req_error): (?:critical medium |I/O )?error, dev (?<target2>[\\w-]{1,32})|(?:critical medium|I/O) error, dev (?<target3>[\\w-]{1,32}), sector)',
    severity: 85,
    service: 'kernel',
  },
  {
    id: 'fs-error',
    subkind: 'filesystem-error',
    prefilter: ['-fs error', 'XFS (', 'Structure needs cleaning', 'EUCLEAN'],
    pattern:
      '(?:EXT[234]-fs error \\(device (?<target>[\\w-]{1,32})\\)|XFS \\((?<target2>[\\w-]{1,32})\\): (?:Corruption|Metadata corruption|metadata I/O error)|Structure needs cleaning|\\bEUCLEAN\\b)',
    severity: 85,
  },
  {
    id: 'eio',
    subkind: 'io-error',
    prefilter: ['Input/output error', 'EIO'],
    pattern: 'Input/output error|\\bEIO\\b',
    severity: 80,
    implies: { code: 'EIO', codeKind: 'errno' },
  },
]);
