import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { parseOptions } from '../../bench/options';

const repoRoot = path.resolve(__dirname, '..', '..');
const results = path.join(repoRoot, 'bench', 'results');

describe('bench parseOptions', () => {
  it('writes a full run to the committed bench/results/latest.json', () => {
    expect(parseOptions([], repoRoot).out).toBe(path.join(results, 'latest.json'));
  });

  it('writes a --quick run to bench/results/quick.json, which git ignores, never over latest.json', () => {
    const out = parseOptions(['--quick'], repoRoot).out;
    expect(out).toBe(path.join(results, 'quick.json'));
    // check-ignore exits 0 for an ignored path (and throws otherwise).
    expect(execFileSync('git', ['check-ignore', path.relative(repoRoot, out)], { cwd: repoRoot }).toString()).toBe(
      'bench/results/quick.json\n',
    );
  });

  it('writes wherever --out says, quick or not', () => {
    expect(parseOptions(['--quick', '--out', '/tmp/run.json'], repoRoot).out).toBe('/tmp/run.json');
  });
});
