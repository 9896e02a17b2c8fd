/**
 * Where this package's own files are. Its modules run compiled from `dist/` (the bin, the programmatic API) or as
 * TypeScript from `src/` (its tests under ts-jest); processes it forks always run the compiled files.
 */
import path from 'node:path';

/** The package folder (holding `package.json`, `dist/`, `src/` and `reference-host/`). */
export const PACKAGE_ROOT = path.resolve(__dirname, '..');

/** The compiled file of one of this package's modules, e.g. `compiledPath('child.js')`. */
export function compiledPath(relative: string): string {
  return path.join(PACKAGE_ROOT, 'dist', relative);
}

/** The .NET reference host's project folder. */
export const REFERENCE_HOST_DIR = path.join(PACKAGE_ROOT, 'reference-host');

/** The compiled CLI (the `durable-local-host` bin). */
export const CLI_ENTRY = compiledPath('start.js');
