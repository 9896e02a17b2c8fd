import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLocalHost, LocalHost, LocalHostError } from '../../src/api';
import { AppLoadError, HostStartError } from '../../src/errors';
import { HTTP_BASIC_APP } from '../support/fixtureApps';

/** A throwaway app folder with these files; removed after `use`. */
async function withApp(files: Record<string, string>, use: (dir: string) => Promise<void>): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'error-app-'));
  try {
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    await use(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('createLocalHost', () => {
  it('starts the app in its own process, serves it over HTTP and disposes idempotently', async () => {
    const host = await createLocalHost({ appDir: HTTP_BASIC_APP });
    try {
      expect(host.url).toBe(`http://127.0.0.1:${host.port}`);
      expect(host.port).toBeGreaterThan(0);
      const res = await host.dispatch('/fx/echo/1');
      expect(res.status).toBe(200);
      expect(host.output().join('\n')).toContain('Echo: [GET,POST,PUT] http://localhost:');
    } finally {
      await host.dispose();
      await host.dispose();
    }
    expect(host.exitCode).toBe(0);
    await expect(host.whenIdle()).rejects.toMatchObject({ code: 'DISPOSED' });
  });

  it('rejects with a clear error naming a missing app folder, and leaves nothing running', async () => {
    const missing = path.join(os.tmpdir(), 'no-such-app-folder');
    const error = (await createLocalHost({ appDir: missing }).catch((err: unknown) => err)) as LocalHostError;
    expect(error).toBeInstanceOf(LocalHostError);
    expect(error.message).toContain(`The app folder ${missing} does not exist`);
  });

  it('includes the host output in the error of a failed start, and dispose still works', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'broken-app-'));
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ main: 'index.js' }));
    fs.writeFileSync(
      path.join(dir, 'index.js'),
      "console.log('loading the broken app'); throw new Error('broken at load time');",
    );
    try {
      const host = new LocalHost({ appDir: dir });
      const error = (await host.ready.catch((err: unknown) => err)) as LocalHostError;
      expect(error).toBeInstanceOf(AppLoadError);
      expect(error.code).toBe('APP_ENTRY_FAILED');
      expect(error.message).toContain('Unable to load entry point "index.js": broken at load time');
      expect(error.message).toContain('Last output of the host:\nloading the broken app');
      await host.dispose();
      await host.dispose();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses advanceTime on a real clock', async () => {
    const host = await createLocalHost({ appDir: HTTP_BASIC_APP });
    try {
      await expect(host.advanceTime(1000)).rejects.toMatchObject({
        code: 'NOT_MANUAL_CLOCK',
        message: 'advanceTime needs a host created with { clock: "manual" }',
      });
    } finally {
      await host.dispose();
    }
  });

  it('passes env to the host process before it starts', async () => {
    const host = await createLocalHost({ appDir: HTTP_BASIC_APP, env: { FIXTURE_SETTING: 'from-options' } });
    try {
      const echo = (await (await host.dispatch('/fx/echo')).json()) as { env: { setting: string } };
      expect(echo.env.setting).toBe('from-options');
    } finally {
      await host.dispose();
    }
  });

  it('times out waitForStatus with the last answer in the error', async () => {
    const host = await createLocalHost({ appDir: HTTP_BASIC_APP });
    try {
      await expect(host.waitForStatus('none', () => true, { timeoutMs: 50 })).rejects.toMatchObject({
        code: 'STATUS_TIMEOUT',
      });
      const error = (await host.waitForStatus('none', () => true, { timeoutMs: 50 }).catch((e: unknown) => e)) as Error;
      expect(error.message).toMatch(
        /^Instance "none" did not reach the expected status within 50 ms; last status: HTTP \d{3}/,
      );
    } finally {
      await host.dispose();
    }
  });
});

describe('errors of the host process', () => {
  it('keep their class, code and details across the process channel', async () => {
    const missing = path.join(os.tmpdir(), 'no-such-app-folder');
    const error = (await createLocalHost({ appDir: missing }).catch((err: unknown) => err)) as HostStartError;
    expect(error).toBeInstanceOf(HostStartError);
    expect(error).toBeInstanceOf(LocalHostError);
    expect(error).toMatchObject({ name: 'HostStartError', code: 'APP_DIR_MISSING', details: { appDir: missing } });
    expect(error.message).toBe(`The local host failed to start: The app folder ${missing} does not exist`);
    expect(error.stack).toContain('(in the host process) HostStartError: The app folder');
  });

  it('name the app setting host.json refers to when it is not set', async () => {
    await withApp(
      {
        'package.json': JSON.stringify({ main: 'index.js' }),
        'host.json': JSON.stringify({ version: '2.0', extensions: { durableTask: { hubName: '%TaskHubName%' } } }),
        'index.js': '',
      },
      async (dir) => {
        const error = (await createLocalHost({ appDir: dir, env: { TaskHubName: '' } }).catch(
          (err: unknown) => err,
        )) as HostStartError;
        expect(error).toBeInstanceOf(HostStartError);
        expect(error).toMatchObject({ code: 'APP_SETTING_MISSING', details: { setting: 'TaskHubName' } });
        expect(error.message).toContain('refers to the app setting %TaskHubName%, which is not set');
      },
    );
  });

  it('without a code of their own arrive as START_FAILED on start, with the host output', async () => {
    await withApp(
      {
        'package.json': JSON.stringify({ main: 'index.js' }),
        'index.js': `console.log('registering a broken hook');
          require('@azure/functions-core').registerHook('appStart', () => { throw new TypeError('hook broke'); });`,
      },
      async (dir) => {
        const error = (await createLocalHost({ appDir: dir }).catch((err: unknown) => err)) as LocalHostError;
        expect(error).toBeInstanceOf(LocalHostError);
        expect(error.constructor).toBe(LocalHostError);
        expect(error.code).toBe('START_FAILED');
        expect(error.message).toContain('The local host failed to start: hook broke');
        expect(error.message).toContain('Last output of the host:\nregistering a broken hook');
        expect(error.stack).toContain('(in the host process) TypeError: hook broke');
      },
    );
  });
});

describe('host process lifetime', () => {
  it('ends the host process when the process that created it goes away without disposing', async () => {
    const api = path.resolve(__dirname, '..', '..', 'dist', 'api.js');
    const script = `require(${JSON.stringify(api)}).createLocalHost({ appDir: ${JSON.stringify(HTTP_BASIC_APP)} })
      .then((h) => { console.log(h.pid); process.exit(0); });`;
    const parent = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    parent.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    await new Promise((resolve) => parent.once('exit', resolve));
    const pid = Number(stdout.trim());
    expect(pid).toBeGreaterThan(0);
    const alive = (): boolean => {
      if (fs.existsSync('/proc/self')) {
        // An exited process whose new parent has not reaped it yet is a zombie ('Z'): it counts as gone.
        try {
          return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
        } catch {
          return false;
        }
      }
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    // The host notices the closed IPC channel and exits; poll (bounded by the test timeout).
    while (alive()) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(alive()).toBe(false);
  });
});
