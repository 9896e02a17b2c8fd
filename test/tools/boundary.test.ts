/**
 * The ESLint rule that keeps the app and the local host package apart (tools/eslint-local-host-boundary.cjs), run
 * by ESLint itself over small sources placed where the app's and the package's files are.
 */
import path from 'node:path';
import { ESLint } from 'eslint';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the rule is CommonJS, as ESLint loads it
const boundary = require('../../tools/eslint-local-host-boundary.cjs') as ESLint.Plugin;

const eslint = new ESLint({
  cwd: REPO_ROOT,
  overrideConfigFile: true,
  overrideConfig: [{ files: ['**/*.ts'], plugins: { boundary }, rules: { 'boundary/local-host': 'error' } }],
});

async function problems(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: path.join(REPO_ROOT, file) });
  return (result?.messages ?? []).map((m) => m.message);
}

describe('the local host boundary rule', () => {
  it.each([
    ['test/e2e/x.test.ts', "import { LocalHost } from '../../packages/local-host/src/api';"],
    ['functions/x.ts', "import { startHost } from '../packages/local-host/src/host';"],
    ['bench/x.ts', "import { startHost } from 'durable-local-host/src/host';"],
    ['test/e2e/x.test.ts', "jest.mock('../../packages/local-host/src/api');"],
    ['test/e2e/x.test.ts', "const api = require('../../packages/local-host/dist/api');"],
  ])('refuses an import of the package internals from the app (%s: %s)', async (file, source) => {
    expect(await problems(file, source)).toEqual([expect.stringContaining('reaches into the local host package')]);
  });

  it.each([
    ['packages/local-host/src/x.ts', "import { parseInstanceId } from '../../../lib/instanceId';"],
    ['packages/local-host/test/x.test.ts', "export * from '../../../test/support/appHttpClient';"],
    ['packages/local-host/src/x.ts', "const app = import('../../../functions/HttpStartSingle');"],
  ])('refuses an import of the app from the package (%s: %s)', async (file, source) => {
    expect(await problems(file, source)).toEqual([expect.stringContaining('reaches out of the local host package')]);
  });

  it.each([
    ['test/e2e/x.test.ts', "import { createLocalHost } from 'durable-local-host';"],
    ['test/e2e/x.test.ts', "import { useLocalHost } from 'durable-local-host/testing';"],
    ['test/e2e/x.test.ts', "import { BACKEND } from '../support/appHttpClient';"],
    ['packages/local-host/test/x.test.ts', "import { LocalHost } from '../src/api';"],
    ['packages/local-host/src/durable/x.ts', "import { EventType } from './history';"],
  ])('accepts the public entry points and imports within each side (%s: %s)', async (file, source) => {
    expect(await problems(file, source)).toEqual([]);
  });
});
