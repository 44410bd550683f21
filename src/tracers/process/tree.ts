/**
 * The process tree of one snapshot: parent, children, ancestors. Built once
 * from the ppid of each process; a parent that exited leaves its children
 * as roots (reparented processes point at a subreaper or at 1).
 */
import type { ProcessInfo } from '../../proc';

export interface ProcessTree {
  byPid: ReadonlyMap<number, ProcessInfo>;
  /** pid -> children pids, ascending. */
  children: ReadonlyMap<number, number[]>;
  /** Processes whose parent is not in the snapshot (1, 2, orphans of a race). */
  roots: number[];
}

/** Indexes a snapshot by pid and by parent. */
export function buildTree(processes: readonly ProcessInfo[]): ProcessTree {
  const byPid = new Map(processes.map((p) => [p.pid, p]));
  const children = new Map<number, number[]>();
  const roots: number[] = [];
  for (const p of processes) {
    if (!byPid.has(p.ppid) || p.ppid === p.pid) {
      roots.push(p.pid);
      continue;
    }
    const list = children.get(p.ppid);
    if (list) list.push(p.pid);
    else children.set(p.ppid, [p.pid]);
  }
  for (const list of children.values()) list.sort((a, b) => a - b);
  return { byPid, children, roots: roots.sort((a, b) => a - b) };
}

/** The parent, grandparent, ... of `pid`, parent first; stops at a pid not in the tree or a cycle. */
export function ancestorsOf(tree: ProcessTree, pid: number): ProcessInfo[] {
  const out: ProcessInfo[] = [];
  const seen = new Set([pid]);
  for (let p = tree.byPid.get(pid); p && !seen.has(p.ppid);) {
    seen.add(p.ppid);
    p = tree.byPid.get(p.ppid);
    if (p) out.push(p);
  }
  return out;
}

/** The direct children of `pid`. */
export function childrenOf(tree: ProcessTree, pid: number): ProcessInfo[] {
  return (tree.children.get(pid) ?? []).map((child) => tree.byPid.get(child)!);
}

/** Every process below `pid`, depth first. */
export function descendantsOf(tree: ProcessTree, pid: number): ProcessInfo[] {
  const out: ProcessInfo[] = [];
  const stack = [...(tree.children.get(pid) ?? [])].reverse();
  const seen = new Set<number>([pid]);
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    out.push(tree.byPid.get(next)!);
    stack.push(...[...(tree.children.get(next) ?? [])].reverse());
  }
  return out;
}
