/**
 * `npm run test:reference`: builds the .NET reference host (once), then runs the scenario suites — e2e and fidelity —
 * with every host on the `azurite` backend. Extra arguments go to jest.
 */

import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { createConsoleLog } from '../log';
import { ensureReferenceHostBuilt, findDotnet, referenceHostProjectDir } from './dotnet';
import { ReferenceBackendError } from './process';

const projectRoot = path.resolve(__dirname, '..', '..', '..');

function main(): number {
  try {
    ensureReferenceHostBuilt(referenceHostProjectDir(projectRoot), findDotnet(), createConsoleLog());
  } catch (err) {
    if (err instanceof ReferenceBackendError) {
      process.stderr.write(`${err.message}\n`);
      return 1;
    }
    throw err;
  }
  const jest = require.resolve('jest/bin/jest');
  const args = [
    jest,
    '--roots',
    '<rootDir>/test/e2e',
    '<rootDir>/test/fidelity',
    '<rootDir>/test/reference',
    '--maxWorkers=2',
    ...process.argv.slice(2),
  ];
  const run = spawnSync(process.execPath, args, {
    cwd: projectRoot,
    stdio: 'inherit',
    env: { ...process.env, LOCAL_HOST_BACKEND: 'azurite' },
  });
  return run.status ?? 1;
}

process.exitCode = main();
