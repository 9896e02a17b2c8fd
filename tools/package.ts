/**
 * `npm run package`: the deployment package. `deploy/app/` holds exactly what runs in Azure — the compiled app
 * (`tsconfig.deploy.json`: functions, orchestrators, activities, lib; no local host, bench or tests), `host.json`, a
 * `package.json` without scripts or devDependencies, and the production dependencies of `package-lock.json` — and
 * `deploy/app.zip` is the same folder zipped, for zip deploy or `func azure functionapp publish --no-build`. The
 * output folder is emptied first, so nothing from an earlier package survives.
 *
 * Usage: `node dist/tools/package.js [--out DIR]` (default `deploy/`).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { listFiles, zipFolder } from './zip';

/** The project root, from the source (`tools/`) or compiled (`dist/tools/`) location. */
const PROJECT_ROOT = path.resolve(__dirname, ...(__filename.endsWith('.ts') ? ['..'] : ['..', '..']));

/** The fields of package.json the deployed app keeps: what the Functions host and npm read there. */
const KEPT_PACKAGE_FIELDS = ['name', 'version', 'description', 'private', 'license', 'main', 'engines', 'dependencies'];

interface LockEntry {
  dev?: boolean;
  link?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

/** The lock key `name` resolves to from the package at `from` (`''` is the root), as Node looks up node_modules. */
function resolveLockKey(packages: Record<string, LockEntry>, from: string, name: string): string | undefined {
  for (let dir = from; ;) {
    const key = `${dir === '' ? '' : `${dir}/`}node_modules/${name}`;
    if (key in packages) return key;
    if (dir === '') return undefined;
    const nested = dir.lastIndexOf('/node_modules/');
    dir = nested < 0 ? '' : dir.slice(0, nested);
  }
}

/**
 * `node_modules/…` paths of package-lock.json that production needs, as installed: what the root's `dependencies`
 * reach through dependencies, optional and peer dependencies. Walked rather than read from the lock's `dev` flags:
 * npm counts a workspace as a production dependency of the root, so the flags would keep the local host's own
 * dependencies (globby) as if the app needed them.
 */
export function productionPackages(root: string): string[] {
  const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockEntry>;
  };
  const packages = lock.packages;
  const needed = new Set<string>();
  const visit = (from: string, entry: LockEntry | undefined, peersToo: boolean): void => {
    const names = Object.keys({
      ...entry?.dependencies,
      ...entry?.optionalDependencies,
      ...(peersToo ? entry?.peerDependencies : {}),
    });
    for (const name of names) {
      const key = resolveLockKey(packages, from, name);
      const found = key === undefined ? undefined : packages[key];
      if (key === undefined || found === undefined || needed.has(key) || found.link === true) {
        continue;
      }
      needed.add(key);
      visit(key, found, true);
    }
  };
  visit('', packages[''], false);
  return Object.keys(packages)
    .filter((key) => needed.has(key))
    .filter((key) => fs.existsSync(path.join(root, key))); // optional, platform-specific ones may be absent
}

function copyPackage(root: string, key: string, appDir: string): void {
  const from = path.join(root, key);
  const nested = path.join(from, 'node_modules');
  // A nested node_modules holds packages of their own lock entries: copied (or left out, if dev-only) one by one.
  fs.cpSync(from, path.join(appDir, key), {
    recursive: true,
    dereference: true,
    filter: (source) => source !== nested,
  });
}

function compileApp(root: string, appDir: string): void {
  const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
  const result = spawnSync(
    process.execPath,
    [tsc, '-p', path.join(root, 'tsconfig.deploy.json'), '--outDir', path.join(appDir, 'dist')],
    { cwd: root, stdio: 'inherit' },
  );
  if (result.status !== 0) {
    throw new Error(`The app did not compile (tsc exited with ${String(result.status ?? result.signal)})`);
  }
}

function folderBytes(dir: string): number {
  return listFiles(dir).reduce((sum, name) => sum + fs.statSync(path.join(dir, name)).size, 0);
}

const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

export interface PackageResult {
  appDir: string;
  zipFile: string;
  files: number;
  appBytes: number;
  zipBytes: number;
}

export async function buildPackage(root: string, outDir: string): Promise<PackageResult> {
  fs.rmSync(outDir, { recursive: true, force: true });
  const appDir = path.join(outDir, 'app');
  fs.mkdirSync(appDir, { recursive: true });

  compileApp(root, appDir);
  fs.copyFileSync(path.join(root, 'host.json'), path.join(appDir, 'host.json'));
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
  const kept = Object.fromEntries(
    KEPT_PACKAGE_FIELDS.filter((key) => key in manifest).map((key) => [key, manifest[key]]),
  );
  fs.writeFileSync(path.join(appDir, 'package.json'), `${JSON.stringify(kept, null, 2)}\n`);
  for (const key of productionPackages(root)) {
    copyPackage(root, key, appDir);
  }

  const zipFile = path.join(outDir, 'app.zip');
  const files = await zipFolder(appDir, zipFile);
  return { appDir, zipFile, files, appBytes: folderBytes(appDir), zipBytes: fs.statSync(zipFile).size };
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { out: { type: 'string' } }, strict: true });
  const outDir = path.resolve(values.out ?? path.join(PROJECT_ROOT, 'deploy'));
  const result = await buildPackage(PROJECT_ROOT, outDir);
  process.stdout.write(
    `Packaged ${result.files} files: ${result.appDir} (${mib(result.appBytes)}), ${result.zipFile} (${mib(result.zipBytes)})\n`,
  );
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`npm run package failed: ${(err as Error).message}\n`);
    process.exit(1);
  });
}
