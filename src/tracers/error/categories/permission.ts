/**
 * Permission and file system: EACCES, EPERM, ENOENT on config and data paths,
 * SELinux and AppArmor denials.
 */
import { APPARMOR_PATTERN, scanApparmor } from './apparmor-scan';
import { defineRows } from './rows';

/** The permission and file-system rows. */
export const permissionPatterns = defineRows('permission', [
  {
    id: 'selinux',
    subkind: 'selinux-denied',
    prefilter: ['avc:  denied'],
    pattern:
      'avc:  denied  \\{ (?<message>[\\w ]{1,64}) \\} for  pid=(?<pid>\\d+) comm="(?<process>[^"]{1,64})"(?: (?:path|name)="(?<path>[^"]{1,256})")?',
    severity: 55,
    service: 'selinux',
  },
  {
    id: 'apparmor',
    subkind: 'apparmor-denied',
    prefilter: ['apparmor="DENIED"'],
    pattern: APPARMOR_PATTERN,
    scan: scanApparmor,
    severity: 55,
    service: 'apparmor',
  },
  {
    id: 'forbidden-by-rule',
    subkind: 'forbidden-by-rule',
    prefilter: ['forbidden by rule', 'denied by server configuration', 'Options FollowSymLinks'],
    pattern:
      '(?:Directory index forbidden by rule|client denied by server configuration|Symbolic link not allowed)[^\\n]*?: (?<path>/[^\\s,]*)',
    severity: 25,
    service: 'apache',
  },
  {
    id: 'eacces',
    subkind: 'access-denied',
    prefilter: ['ermission denied', 'EACCES', 'PermissionError', 'AccessDeniedException'],
    // "Permission denied (publickey)" is an SSH login refused, not a file: a parenthesis right after is excluded.
    pattern: '(?i:permission denied)(?:$|[^ (]| [^(])|\\bEACCES\\b|\\bPermissionError\\b|AccessDeniedException',
    severity: 55,
    implies: { code: 'EACCES', codeKind: 'errno' },
  },
  {
    id: 'eperm',
    subkind: 'not-permitted',
    prefilter: ['peration not permitted', 'EPERM'],
    pattern: '(?i:operation not permitted)|\\bEPERM\\b',
    severity: 50,
    implies: { code: 'EPERM', codeKind: 'errno' },
  },
  {
    id: 'enoent',
    subkind: 'missing-path',
    prefilter: [
      'o such file or directory',
      'ENOENT',
      'FileNotFoundError',
      'FileNotFoundException',
      'NoSuchFileException',
    ],
    pattern:
      '(?i:no such file or directory)|\\bENOENT\\b|\\bFileNotFoundError\\b|FileNotFoundException|NoSuchFileException',
    severity: 45,
    implies: { code: 'ENOENT', codeKind: 'errno' },
  },
]);
