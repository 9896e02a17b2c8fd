/**
 * Starts the app as the worker does (`startApp`): load every entry file named by `package.json` `main` (resolved by
 * globby, as the worker resolves it), run the `appStart` hooks with `{hookData, appHookData, functionAppDirectory}`,
 * then ask the programming model for its capabilities (which locks `app.setup()`), and close registration.
 */

import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import globby from 'globby';
import type { CoreRegistry } from './registry';
import { AppLoadError } from '../errors';

export { AppLoadError };

function readMain(appDir: string): string {
  const packageJsonPath = path.join(appDir, 'package.json');
  let text: string;
  try {
    text = fs.readFileSync(packageJsonPath, 'utf8');
  } catch {
    throw new AppLoadError('APP_PACKAGE_INVALID', `No package.json found in the app folder ${appDir}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new AppLoadError('APP_PACKAGE_INVALID', `${packageJsonPath} is not valid JSON: ${(err as Error).message}`);
  }
  const main = typeof parsed === 'object' && parsed !== null ? (parsed as { main?: unknown }).main : undefined;
  if (typeof main !== 'string' || main.trim() === '') {
    throw new AppLoadError(
      'APP_PACKAGE_INVALID',
      `${packageJsonPath} has no "main" entry naming the app's entry files`,
    );
  }
  return main;
}

/**
 * The entry files the worker's `startApp` loads for a `package.json` `main` pattern: the worker's own call,
 * `globby(pattern, { cwd })` of globby 11, so a pattern means what it means in Azure. `{a,b}`, `*`, `?`, `**` and
 * the rest of fast-glob's syntax; wildcards skip dot files; a folder stands for every file below it; only files;
 * each once; in globby's order (the file system's walk, not sorted); relative to `cwd` as the pattern spells them
 * (`./index.js` stays `./index.js`). A backslash escapes the next character, it separates no folders.
 */
export async function globFiles(pattern: string, cwd: string): Promise<string[]> {
  return globby(pattern, { cwd });
}

/** Why a `main` pattern loads nothing, in the worker's words: a pattern matched no file, or a plain path is missing. */
function noEntryFiles(main: string, appDir: string): string {
  return globby.hasMagic(main, { cwd: appDir })
    ? 'Found zero files matching the supplied pattern'
    : 'File does not exist';
}

/** Loads the entry files and returns their paths relative to `appDir` (as {@link globFiles} spells them). */
export async function loadApp(appDir: string, registry: CoreRegistry): Promise<string[]> {
  const main = readMain(appDir);
  let files: string[];
  try {
    files = await globFiles(main, appDir);
  } catch (err) {
    throw new AppLoadError('APP_ENTRY_MISSING', `Unable to load entry point "${main}": ${(err as Error).message}`, {
      cause: err,
    });
  }
  if (files.length === 0) {
    throw new AppLoadError(
      'APP_ENTRY_MISSING',
      `Unable to load entry point "${main}": ${noEntryFiles(main, appDir)} in ${appDir} (is the app built? run "npm run build")`,
    );
  }
  const load = createRequire(path.join(appDir, 'package.json'));
  for (const file of files) {
    registry.log('debug', 'system', `Loading entry point file "${file}"`);
    try {
      load(path.join(appDir, file));
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      throw new AppLoadError('APP_ENTRY_FAILED', `Unable to load entry point "${file}": ${error.message}`, {
        cause: error,
      });
    }
  }

  await registry.executeHooks('appStart', {
    get hookData() {
      return registry.appLevelOnlyHookData;
    },
    get appHookData() {
      return registry.appHookData;
    },
    functionAppDirectory: appDir,
  });

  const model = registry.programmingModel;
  if (model?.getCapabilities) {
    const capabilities = await model.getCapabilities({});
    if (capabilities.HttpUri) {
      throw new AppLoadError(
        'APP_UNSUPPORTED',
        'HTTP streaming (app.setup({ enableHttpStream: true })) is not supported by the local host; remove it to run here',
      );
    }
  }
  registry.startupFinished = true;
  return files;
}
