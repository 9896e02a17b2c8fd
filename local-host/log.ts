/**
 * Console logging of the local host: one timestamped line per message; debug lines only when verbose (option, or env
 * `LOCAL_HOST_DEBUG=1`).
 */

import type { LogFn } from './contracts';

export interface ConsoleLogOptions {
  verbose?: boolean;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

export function createConsoleLog(options: ConsoleLogOptions = {}): LogFn {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const verbose = options.verbose ?? process.env.LOCAL_HOST_DEBUG === '1';
  return (level, message) => {
    if (level === 'debug' && !verbose) {
      return;
    }
    const line = `[${new Date().toISOString()}] ${message}\n`;
    (level === 'warn' || level === 'error' ? stderr : stdout).write(line);
  };
}
