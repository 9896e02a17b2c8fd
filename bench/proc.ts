/**
 * CPU time of server processes from `/proc` (Linux), so each load point can report the server's CPU per request:
 * a figure that, unlike requests/s, barely moves when other work shares the machine. Elsewhere the readings are
 * `undefined` and the report leaves them out.
 */
import { readFileSync, readdirSync } from 'node:fs';

/** Kernel clock ticks per second; 100 on every mainstream Linux build. */
const TICKS_PER_SECOND = 100;

/** User + system CPU time of `pid` in milliseconds. */
export function cpuTimeMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15 of the whole line.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1000) / TICKS_PER_SECOND : undefined;
  } catch {
    return undefined;
  }
}

/**
 * CPU time of `pid` and every process below it, in milliseconds: on the azurite backend the work of a host is shared
 * with its .NET reference host and Azurite, both its children. `undefined` when `pid` itself cannot be read.
 */
export function treeCpuTimeMs(pid: number): number | undefined {
  const own = cpuTimeMs(pid);
  if (own === undefined) return undefined;
  return childPids(pid).reduce((sum, child) => sum + (treeCpuTimeMs(child) ?? 0), own);
}

/**
 * Resident memory of `pid`'s children and everything below them (`VmRSS`), in bytes: on azurite, the .NET reference
 * host's and Azurite's. 0 when there are none.
 */
export function descendantsRssBytes(pid: number): number {
  return childPids(pid).reduce((sum, child) => sum + rssBytes(child) + descendantsRssBytes(child), 0);
}

function rssBytes(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** PIDs of the direct children of `pid` (default: this process). */
export function childPids(pid: number = process.pid): number[] {
  try {
    const pids: number[] = [];
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const text = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      if (text !== '') pids.push(...text.split(/\s+/).map(Number));
    }
    return pids;
  } catch {
    return [];
  }
}
