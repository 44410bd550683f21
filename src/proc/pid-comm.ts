/**
 * /proc/[pid]/comm: the kernel's name of a process (at most 15 bytes), the
 * same as the name in stat, for when only the name is wanted.
 */
import { readText } from './read';

/** The process's name without its newline; null when it vanished or is unreadable. */
export function readComm(procRoot: string, pid: number): string | null {
  const text = readText(`${procRoot}/${pid}/comm`);
  if (text === undefined) return null;
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}
