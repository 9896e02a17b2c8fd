jest.mock('@azure/functions-core', () => jest.requireActual('../../support/fakeFunctionsCore').fakeCore, {
  virtual: true,
});
jest.mock('../../../lib/telemetry');

import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { KNOWN_ORCHESTRATORS } from '../../../lib/catalog';
import { registrations } from '../../support/fakeFunctionsCore';

const ROOT = path.join(__dirname, '..', '..', '..');

/**
 * The folders the worker loads every module of, from package.json `main` (`dist/{functions,…}/*.js`): a module added
 * to any of them is registered in Azure, whether or not a test imports it.
 */
function appFolders(): string[] {
  const { main } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { main: string };
  const folders = /^dist\/\{([\w,]+)\}\/\*\.js$/.exec(main)?.[1];
  if (folders === undefined) throw new Error(`package.json main is ${JSON.stringify(main)}: expected dist/{…}/*.js`);
  return folders.split(',');
}

/** The source of every module the worker would load. */
function appModules(): string[] {
  return appFolders().flatMap((folder) =>
    readdirSync(path.join(ROOT, folder))
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
      .map((file) => path.join(ROOT, folder, file)),
  );
}

describe('orchestrator catalog against the app modules', () => {
  beforeAll(() => {
    for (const module of appModules()) jest.requireActual(module);
  });

  it('loads the orchestrators among every module the worker loads', () => {
    expect(appModules().map((module) => path.relative(ROOT, module))).toEqual(
      expect.arrayContaining([path.join('orchestrators', 'Counter.ts'), path.join('functions', 'HttpStartSingle.ts')]),
    );
  });

  it('lists every orchestration the app modules register, and no other', () => {
    const orchestrations = [...registrations.values()]
      .filter((r) => Object.values(r.metadata.bindings).some((b) => b.type === 'orchestrationTrigger'))
      .map((r) => r.metadata.name);
    expect(orchestrations.length).toBeGreaterThan(0);
    expect([...new Set(orchestrations)].sort()).toEqual([...KNOWN_ORCHESTRATORS].sort());
  });
});
