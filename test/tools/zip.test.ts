import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { crc32, listFiles, zipFolder } from '../../tools/zip';
import { unzip } from '../support/unzip';

describe('zipFolder', () => {
  let work: string;

  beforeEach(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'zip-'));
  });

  afterEach(() => {
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('round-trips nested, empty, incompressible and UTF-8-named files with their modes', async () => {
    const source = path.join(work, 'in');
    fs.mkdirSync(path.join(source, 'a', 'b'), { recursive: true });
    fs.writeFileSync(path.join(source, 'a', 'b', 'text.txt'), 'hello '.repeat(1000));
    fs.writeFileSync(path.join(source, 'empty'), '');
    fs.writeFileSync(
      path.join(source, 'random.bin'),
      Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251)),
    );
    fs.writeFileSync(path.join(source, 'grüße.txt'), 'ü');
    fs.writeFileSync(path.join(source, 'run.sh'), '#!/bin/sh\n', { mode: 0o755 });

    const file = path.join(work, 'out.zip');
    expect(await zipFolder(source, file)).toBe(5);
    const target = path.join(work, 'out');
    fs.mkdirSync(target);
    const entries = unzip(file, target);

    expect(entries.map((entry) => entry.name)).toEqual(['a/b/text.txt', 'empty', 'grüße.txt', 'random.bin', 'run.sh']);
    expect(listFiles(target)).toEqual(listFiles(source));
    for (const name of listFiles(source)) {
      expect(fs.readFileSync(path.join(target, name))).toEqual(fs.readFileSync(path.join(source, name)));
    }
    expect(entries.find((entry) => entry.name === 'run.sh')?.mode).toBe(fs.statSync(path.join(source, 'run.sh')).mode);
    expect(fs.statSync(file).size).toBeLessThan(6000 + 4096);
  });

  it('computes the CRC-32 zlib computes', () => {
    const data = Buffer.from('The quick brown fox jumps over the lazy dog');
    expect(crc32(data)).toBe(zlib.crc32(data));
    expect(crc32(Buffer.alloc(0))).toBe(0);
  });
});
