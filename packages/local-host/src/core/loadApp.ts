/**
 * Starts the app as the worker does (`startApp`): load every entry file named by `package.json` `main`, run the
 * `appStart` hooks with `{hookData, appHookData, functionAppDirectory}`, then ask the programming model for its
 * capabilities (which locks `app.setup()`), and close registration.
 */

import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { globFiles } from './glob';
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

/** Loads the entry files and returns their paths relative to `appDir`. */
export async function loadApp(appDir: string, registry: CoreRegistry): Promise<string[]> {
  const main = readMain(appDir);
  const files = globFiles(main, appDir);
  if (files.length === 0) {
    throw new AppLoadError(
      'APP_ENTRY_MISSING',
      `Found zero files matching the "main" pattern "${main}" in ${appDir} (is the app built? run "npm run build")`,
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
