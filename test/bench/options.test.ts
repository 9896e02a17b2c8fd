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

  it('measures both backends in a full run when dotnet is on PATH, else the memory backend only', () => {
    const backends = (argv: string[], dotnet: boolean): string[] =>
      parseOptions(argv, repoRoot, () => dotnet).backends.map((plan) => plan.backend);
    expect(backends([], true)).toEqual(['memory', 'azurite']);
    expect(backends([], false)).toEqual(['memory']);
    expect(backends(['--quick'], true)).toEqual(['memory']);
    expect(backends(['--backend', 'azurite'], false)).toEqual(['azurite']);
    expect(backends(['--quick', '--backend', 'both'], false)).toEqual(['memory', 'azurite']);
  });

  it('runs the loop for hundreds of iterations on azurite, not 100,000', () => {
    const [memory, azurite] = parseOptions(['--backend', 'both'], repoRoot).backends;
    expect(memory?.loopCheckpoints).toEqual([10_000, 100_000]);
    expect(azurite?.loopCheckpoints).toEqual([200, 1000]);
    expect(azurite?.connections).toEqual(memory?.connections);
  });

  it('refuses an unknown --backend', () => {
    expect(() => parseOptions(['--backend', 'cosmos'], repoRoot)).toThrow(/memory, azurite or both/);
  });

  it('writes wherever --out says, quick or not', () => {
    expect(parseOptions(['--quick', '--out', '/tmp/run.json'], repoRoot).out).toBe('/tmp/run.json');
  });
});
