/**
 * `npm run test:reference`: builds the .NET reference host (once), then runs the scenario suites — the app's e2e, the
 * local host's fidelity scenarios and the reference-backend process tests — with every host on the `azurite` backend. Extra arguments go to jest.
 */

import { spawnSync } from 'node:child_process';
import path from 'node:path';
import {
  REFERENCE_HOST_DIR,
  ReferenceBackendError,
  createConsoleLog,
  ensureReferenceHostBuilt,
  findDotnet,
} from 'durable-local-host';

const projectRoot = path.resolve(__dirname, ...(__filename.endsWith('.ts') ? ['..'] : ['..', '..']));

function main(): number {
  try {
    ensureReferenceHostBuilt(REFERENCE_HOST_DIR, findDotnet(), createConsoleLog());
  } catch (err) {
    if (err instanceof ReferenceBackendError) {
      process.stderr.write(`${err.message}\n`);
      return 1;
    }
    throw err;
  }
  const jest = require.resolve('jest/bin/jest');
  const args = [jest, '--selectProjects', 'e2e', 'fidelity', 'reference', '--maxWorkers=2', ...process.argv.slice(2)];
  const run = spawnSync(process.execPath, args, {
    cwd: projectRoot,
    stdio: 'inherit',
    env: { ...process.env, LOCAL_HOST_BACKEND: 'azurite' },
  });
  return run.status ?? 1;
}

process.exitCode = main();
