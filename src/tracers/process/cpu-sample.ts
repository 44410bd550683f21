/**
 * CPU percentage over an interval, as `top` shows it: the CPU ticks a process
 * used between two reads, over the ticks of wall time in between. 100 is one
 * CPU fully busy; a multi-threaded process can exceed it.
 */
import type { ProcessInfo } from '../../proc';

/**
 * Percent of one CPU each process used between `before` and `after`, taken
 * `elapsedSeconds` apart. Processes present in only one of them (born or
 * exited in between), or whose pid was reused (start time changed), are left out.
 */
export function cpuPercentBetween(
  before: readonly ProcessInfo[],
  after: readonly ProcessInfo[],
  elapsedSeconds: number,
): Map<number, number> {
  const earlier = new Map(before.map((p) => [p.pid, p]));
  const percent = new Map<number, number>();
  if (!(elapsedSeconds > 0)) return percent;
  for (const p of after) {
    const q = earlier.get(p.pid);
    if (!q || q.startTime !== p.startTime) continue;
    const used = p.userTime + p.systemTime - (q.userTime + q.systemTime);
    percent.set(p.pid, Math.max(0, (used / elapsedSeconds) * 100));
  }
  return percent;
}
