/**
 * System constants the /proc units depend on, asked of `getconf` once per
 * process: the clock tick (USER_HZ, the unit of CPU and start times) and the
 * page size (the unit of stat's rss).
 */
import { execFileSync } from 'node:child_process';

const cache = new Map<string, number>();

function getconf(name: string, fallback: number): number {
  let value = cache.get(name);
  if (value === undefined) {
    value = fallback;
    try {
      const answer = Number(execFileSync('getconf', [name], { encoding: 'utf8', timeout: 2000 }).trim());
      if (Number.isInteger(answer) && answer > 0) value = answer;
    } catch {
      // No getconf: the Linux default stands.
    }
    cache.set(name, value);
  }
  return value;
}

/** `getconf CLK_TCK`; 100 (the value on every Linux architecture) when getconf is unavailable. */
export function clockTicks(): number {
  return getconf('CLK_TCK', 100);
}

/** `getconf PAGESIZE`; 4096 when getconf is unavailable. */
export function pageSize(): number {
  return getconf('PAGESIZE', 4096);
}
