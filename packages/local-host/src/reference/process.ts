/** Child processes of the reference backend: one error type, and a stop that always ends the process. */

import type { ChildProcess } from 'node:child_process';
import readline from 'node:readline';
import type { Readable } from 'node:stream';
import { ReferenceBackendError } from '../errors';

export { ReferenceBackendError };

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited. */
export function stopProcess(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.stdin?.end();
    child.kill('SIGTERM');
  });
}

/** Calls `onLine` with each line a child process writes to `stream` (without its line ending). */
export function onLines(stream: Readable, onLine: (line: string) => void): void {
  readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', onLine);
}
