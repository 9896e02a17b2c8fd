/**
 * `package.json` `main` means here what it means to the worker's `startApp`: `globby(main, { cwd })` of globby 11.
 * Sets are compared sorted where globby's order is the file system's walk, which differs between file systems.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppLoadError, globFiles, loadApp } from '../../src/core/loadApp';
import { CoreRegistry } from '../../src/core/registry';

const sorted = async (files: Promise<string[]>): Promise<string[]> => [...(await files)].sort();

describe('globFiles', () => {
  let dir: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glob-'));
    for (const file of [
      'dist/functions/b.js',
      'dist/functions/a.js',
      'dist/functions/c.js',
      'dist/functions/a.js.map',
      'dist/functions/.hidden.js',
      'dist/orchestrators/o.js',
      'dist/activities/deep/x.js',
      'dist/other/z.js',
      '.config/settings.js',
      'index.js',
    ]) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), '');
    }
  });

  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('matches the main glob of a Functions app, without dot files or other folders', async () => {
    await expect(sorted(globFiles('dist/{functions,orchestrators,activities}/*.js', dir))).resolves.toEqual([
      'dist/functions/a.js',
      'dist/functions/b.js',
      'dist/functions/c.js',
      'dist/orchestrators/o.js',
    ]);
  });

  it('expands nested and repeated brace groups', async () => {
    await expect(sorted(globFiles('{dist/{functions,other},nothing}/{a,z}.js', dir))).resolves.toEqual([
      'dist/functions/a.js',
      'dist/other/z.js',
    ]);
  });

  it('matches any depth with **, skipping dot folders and dot files', async () => {
    await expect(sorted(globFiles('dist/**/*.js', dir))).resolves.toEqual([
      'dist/activities/deep/x.js',
      'dist/functions/a.js',
      'dist/functions/b.js',
      'dist/functions/c.js',
      'dist/orchestrators/o.js',
      'dist/other/z.js',
    ]);
    await expect(sorted(globFiles('**/*.js', dir))).resolves.not.toContain('.config/settings.js');
  });

  it('matches ? and character classes within one segment', async () => {
    await expect(sorted(globFiles('dist/functions/?.js', dir))).resolves.toEqual([
      'dist/functions/a.js',
      'dist/functions/b.js',
      'dist/functions/c.js',
    ]);
    await expect(sorted(globFiles('dist/functions/[bc].js', dir))).resolves.toEqual([
      'dist/functions/b.js',
      'dist/functions/c.js',
    ]);
  });

  it('matches a dot file or dot folder the pattern names', async () => {
    await expect(globFiles('dist/functions/.hidden.js', dir)).resolves.toEqual(['dist/functions/.hidden.js']);
    await expect(globFiles('.config/*.js', dir)).resolves.toEqual(['.config/settings.js']);
  });

  it('keeps the path as the pattern spells it: ./index.js stays ./index.js', async () => {
    await expect(globFiles('index.js', dir)).resolves.toEqual(['index.js']);
    await expect(globFiles('./index.js', dir)).resolves.toEqual(['./index.js']);
  });

  it('keeps globby order instead of sorting: static alternatives come in the order written', async () => {
    await expect(globFiles('dist/functions/{c,a}.js', dir)).resolves.toEqual([
      'dist/functions/c.js',
      'dist/functions/a.js',
    ]);
  });

  it('expands a folder to every file below it, of any extension, dot files aside', async () => {
    await expect(sorted(globFiles('dist/functions', dir))).resolves.toEqual([
      'dist/functions/a.js',
      'dist/functions/a.js.map',
      'dist/functions/b.js',
      'dist/functions/c.js',
    ]);
  });

  it('returns each file once, even when several alternatives match it', async () => {
    await expect(globFiles('{index.js,*.js,i*.js}', dir)).resolves.toEqual(['index.js']);
  });

  it('finds nothing for missing paths and for backslash-separated paths (a backslash escapes)', async () => {
    await expect(globFiles('missing/*.js', dir)).resolves.toEqual([]);
    await expect(globFiles('missing.js', dir)).resolves.toEqual([]);
    await expect(globFiles('dist\\functions\\a.js', dir)).resolves.toEqual([]);
  });
});

describe('loadApp entry files', () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'load-app-'));
    fs.writeFileSync(path.join(dir, 'index.js'), 'module.exports = {};\n');
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const load = (main: string): Promise<string[]> => {
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ main }));
    return loadApp(dir, new CoreRegistry(() => undefined));
  };

  it('loads the files the pattern matches and returns them as globby spells them', async () => {
    await expect(load('./index.js')).resolves.toEqual(['./index.js']);
  });

  it('names a pattern that matches nothing as the worker does', async () => {
    const error = (await load('dist/*.js').catch((err: unknown) => err)) as AppLoadError;
    expect(error).toBeInstanceOf(AppLoadError);
    expect(error.message).toBe(
      `Unable to load entry point "dist/*.js": Found zero files matching the supplied pattern in ${dir} (is the app built? run "npm run build")`,
    );
  });

  it('names a missing plain file as the worker does', async () => {
    await expect(load('dist/index.js')).rejects.toThrow(
      `Unable to load entry point "dist/index.js": File does not exist in ${dir}`,
    );
  });

  it('reports a pattern globby cannot walk as a load error', async () => {
    await expect(load('index.js/')).rejects.toThrow(/^Unable to load entry point "index\.js\/": ENOTDIR/);
  });
});
