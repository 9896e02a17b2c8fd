/**
 * Console logging of the local host: one timestamped line per message; debug lines only when verbose (option, or env
 * `LOCAL_HOST_DEBUG=1`).
 *
 * Lines are gathered and written once per event-loop turn (or at 64 KiB): a synchronous write per invocation to a
 * pipe was one of the largest costs of a busy host. Pending lines are written on exit.
 */

import type { LogFn } from './contracts';

export interface ConsoleLogOptions {
  verbose?: boolean;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

const FLUSH_AT_BYTES = 65_536;

export function createConsoleLog(options: ConsoleLogOptions = {}): LogFn {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const verbose = options.verbose ?? process.env.LOCAL_HOST_DEBUG === '1';
  let out = '';
  let err = '';
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    if (out) {
      const text = out;
      out = '';
      stdout.write(text);
    }
    if (err) {
      const text = err;
      err = '';
      stderr.write(text);
    }
  };
  process.on('exit', flush);
  return (level, message) => {
    if (level === 'debug' && !verbose) {
      return;
    }
    const line = `[${new Date().toISOString()}] ${message}\n`;
    if (level === 'warn' || level === 'error') {
      err += line;
    } else {
      out += line;
    }
    if (out.length + err.length > FLUSH_AT_BYTES) {
      flush();
    } else if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
}
