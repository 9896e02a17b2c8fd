import { spawn } from 'node:child_process';
import path from 'node:path';
import { parseCliArgs, usage } from '../../src/start';
import { HTTP_BASIC_APP } from '../support/fixtureApps';

const START = path.resolve(__dirname, '..', '..', 'dist', 'start.js');

describe('parseCliArgs', () => {
  it('defaults to port 7071, the current folder and Core Tools when present', () => {
    expect(parseCliArgs([], {}, '/app')).toEqual({
      port: 7071,
      host: '127.0.0.1',
      appDir: '/app',
      useFunc: true,
      verbose: false,
      backend: 'memory',
    });
  });

  it('reads every flag, in both --flag value and --flag=value forms', () => {
    expect(
      parseCliArgs(
        [
          '--port=8080',
          '--host',
          '0.0.0.0',
          '--app-dir',
          'app',
          '--backend=azurite',
          '--location',
          'data',
          '--verbose',
        ],
        {},
        '/work',
      ),
    ).toEqual({
      port: 8080,
      host: '0.0.0.0',
      appDir: '/work/app',
      useFunc: true,
      verbose: true,
      backend: 'azurite',
      location: '/work/data',
    });
  });

  it('takes the backend from --backend, else LOCAL_HOST_BACKEND, and refuses others', () => {
    expect(parseCliArgs([], { LOCAL_HOST_BACKEND: 'azurite' }, '/app')?.backend).toBe('azurite');
    expect(parseCliArgs(['--backend', 'memory'], { LOCAL_HOST_BACKEND: 'azurite' }, '/app')?.backend).toBe('memory');
    expect(() => parseCliArgs(['--backend', 'sql'], {}, '/app')).toThrow(
      '--backend must be one of memory, azurite, received "sql"',
    );
    expect(() => parseCliArgs([], { LOCAL_HOST_BACKEND: 'sql' }, '/app')).toThrow(
      'LOCAL_HOST_BACKEND must be one of memory, azurite, received "sql"',
    );
  });

  it('refuses --location without the azurite backend', () => {
    expect(() => parseCliArgs(['--location', 'data'], {}, '/app')).toThrow(
      '--location keeps Azurite state: it needs --backend azurite',
    );
  });

  it('answers --help with undefined (the caller prints the usage)', () => {
    expect(parseCliArgs(['--help'], {}, '/app')).toBeUndefined();
    expect(parseCliArgs(['--port', '1', '--help'], {}, '/app')).toBeUndefined();
  });

  it('takes the port from --port, else PORT', () => {
    expect(parseCliArgs(['--port', '8080'], { PORT: '9000' }, '/app')?.port).toBe(8080);
    expect(parseCliArgs(['--port=0'], {}, '/app')?.port).toBe(0);
    expect(parseCliArgs([], { PORT: '9000' }, '/app')?.port).toBe(9000);
  });

  it('skips Core Tools with --no-func or LOCAL_HOST_FORCE=1', () => {
    expect(parseCliArgs(['--no-func'], {}, '/app')?.useFunc).toBe(false);
    expect(parseCliArgs([], { LOCAL_HOST_FORCE: '1' }, '/app')?.useFunc).toBe(false);
  });

  it('rejects bad ports and unknown flags with a message naming them', () => {
    expect(() => parseCliArgs(['--port', 'x'], {}, '/app')).toThrow(
      '--port must be a port number between 0 and 65535, received "x"',
    );
    expect(() => parseCliArgs([], { PORT: '70000' }, '/app')).toThrow(
      'PORT must be a port number between 0 and 65535, received "70000"',
    );
    expect(() => parseCliArgs(['--bogus'], {}, '/app')).toThrow(
      'Unknown option \'--bogus\'\nRun "durable-local-host --help" for the flags.',
    );
    expect(() => parseCliArgs(['--port'], {}, '/app')).toThrow("Option '--port <value>' argument missing");
  });
});

describe('npm start -- --help', () => {
  it('prints every flag and variable and exits 0 without starting anything', async () => {
    const child = spawn(process.execPath, [START, '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(code).toBe(0);
    expect(stdout).toBe(`${usage}\n`);
    for (const name of [
      '--port N',
      '--host ADDR',
      '--app-dir DIR',
      '--backend memory|azurite',
      '--location DIR',
      '--no-func',
      '--verbose',
      '--help',
      'PORT=N',
      'LOCAL_HOST_BACKEND=NAME',
      'LOCAL_HOST_FORCE=1',
      'LOCAL_HOST_DEBUG=1',
    ]) {
      expect(stdout).toContain(name);
    }
  });

  it('exits 2 with the reason and a pointer to --help on an unknown flag', async () => {
    const child = spawn(process.execPath, [START, '--prot', '8080'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(code).toBe(2);
    expect(stderr).toContain("Unknown option '--prot'");
    expect(stderr).toContain('Run "durable-local-host --help" for the flags.');
  });
});

describe('the durable-local-host bin (dist/start.js)', () => {
  it('prints the function list and the URL, serves requests and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, [START, '--port', '0', '--no-func', '--app-dir', HTTP_BASIC_APP], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => {
        output += c.toString();
        const match = /listening on (http:\/\/localhost:\d+)/.exec(output);
        if (match?.[1]) resolve(match[1]);
      });
      child.once('exit', (code) => reject(new Error(`exited early with ${String(code)}:\n${output}`)));
    });
    expect(output).toContain('Functions:\n\n\tBytes: [GET] http://localhost:');
    expect(output).toMatch(/\tEcho: \[GET,POST,PUT\] http:\/\/localhost:\d+\/fx\/echo\/\{id:int\?\}/);
    expect(output).toContain('HTTP authLevel is recorded but not enforced');
    expect(output).toMatch(
      /durable-local-host \(Core Tools skipped\) listening on http:\/\/localhost:\d+ \(bound to 127\.0\.0\.1, pid \d+\)/,
    );
    expect(output).toContain(`Durable management API: ${url}/runtime/webhooks/durabletask/instances`);
    expect(output).toContain('State: in memory only; every instance and its history is lost when the host stops.');
    expect(output).toContain('Press Ctrl-C to stop.');

    const port = new URL(url).port;
    expect((await fetch(`http://127.0.0.1:${port}/fx/echo?code=secret`)).status).toBe(200);
    // The log line travels on another channel than the response: wait for it (bounded by the test timeout).
    const requestLine = /\] GET \/fx\/echo 200 \d+ms\n/;
    while (!requestLine.test(output)) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(output).not.toContain('secret');
    // One line per request: the invocation's own "Executed" line is a debug line.
    expect(output).not.toContain("Executed 'Functions.Echo'");

    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('exits 1 with the reason when the app cannot load', async () => {
    const child = spawn(
      process.execPath,
      [START, '--port', '0', '--no-func', '--app-dir', path.join(HTTP_BASIC_APP, 'nope')],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(code).toBe(1);
    expect(stderr).toContain(
      `The local host failed to start: The app folder ${path.join(HTTP_BASIC_APP, 'nope')} does not exist`,
    );
  });
});
