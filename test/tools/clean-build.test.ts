/**
 * Every build starts from an empty dist/: a function deleted from the sources must not stay behind, served by
 * `npm start` or run by `npm test`. Runs the real npm scripts in a copy of the project (node_modules linked), so the
 * dist/ the other tests use is left alone.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const REPO_ROOT = path.resolve(__dirname, '..', '..');
const COPIED = [
  'package.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'host.json',
  'functions',
  'orchestrators',
  'activities',
  'lib',
  'packages',
  'bench',
  'tools',
];

describe('clean builds', () => {
  let project: string;
  const stale = (): string => path.join(project, 'dist', 'functions', 'Removed.js');
  const leaveStaleOutput = (): void => {
    fs.mkdirSync(path.dirname(stale()), { recursive: true });
    fs.writeFileSync(stale(), "require('@azure/functions').app.http('Removed', { handler: () => ({}) });\n");
  };

  beforeAll(() => {
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'clean-build-'));
    for (const name of COPIED) {
      fs.cpSync(path.join(REPO_ROOT, name), path.join(project, name), {
        recursive: true,
        filter: (source) => !/reference-host[/\\](bin|obj)$|local-host[/\\]dist$/.test(source),
      });
    }
    fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(project, 'node_modules'), 'dir');
  });

  afterAll(() => {
    fs.rmSync(project, { recursive: true, force: true });
  });

  it('npm start builds from an empty dist/', async () => {
    leaveStaleOutput();
    const { stdout } = await run('npm', ['start', '--', '--help'], { cwd: project });
    expect(stdout).toContain('Usage: durable-local-host [options]');
    expect(fs.existsSync(stale())).toBe(false);
    expect(fs.existsSync(path.join(project, 'dist', 'functions', 'HttpStartSingle.js'))).toBe(true);
  }, 120_000);

  it("npm test's build starts from an empty dist/ too", async () => {
    leaveStaleOutput();
    await run('npm', ['run', 'pretest'], { cwd: project });
    expect(fs.existsSync(stale())).toBe(false);
    expect(fs.existsSync(path.join(project, 'dist', 'functions', 'HttpStartSingle.js'))).toBe(true);
  }, 120_000);
});
