import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expandBraces, globFiles } from '../../src/core/glob';

describe('expandBraces', () => {
  it('expands every alternative of a group', () => {
    expect(expandBraces('dist/{functions,orchestrators,activities}/*.js')).toEqual([
      'dist/functions/*.js',
      'dist/orchestrators/*.js',
      'dist/activities/*.js',
    ]);
  });

  it('expands nested and repeated groups', () => {
    expect(expandBraces('{a,b{c,d}}/{x,y}')).toEqual(['a/x', 'a/y', 'bc/x', 'bc/y', 'bd/x', 'bd/y']);
  });

  it('returns a pattern without braces unchanged', () => {
    expect(expandBraces('index.js')).toEqual(['index.js']);
  });

  it('rejects an unbalanced group', () => {
    expect(() => expandBraces('dist/{a,b/*.js')).toThrow('Unbalanced "{" in glob pattern "dist/{a,b/*.js"');
  });
});

describe('globFiles', () => {
  let dir: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glob-'));
    for (const file of [
      'dist/functions/b.js',
      'dist/functions/a.js',
      'dist/functions/a.js.map',
      'dist/functions/.hidden.js',
      'dist/orchestrators/o.js',
      'dist/activities/deep/x.js',
      'dist/other/z.js',
      'index.js',
    ]) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), '');
    }
  });

  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('matches the main glob of a Functions app, sorted, without dot files or other folders', () => {
    expect(globFiles('dist/{functions,orchestrators,activities}/*.js', dir)).toEqual([
      'dist/functions/a.js',
      'dist/functions/b.js',
      'dist/orchestrators/o.js',
    ]);
  });

  it('matches any depth with **', () => {
    expect(globFiles('dist/**/*.js', dir)).toEqual([
      'dist/activities/deep/x.js',
      'dist/functions/a.js',
      'dist/functions/b.js',
      'dist/orchestrators/o.js',
      'dist/other/z.js',
    ]);
  });

  it('matches a plain file name and ignores folders and missing paths', () => {
    expect(globFiles('./index.js', dir)).toEqual(['index.js']);
    expect(globFiles('dist/functions', dir)).toEqual([]);
    expect(globFiles('missing/*.js', dir)).toEqual([]);
  });
});
