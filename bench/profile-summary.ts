/**
 * `node dist/bench/profile-summary.js <file.cpuprofile> [top]`: where a host process spent its CPU, as shares of the
 * samples — self time by package or project folder, self time by function, and inclusive time by function.
 * Used to read the profiles `npm run bench -- --cpu-prof <dir>` writes.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const repoRoot = path.resolve(__dirname, '..', '..');

function location(url: string): string {
  return url.replace(/^file:\/\//, '').replace(`${repoRoot}/`, '');
}

/** `node_modules/@scope/name/...` → `@scope/name`; project files keep their path; built-ins their module. */
function owner(url: string, functionName: string): string {
  const where = location(url);
  if (where === '') return functionName;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(where);
  if (pkg?.[1]) return pkg[1];
  if (where.startsWith('node:')) return where.split('/')[0] ?? where;
  return where;
}

function frameName(node: ProfileNode): string {
  const frame = node.callFrame;
  const where = location(frame.url);
  return `${frame.functionName || '(anonymous)'}${where ? ` ${where}:${frame.lineNumber + 1}` : ''}`;
}

export function summarizeProfile(profile: CpuProfile, top: number): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  const selfTime = new Map<number, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    selfTime.set(id, (selfTime.get(id) ?? 0) + delta);
    total += delta;
  });

  const byOwner = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const add = (map: Map<string, number>, key: string, value: number): void => {
    map.set(key, (map.get(key) ?? 0) + value);
  };
  for (const [id, time] of selfTime) {
    const node = byId.get(id);
    if (!node) continue;
    add(byOwner, owner(node.callFrame.url, node.callFrame.functionName), time);
    add(byFunction, frameName(node), time);
    // Each frame counts once per sample even when recursion puts it on the stack several times.
    const seen = new Set<string>();
    for (let current: number | undefined = id; current !== undefined; current = parent.get(current)) {
      const frame = byId.get(current);
      if (!frame) break;
      const name = frameName(frame);
      if (!seen.has(name)) {
        seen.add(name);
        add(inclusive, name, time);
      }
    }
  }

  const section = (title: string, map: Map<string, number>, count: number): string[] => [
    `== ${title}`,
    ...[...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([key, time]) => `${((time / total) * 100).toFixed(1).padStart(5)} %  ${key}`),
    '',
  ];
  return [
    `${(total / 1000).toFixed(0)} ms of samples`,
    '',
    ...section('self time by package / folder', byOwner, 25),
    ...section('self time by function', byFunction, top),
    ...section('inclusive time by function', inclusive, top),
  ].join('\n');
}

if (require.main === module) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    console.error('Usage: node dist/bench/profile-summary.js <file.cpuprofile> [top]');
    process.exitCode = 2;
  } else {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
    console.log(summarizeProfile(profile, Number(top ?? 40)));
  }
}
