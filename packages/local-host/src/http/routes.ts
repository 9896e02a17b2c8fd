/**
 * Route templates of HTTP triggers, matched as the Functions host (ASP.NET Core routing) does: literal segments
 * compare case-insensitively, `{param}`, optional `{param?}`, defaults `{param=value}`, constraints `{id:int}`
 * (`int`, `long`, `bool`, `alpha`, `guid`, `decimal`, `double`, `float`, `datetime`, `minlength(n)`, `maxlength(n)`,
 * `length(n)`, `length(a,b)`, `min(n)`, `max(n)`, `range(a,b)`, `regex(...)`) and a final catch-all `{*rest}`.
 * Parameter values are URL-decoded.
 */

import { RouteTemplateError } from '../errors';

export interface RouteParameter {
  name: string;
  optional: boolean;
  catchAll: boolean;
  defaultValue: string | undefined;
  constraints: ((value: string) => boolean)[];
}

export interface CompiledRoute {
  template: string;
  regex: RegExp;
  parameters: RouteParameter[];
  /** Sort key: lower is tried first (more literal routes win). */
  precedence: number[];
}

export { RouteTemplateError };

const INT32 = { min: -2147483648n, max: 2147483647n };
const INT64 = { min: -9223372036854775808n, max: 9223372036854775807n };

function integerWithin(range: { min: bigint; max: bigint }): (value: string) => boolean {
  return (value) => {
    if (!/^[+-]?\d+$/.test(value)) {
      return false;
    }
    const n = BigInt(value);
    return n >= range.min && n <= range.max;
  };
}

function numberArgs(template: string, name: string, args: string | undefined, count: number): number[] {
  const parts = (args ?? '').split(',').map((p) => p.trim());
  const numbers = parts.map(Number);
  if (parts.length !== count || numbers.some((n) => !Number.isFinite(n))) {
    throw new RouteTemplateError(template, `constraint "${name}" needs ${count} numeric argument(s)`);
  }
  return numbers;
}

function buildConstraint(template: string, spec: string): (value: string) => boolean {
  const match = /^([a-zA-Z]+)(?:\((.*)\))?$/.exec(spec);
  if (!match) {
    throw new RouteTemplateError(template, `cannot read constraint "${spec}"`);
  }
  const name = (match[1] ?? '').toLowerCase();
  const args = match[2];
  switch (name) {
    case 'int':
      return integerWithin(INT32);
    case 'long':
      return integerWithin(INT64);
    case 'bool':
      return (v) => /^(true|false)$/i.test(v);
    case 'alpha':
      return (v) => /^[a-z]+$/i.test(v);
    case 'guid':
      return (v) => /^[({]?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}[)}]?$/i.test(v);
    case 'decimal':
    case 'double':
    case 'float':
      return (v) => /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v);
    case 'datetime':
      return (v) => !Number.isNaN(Date.parse(v));
    case 'minlength': {
      const [n = 0] = numberArgs(template, name, args, 1);
      return (v) => v.length >= n;
    }
    case 'maxlength': {
      const [n = 0] = numberArgs(template, name, args, 1);
      return (v) => v.length <= n;
    }
    case 'length': {
      const parts = (args ?? '').split(',').length;
      const [a = 0, b = a] = numberArgs(template, name, args, parts === 2 ? 2 : 1);
      return (v) => v.length >= a && v.length <= b;
    }
    case 'min': {
      const [n = 0] = numberArgs(template, name, args, 1);
      return (v) => integerWithin(INT64)(v) && Number(v) >= n;
    }
    case 'max': {
      const [n = 0] = numberArgs(template, name, args, 1);
      return (v) => integerWithin(INT64)(v) && Number(v) <= n;
    }
    case 'range': {
      const [a = 0, b = 0] = numberArgs(template, name, args, 2);
      return (v) => integerWithin(INT64)(v) && Number(v) >= a && Number(v) <= b;
    }
    case 'regex': {
      if (args === undefined) {
        throw new RouteTemplateError(template, 'constraint "regex" needs a pattern');
      }
      const regex = new RegExp(args, 'i');
      return (v) => regex.test(v);
    }
    default:
      throw new RouteTemplateError(template, `unknown constraint "${spec}"`);
  }
}

/** Splits `name:int:min(1)` on colons that are not inside parentheses. */
function splitParameter(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of body) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ':' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}

function parseParameter(template: string, body: string): RouteParameter {
  const [first = '', ...constraintSpecs] = splitParameter(body);
  let head = first;
  let catchAll = false;
  if (head.startsWith('**')) {
    catchAll = true;
    head = head.slice(2);
  } else if (head.startsWith('*')) {
    catchAll = true;
    head = head.slice(1);
  }
  let defaultValue: string | undefined;
  let optional = false;
  // The default or `?` can follow the constraints (`{id:int?}`, `{id:int=5}`), or the name (`{id?}`).
  const last = constraintSpecs.length > 0 ? constraintSpecs.length - 1 : -1;
  const readSuffix = (text: string): string => {
    const eq = text.indexOf('=');
    if (eq >= 0) {
      defaultValue = text.slice(eq + 1);
      return text.slice(0, eq);
    }
    if (text.endsWith('?')) {
      optional = true;
      return text.slice(0, -1);
    }
    return text;
  };
  if (last >= 0) {
    constraintSpecs[last] = readSuffix(constraintSpecs[last] ?? '');
  } else {
    head = readSuffix(head);
  }
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(head)) {
    throw new RouteTemplateError(template, `"${head}" is not a valid parameter name`);
  }
  return {
    name: head,
    optional: optional || defaultValue !== undefined || catchAll,
    catchAll,
    defaultValue,
    constraints: constraintSpecs.map((spec) => buildConstraint(template, spec)),
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Compiles a template (without routePrefix) such as `orchestrators/{functionName}/{instanceId?}`. */
export function compileRoute(template: string): CompiledRoute {
  const trimmed = template.replace(/^[~]?\/+/, '').replace(/\/+$/, '');
  const segments = trimmed === '' ? [] : trimmed.split('/');
  const parameters: RouteParameter[] = [];
  const precedence: number[] = [];
  let source = '';
  segments.forEach((segment, index) => {
    if (segment === '') {
      throw new RouteTemplateError(template, 'empty segment');
    }
    const whole = /^\{([^{}]+)\}$/.exec(segment);
    if (whole) {
      const parameter = parseParameter(template, whole[1] ?? '');
      if (parameter.catchAll && index !== segments.length - 1) {
        throw new RouteTemplateError(template, 'a catch-all parameter must be the last segment');
      }
      parameters.push(parameter);
      const group = parameter.catchAll ? '(.*)' : '([^/]+)';
      const separator = index === 0 ? '' : '/';
      source += parameter.optional ? `(?:${separator}${group})?` : `${separator}${group}`;
      precedence.push(parameter.catchAll ? 5 : parameter.optional ? 4 : parameter.constraints.length > 0 ? 2 : 3);
      return;
    }
    // A segment mixing literals and parameters (`{name}.{ext}`): parameters are required; the last literal splits, as
    // in ASP.NET Core (`report.final.pdf` → name `report.final`, ext `pdf`).
    let segmentSource = '';
    let rest = segment;
    let hasParameter = false;
    while (rest.length > 0) {
      const open = rest.indexOf('{');
      if (open < 0) {
        segmentSource += escapeRegExp(rest);
        break;
      }
      const close = rest.indexOf('}', open);
      if (close < 0) {
        throw new RouteTemplateError(template, `unclosed "{" in segment "${segment}"`);
      }
      segmentSource += escapeRegExp(rest.slice(0, open));
      const parameter = parseParameter(template, rest.slice(open + 1, close));
      if (parameter.catchAll || parameter.optional) {
        throw new RouteTemplateError(
          template,
          `segment "${segment}" mixes text with an optional or catch-all parameter`,
        );
      }
      parameters.push(parameter);
      segmentSource += '([^/]+)';
      hasParameter = true;
      rest = rest.slice(close + 1);
    }
    if (rest.includes('}')) {
      throw new RouteTemplateError(template, `unbalanced "}" in segment "${segment}"`);
    }
    source += `${index === 0 ? '' : '/'}${segmentSource}`;
    precedence.push(hasParameter ? 2 : 1);
  });
  return { template, regex: new RegExp(`^${source}/?$`, 'i'), parameters, precedence };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * Matches a path (relative to the route prefix, no leading `/`, still URL-encoded) and returns decoded parameters,
 * or `undefined` when the path or a constraint does not match. Absent optional parameters are omitted.
 */
export function matchRoute(route: CompiledRoute, path: string): Record<string, string> | undefined {
  const match = route.regex.exec(path);
  if (!match) {
    return undefined;
  }
  const params: Record<string, string> = {};
  for (let i = 0; i < route.parameters.length; i++) {
    const parameter = route.parameters[i];
    if (!parameter) {
      continue;
    }
    const raw = match[i + 1];
    if (raw === undefined || raw === '') {
      if (!parameter.optional) {
        return undefined;
      }
      if (parameter.defaultValue !== undefined) {
        params[parameter.name] = parameter.defaultValue;
      }
      continue;
    }
    const value = safeDecode(raw);
    if (!parameter.constraints.every((accepts) => accepts(value))) {
      return undefined;
    }
    params[parameter.name] = value;
  }
  return params;
}

/** Orders routes so that more specific templates are tried first. */
export function compareRoutes(a: CompiledRoute, b: CompiledRoute): number {
  const length = Math.max(a.precedence.length, b.precedence.length);
  for (let i = 0; i < length; i++) {
    const x = a.precedence[i] ?? 0;
    const y = b.precedence[i] ?? 0;
    if (x !== y) {
      return x - y;
    }
  }
  return 0;
}
