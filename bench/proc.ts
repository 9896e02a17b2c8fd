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

/** PIDs of this process's direct children. */
export function childPids(): number[] {
  try {
    const pids: number[] = [];
    for (const task of readdirSync(`/proc/${process.pid}/task`)) {
      const text = readFileSync(`/proc/${process.pid}/task/${task}/children`, 'utf8').trim();
      if (text !== '') pids.push(...text.split(/\s+/).map(Number));
    }
    return pids;
  } catch {
    return [];
  }
}
