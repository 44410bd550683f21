/**
 * What `/api/v1/host` tells about the machine: name, OS, kernel, uptime,
 * cores and memory.
 */
import { readFileSync } from 'node:fs';
import { arch, availableParallelism, hostname, release, totalmem } from 'node:os';
import { readSystemStat, readUptime } from '../proc/system-stat';

export interface HostInfo {
  hostname: string;
  os: string;
  kernel: string;
  arch: string;
  uptimeSeconds: number | null;
  bootTime: string | null;
  cores: number;
  memoryBytes: number;
}

/** PRETTY_NAME of an os-release file (`Debian GNU/Linux 12 (bookworm)`); undefined without one. */
export function prettyName(osRelease: string): string | undefined {
  for (const line of osRelease.split('\n')) {
    if (!line.startsWith('PRETTY_NAME=')) continue;
    const value = line.slice('PRETTY_NAME='.length).trim();
    return value.startsWith('"') && value.endsWith('"') && value.length >= 2 ? value.slice(1, -1) : value;
  }
  return undefined;
}

function osName(): string {
  for (const path of ['/etc/os-release', '/usr/lib/os-release']) {
    try {
      const name = prettyName(readFileSync(path, 'utf8'));
      if (name) return name;
    } catch {
      // The next candidate.
    }
  }
  return 'Linux';
}

/** The host this process runs on, read now. */
export function readHostInfo(procRoot = '/proc'): HostInfo {
  const boot = readSystemStat(procRoot)?.bootTime;
  return {
    hostname: hostname(),
    os: osName(),
    kernel: release(),
    arch: arch(),
    uptimeSeconds: readUptime(procRoot) ?? null,
    bootTime: boot === undefined ? null : new Date(boot * 1000).toISOString(),
    cores: availableParallelism(),
    memoryBytes: totalmem(),
  };
}
