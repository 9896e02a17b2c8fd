/**
 * `.funcignore`, for a publish from the repository root (remote build): the sources a build needs go up; tests, the
 * local host, benchmarks, tools, local settings and node_modules do not.
 */
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** The gitignore subset `.funcignore` uses: `name`, `dir/`, `*` globs, matched against every path segment. */
function ignoredBy(patterns: string[]): (file: string) => boolean {
  const rules = patterns.map((pattern) => {
    const dirOnly = pattern.endsWith('/');
    const body = pattern.replace(/\/$/, '');
    const regex = new RegExp(`^${body.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`);
    return { dirOnly, regex };
  });
  return (file) => {
    const segments = file.split('/');
    return segments.some((segment, i) => {
      const isDir = i < segments.length - 1;
      return rules.some((rule) => (isDir || !rule.dirOnly) && rule.regex.test(segment));
    });
  };
}

describe('.funcignore', () => {
  const patterns = fs
    .readFileSync(path.join(REPO_ROOT, '.funcignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const ignored = ignoredBy(patterns);
  const tracked = execFileSync('git', ['ls-files'], { cwd: REPO_ROOT }).toString().trim().split('\n');
  const uploaded = tracked.filter((file) => !ignored(file));

  it('uploads what a remote build needs', () => {
    for (const file of [
      'package.json',
      'package-lock.json',
      'host.json',
      'tsconfig.json',
      'tsconfig.deploy.json',
      'functions/HttpStartSingle.ts',
      'orchestrators/Counter.ts',
      'activities/RunJob.ts',
      'lib/errors.ts',
    ]) {
      expect(uploaded).toContain(file);
    }
  });

  it('leaves out tests, the local host, benchmarks, tools, settings and installed or built folders', () => {
    const expected =
      /^(functions|orchestrators|activities|lib)\/[^/]+(\/[^/]+)?\.ts$|^(package|package-lock|host|tsconfig|tsconfig\.deploy)\.json$|^\.funcignore$/;
    expect(uploaded.filter((file) => !expected.test(file))).toEqual([]);
    expect(ignored('node_modules/jest/package.json')).toBe(true);
    expect(ignored('dist/functions/HttpStartSingle.js')).toBe(true);
    expect(ignored('deploy/app.zip')).toBe(true);
    expect(ignored('local.settings.json')).toBe(true);
  });

  it('builds the app from the uploaded files alone, as a remote build runs npm run build', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'remote-build-'));
    try {
      for (const file of uploaded) {
        fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        fs.copyFileSync(path.join(REPO_ROOT, file), path.join(dir, file));
      }
      // The platform installs the dependencies itself; the installed ones stand in for them.
      fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
      await run('npm', ['run', 'build'], { cwd: dir });
      expect(fs.existsSync(path.join(dir, 'dist', 'functions', 'HttpStartSingle.js'))).toBe(true);
      expect(fs.existsSync(path.join(dir, 'packages'))).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
