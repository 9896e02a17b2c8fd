/**
 * The small glob dialect of `package.json` `main` in Functions apps (`dist/{functions,orchestrators}/*.js`):
 * `{a,b}` alternatives (nestable), `*` and `?` within one path segment, `**` for any depth. Results are relative to
 * `cwd`, `/`-separated, sorted, without duplicates; only files are returned.
 */

import fs from 'node:fs';
import path from 'node:path';

/** Expands `{a,b}` groups into every alternative (`x{a,b{c,d}}` → `xa`, `xbc`, `xbd`). */
export function expandBraces(pattern: string): string[] {
  const open = pattern.indexOf('{');
  if (open < 0) {
    return [pattern];
  }
  let depth = 0;
  const commas: number[] = [];
  for (let i = open; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '{') {
      depth++;
    } else if (ch === '}') {
      depth--;
      if (depth === 0) {
        const head = pattern.slice(0, open);
        const tail = pattern.slice(i + 1);
        const bounds = [open, ...commas, i];
        const results: string[] = [];
        for (let k = 0; k < bounds.length - 1; k++) {
          const alternative = pattern.slice((bounds[k] ?? 0) + 1, bounds[k + 1]);
          for (const expanded of expandBraces(head + alternative + tail)) {
            results.push(expanded);
          }
        }
        return results;
      }
    } else if (ch === ',' && depth === 1) {
      commas.push(i);
    }
  }
  throw new Error(`Unbalanced "{" in glob pattern "${pattern}"`);
}

function segmentRegExp(segment: string): RegExp {
  let source = '';
  for (const ch of segment) {
    if (ch === '*') {
      source += '[^/]*';
    } else if (ch === '?') {
      source += '[^/]';
    } else {
      source += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}

function isGlobSegment(segment: string): boolean {
  return /[*?]/.test(segment);
}

function readDir(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

function walk(cwd: string, relative: string, segments: string[], out: Set<string>): void {
  const [segment, ...rest] = segments;
  const absolute = path.join(cwd, relative);
  if (segment === undefined) {
    if (fs.existsSync(absolute) && fs.statSync(absolute).isFile()) {
      out.add(relative);
    }
    return;
  }
  if (segment === '**') {
    walk(cwd, relative, rest, out);
    for (const entry of readDir(absolute)) {
      if (entry.isDirectory() && !entry.name.startsWith('.')) {
        walk(cwd, relative ? `${relative}/${entry.name}` : entry.name, segments, out);
      }
    }
    return;
  }
  if (!isGlobSegment(segment)) {
    walk(cwd, relative ? `${relative}/${segment}` : segment, rest, out);
    return;
  }
  const matcher = segmentRegExp(segment);
  for (const entry of readDir(absolute)) {
    // Like globby: wildcards do not match dot files.
    if (!entry.name.startsWith('.') && matcher.test(entry.name)) {
      walk(cwd, relative ? `${relative}/${entry.name}` : entry.name, rest, out);
    }
  }
}

export function globFiles(pattern: string, cwd: string): string[] {
  const out = new Set<string>();
  for (const expanded of expandBraces(pattern.replace(/\\/g, '/'))) {
    const segments = expanded.split('/').filter((s, i) => s !== '' && !(s === '.' && i === 0));
    walk(cwd, '', segments, out);
  }
  return [...out].sort();
}
