/**
 * System health: the kernel's OOM killer and full disks (any program). Not
 * about a remote address, so never hostile.
 */
import { type RuleSpec, rules } from './types';

/** Kernel messages (after an optional `[ 123.456789] ` uptime stamp). */
export const KERNEL_RULES = rules<RuleSpec>([
  {
    name: 'oom-killed',
    prefilter: 'ut of memory',
    pattern:
      '^(?:\\[\\s*\\d+\\.\\d+\\] )?(?:Memory cgroup )?[Oo]ut of memory(?: \\(oom_kill_allocating_task\\))?: Kill(?:ed)? process (?P<victimPid>\\d+) \\((?P<victim>[^)]*)\\)',
    action: 'oom.kill',
    outcome: 'unknown',
    hostileIn: [],
    level: 'error',
  },
  {
    name: 'oom-kill-summary',
    prefilter: 'oom-kill:',
    pattern: '^(?:\\[\\s*\\d+\\.\\d+\\] )?oom-kill:.*?,task=(?P<victim>[^,]*),pid=(?P<victimPid>\\d+)',
    action: 'oom.kill',
    outcome: 'unknown',
    hostileIn: [],
    level: 'error',
  },
]);

/** Any program writing `No space left on device` (ENOSPC). */
export const DISK_RULES = rules<RuleSpec>([
  {
    name: 'disk-full',
    prefilter: 'No space left on device',
    pattern: 'No space left on device',
    action: 'disk.full',
    outcome: 'failure',
    hostileIn: [],
    level: 'error',
  },
]);

/** fail2ban's actions (`[jail]` already read by the format). */
export const FAIL2BAN_RULES = rules<RuleSpec>([
  {
    name: 'fail2ban-found',
    prefilter: 'Found ',
    pattern: '^Found (?P<host>\\S+)',
    action: 'ip.found',
    outcome: 'unknown',
    hostileIn: ['normal', 'ddos', 'extra', 'aggressive'],
  },
  {
    name: 'fail2ban-restore-ban',
    prefilter: 'Restore Ban ',
    pattern: '^Restore Ban (?P<host>\\S+)',
    action: 'ip.restore_ban',
    outcome: 'success',
    hostileIn: ['normal', 'ddos', 'extra', 'aggressive'],
  },
  {
    name: 'fail2ban-ban',
    prefilter: 'Ban ',
    pattern: '^Ban (?P<host>\\S+)',
    action: 'ip.ban',
    outcome: 'success',
    hostileIn: ['normal', 'ddos', 'extra', 'aggressive'],
  },
  {
    name: 'fail2ban-unban',
    prefilter: 'Unban ',
    pattern: '^Unban (?P<host>\\S+)',
    action: 'ip.unban',
    outcome: 'success',
  },
  {
    name: 'fail2ban-already-banned',
    prefilter: ' already banned',
    pattern: '^(?P<host>\\S+) already banned',
    // Another match while the ban holds: the address keeps attacking, but it is not a new ban.
    action: 'ip.already_banned',
    outcome: 'unknown',
    hostileIn: ['normal', 'ddos', 'extra', 'aggressive'],
  },
]);
