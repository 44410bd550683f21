/**
 * Finding processes by name: a case-insensitive substring of the kernel's
 * name or of the command line (`sshd` finds `sshd: alice [priv]`).
 */
import type { ProcessInfo } from '../../proc';

/** Processes whose name or command line contains `query` (case-insensitive); none for an empty query. */
export function searchProcesses(processes: readonly ProcessInfo[], query: string): ProcessInfo[] {
  const needle = query.toLowerCase();
  if (needle === '') return [];
  return processes.filter((p) => p.name.toLowerCase().includes(needle) || p.cmdline.toLowerCase().includes(needle));
}
