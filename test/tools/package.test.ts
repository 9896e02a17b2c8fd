/**
 * `npm run package`: the deployment package holds the compiled app, host.json, package.json and the production
 * dependencies, nothing else, and runs where nothing else is installed.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { globFiles } from 'durable-local-host';
import { listFiles } from '../../tools/zip';
import { unzip } from '../support/unzip';

const run = promisify(execFile);
const REPO_ROOT = path.resolve(__dirname, '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  main: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const lock = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { dev?: boolean }>;
};
const localHostManifest = JSON.parse(
  fs.readFileSync(path.join(REPO_ROOT, 'packages', 'local-host', 'package.json'), 'utf8'),
) as { dependencies?: Record<string, string> };

describe('npm run package', () => {
  let work: string;
  let out: string;
  let unpacked: string;
  let packagedFiles: string[];

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'package-'));
    out = path.join(work, 'deploy');
    // Left from an earlier package, as a removed function would be: the new package must not carry it.
    fs.mkdirSync(path.join(out, 'app', 'dist', 'functions'), { recursive: true });
    fs.writeFileSync(path.join(out, 'app', 'dist', 'functions', 'Removed.js'), 'module.exports = {};\n');
    // dist/ was built by `pretest`; the package compiles the app itself, into its own folder.
    await run(process.execPath, [path.join(REPO_ROOT, 'dist', 'tools', 'package.js'), '--out', out], {
      cwd: REPO_ROOT,
      maxBuffer: 16 * 1024 * 1024,
    });
    unpacked = path.join(work, 'unpacked');
    fs.mkdirSync(unpacked);
    unzip(path.join(out, 'app.zip'), unpacked);
    packagedFiles = listFiles(unpacked);
  }, 240_000);

  afterAll(() => {
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('zips exactly the files of deploy/app', () => {
    expect(packagedFiles).toEqual(listFiles(path.join(out, 'app')));
  });

  it('holds only the compiled app, host.json, package.json and node_modules', () => {
    expect(fs.readdirSync(unpacked).sort()).toEqual(['dist', 'host.json', 'node_modules', 'package.json']);
    expect(fs.readdirSync(path.join(unpacked, 'dist')).sort()).toEqual([
      'activities',
      'functions',
      'lib',
      'orchestrators',
    ]);
    const own = packagedFiles.filter((name) => !name.startsWith('node_modules/'));
    expect(own.filter((name) => !/^dist\/.+\.js$/.test(name) && !['host.json', 'package.json'].includes(name))).toEqual(
      [],
    );
    expect(own).not.toContain('dist/functions/Removed.js');
    expect(own).toContain('dist/functions/HttpStartSingle.js');
  });

  it('keeps no test, local host, bench, TypeScript source or devDependency', () => {
    expect(
      packagedFiles.filter(
        (name) => /(^|\/)(test|local-host|bench|tools)\//.test(name) && !name.startsWith('node_modules/'),
      ),
    ).toEqual([]);
    expect(packagedFiles.filter((name) => !name.startsWith('node_modules/') && /\.(ts|map)$/.test(name))).toEqual([]);
    const devOnly = Object.entries(lock.packages)
      .filter(([key, entry]) => key.startsWith('node_modules/') && entry.dev === true)
      .map(([key]) => key);
    expect(devOnly.length).toBeGreaterThan(0);
    expect(devOnly.filter((key) => fs.existsSync(path.join(unpacked, key)))).toEqual([]);
    // A devDependency is inside only where a production dependency needs it too (protobufjs depends on @types/node).
    const inside = Object.keys(manifest.devDependencies).filter((name) =>
      fs.existsSync(path.join(unpacked, 'node_modules', name)),
    );
    for (const name of inside) {
      expect([name, lock.packages[`node_modules/${name}`]?.dev]).toEqual([name, undefined]);
    }
    expect(inside.filter((name) => ['jest', 'typescript', 'azurite', 'eslint', 'autocannon'].includes(name))).toEqual(
      [],
    );
    // npm counts the workspace as a production dependency of the root: its own dependencies stay out all the same.
    const localHostOnly = Object.keys(localHostManifest.dependencies ?? {}).filter(
      (name) => !(name in manifest.dependencies),
    );
    expect(localHostOnly).toContain('globby');
    expect(localHostOnly.filter((name) => fs.existsSync(path.join(unpacked, 'node_modules', name)))).toEqual([]);
    expect(packagedFiles.filter((name) => /^node_modules\/(fast-glob|micromatch)\//.test(name))).toEqual([]);
    const packaged = JSON.parse(fs.readFileSync(path.join(unpacked, 'package.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(packaged).not.toHaveProperty('devDependencies');
    expect(packaged).not.toHaveProperty('scripts');
    expect(packaged.main).toBe(manifest.main);
  });

  it('loads every entry file of main, and every dependency, with nothing else installed', async () => {
    const entries = await globFiles(manifest.main, unpacked);
    expect(entries).toContain('dist/functions/HttpStartSingle.js');
    expect(entries).toContain('dist/orchestrators/Counter.js');
    const script = `
      const path = require('node:path');
      for (const file of ${JSON.stringify(entries)}) require(path.resolve(file));
      for (const name of ${JSON.stringify(Object.keys(manifest.dependencies))}) require(name);
      const outside = Object.keys(require.cache).filter((file) => !file.startsWith(process.cwd() + path.sep));
      process.stdout.write(JSON.stringify({ loaded: Object.keys(require.cache).length, outside }));
    `;
    // No NODE_PATH, and a HOME without ~/.node_modules: only the package's own node_modules can resolve.
    const { stdout } = await run(process.execPath, ['-e', script], {
      cwd: unpacked,
      env: { PATH: process.env.PATH ?? '', HOME: work },
      maxBuffer: 16 * 1024 * 1024,
    });
    const result = JSON.parse(stdout) as { loaded: number; outside: string[] };
    expect(result.outside).toEqual([]);
    expect(result.loaded).toBeGreaterThan(entries.length);
  });
});
