/**
 * The host (or, for func start, a copy) uses local.settings.example.json when local.settings.json is missing.
 */
import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { useLocalHost } from '../../src/testing';
import { collectOutput, exitCode } from '../../src/processes';
import { SETTINGS_EXAMPLE_APP } from '../support/fixtureApps';

const START = path.resolve(__dirname, '..', '..', 'dist', 'start.js');

describe('local settings', () => {
  describe('without local.settings.json', () => {
    const host = useLocalHost({ appDir: SETTINGS_EXAMPLE_APP });

    it('applies local.settings.example.json and says so', async () => {
      const res = await host().dispatch('/api/Settings');
      expect(await res.json()).toEqual({ setting: 'from-example' });
      expect(host().output().join('\n')).toContain(
        'local.settings.json not found: using local.settings.example.json. Copy it to local.settings.json (git-ignored) for settings of your own, such as secrets.',
      );
      expect(existsSync(path.join(SETTINGS_EXAMPLE_APP, 'local.settings.json'))).toBe(false);
    });
  });

  describe('npm start with Core Tools', () => {
    let dir: string;

    beforeEach(() => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'settings-func-'));
      // A stand-in for func on PATH: reports what it finds and exits.
      writeFileSync(path.join(dir, 'func'), '#!/bin/sh\necho "func $* in $(pwd)"\n');
      chmodSync(path.join(dir, 'func'), 0o755);
      copyFileSync(
        path.join(SETTINGS_EXAMPLE_APP, 'local.settings.example.json'),
        path.join(dir, 'local.settings.example.json'),
      );
    });

    afterEach(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    const runStart = async (): Promise<string> => {
      const child = spawn(process.execPath, [START, '--port', '7999', '--app-dir', dir], {
        env: { ...process.env, PATH: `${dir}${path.delimiter}${process.env.PATH ?? ''}`, LOCAL_HOST_FORCE: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const output = collectOutput(child);
      expect(await exitCode(child)).toBe(0);
      return output.text();
    };

    it('creates local.settings.json from the example before func starts, and says so', async () => {
      const output = await runStart();
      expect(output).toContain(
        'Created local.settings.json from local.settings.example.json; it is git-ignored: keep secrets such as APPLICATIONINSIGHTS_CONNECTION_STRING there.',
      );
      expect(output).toContain('func start --port 7999 in');
      expect(readFileSync(path.join(dir, 'local.settings.json'), 'utf8')).toBe(
        readFileSync(path.join(dir, 'local.settings.example.json'), 'utf8'),
      );
    });

    it('leaves an existing local.settings.json alone', async () => {
      writeFileSync(path.join(dir, 'local.settings.json'), '{"Values":{"MINE":"1"}}');
      const output = await runStart();
      expect(output).not.toContain('Created local.settings.json');
      expect(readFileSync(path.join(dir, 'local.settings.json'), 'utf8')).toBe('{"Values":{"MINE":"1"}}');
    });
  });
});
