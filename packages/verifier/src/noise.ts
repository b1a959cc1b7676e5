import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConfigError, parseRoutePattern, parseRulePath, parseYaml, pathMatches, routeMatches } from '@cutover/core';
import type { RoutePattern } from '@cutover/core';

/**
 * How a declared noisy body path is compared:
 * - `ignore`: any difference at or under the path is noise;
 * - `type`: values (and array lengths/orders) may differ as long as the type is the same;
 * - `tolerance`: numbers may differ by at most `tolerance`;
 * - `unordered`: an array whose order does not matter; elements are paired by `key` when given,
 *   otherwise by content.
 */
export type NoiseMode = 'ignore' | 'type' | 'tolerance' | 'unordered';

export interface NoiseRule {
  /** A body path in matching-rule syntax: `$.items[*].updatedAt`. */
  path: string;
  mode: NoiseMode;
  tolerance?: number;
  key?: string;
}

/**
 * The noise file (YAML or JSON).
 *
 * @example
 * ignoreHeaders: [x-trace-id]
 * rules:
 *   - { path: "$.generatedAt", mode: ignore }
 * routes:
 *   "GET /shipments/*":
 *     - { path: "$.items", mode: unordered, key: id }
 *     - { path: "$.price", mode: tolerance, tolerance: 0.01 }
 */
export interface NoiseConfig {
  /** Extra response headers left out of parity (added to the hop-by-hop and volatile defaults). */
  ignoreHeaders?: string[];
  /** Rules for every route. */
  rules?: NoiseRule[];
  /** Rules for routes matching a pattern (`GET /shipments/*`, `/shipments/**`). */
  routes?: Record<string, NoiseRule[]>;
}

/** The noise rules that apply to one interaction. */
export interface RouteNoise {
  rules: NoiseRule[];
  ignoreHeaders: Set<string>;
}

const MODES: NoiseMode[] = ['ignore', 'type', 'tolerance', 'unordered'];

function fail(source: string, at: string, message: string, cause?: unknown): never {
  throw new ConfigError(`Noise config ${source} at ${at}: ${message}`, {
    cause,
    details: { file: source, jsonPath: at },
  });
}

function validateRules(value: unknown, source: string, at: string): NoiseRule[] {
  if (!Array.isArray(value)) fail(source, at, 'expected a list of rules');
  return value.map((raw: unknown, index) => {
    const where = `${at}[${index}]`;
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) fail(source, where, 'expected a rule object');
    const rule = raw as Record<string, unknown>;
    if (typeof rule.path !== 'string') fail(source, `${where}.path`, 'expected a path such as "$.items[*].id"');
    try {
      parseRulePath(rule.path);
    } catch (cause) {
      fail(source, `${where}.path`, `invalid path ${JSON.stringify(rule.path)}: ${(cause as Error).message}`, cause);
    }
    if (typeof rule.mode !== 'string' || !MODES.includes(rule.mode as NoiseMode)) {
      fail(source, `${where}.mode`, `expected one of ${MODES.join(', ')}, got ${JSON.stringify(rule.mode)}`);
    }
    const out: NoiseRule = { path: rule.path, mode: rule.mode as NoiseMode };
    if (rule.mode === 'tolerance') {
      if (typeof rule.tolerance !== 'number' || !(rule.tolerance >= 0)) {
        fail(source, `${where}.tolerance`, 'a tolerance rule needs a non-negative number `tolerance`');
      }
      out.tolerance = rule.tolerance;
    }
    if (rule.key !== undefined) {
      if (rule.mode !== 'unordered' || typeof rule.key !== 'string') {
        fail(source, `${where}.key`, '`key` is a field name, only for unordered rules');
      }
      out.key = rule.key;
    }
    return out;
  });
}

/** Validates a parsed noise configuration; `source` names it in error messages. */
export function validateNoiseConfig(value: unknown, source = 'noise config'): NoiseConfig {
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) fail(source, '$', 'expected an object');
  const raw = value as Record<string, unknown>;
  for (const key of Object.keys(raw)) {
    if (!['ignoreHeaders', 'rules', 'routes'].includes(key)) {
      fail(source, `$.${key}`, 'unknown key (expected ignoreHeaders, rules, routes)');
    }
  }
  const config: NoiseConfig = {};
  if (raw.ignoreHeaders !== undefined) {
    if (!Array.isArray(raw.ignoreHeaders) || raw.ignoreHeaders.some((h) => typeof h !== 'string')) {
      fail(source, '$.ignoreHeaders', 'expected a list of header names');
    }
    config.ignoreHeaders = raw.ignoreHeaders as string[];
  }
  if (raw.rules !== undefined) config.rules = validateRules(raw.rules, source, '$.rules');
  if (raw.routes !== undefined) {
    if (!raw.routes || typeof raw.routes !== 'object' || Array.isArray(raw.routes)) {
      fail(source, '$.routes', 'expected an object of route pattern → rules');
    }
    config.routes = {};
    for (const [pattern, rules] of Object.entries(raw.routes as Record<string, unknown>)) {
      config.routes[pattern] = validateRules(rules, source, `$.routes[${JSON.stringify(pattern)}]`);
    }
  }
  return config;
}

/** Reads and validates a YAML or JSON noise file. */
export async function loadNoiseConfig(file: string, cwd = process.cwd()): Promise<NoiseConfig> {
  const path = resolve(cwd, file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new ConfigError(`Noise config ${path} could not be read: ${(cause as Error).message}`, {
      cause,
      details: { file: path },
    });
  }
  return validateNoiseConfig(parseYaml(text, { source: path, what: 'the noise config' }), path);
}

/** Resolves which rules apply to which route, once per run. */
export class NoiseRules {
  private readonly routes: { pattern: RoutePattern; rules: NoiseRule[] }[];
  private readonly global: NoiseRule[];
  private readonly headers: string[];

  constructor(config: NoiseConfig = {}) {
    this.global = config.rules ?? [];
    this.headers = (config.ignoreHeaders ?? []).map((h) => h.toLowerCase());
    this.routes = Object.entries(config.routes ?? {}).map(([pattern, rules]) => ({
      pattern: parseRoutePattern(pattern),
      rules,
    }));
  }

  forRoute(method: string, path: string): RouteNoise {
    const rules = [...this.global];
    for (const route of this.routes) if (routeMatches(route.pattern, method, path)) rules.push(...route.rules);
    return { rules, ignoreHeaders: new Set(this.headers) };
  }
}

/** The first rule of one of `modes` whose path is `segments` or (with `prefixes`) one of its ancestors. */
export function findRule(
  rules: NoiseRule[],
  segments: (string | number)[],
  modes: NoiseMode[],
  prefixes: boolean,
): NoiseRule | undefined {
  for (const rule of rules) {
    if (!modes.includes(rule.mode)) continue;
    if (pathMatches(rule.path, segments)) return rule;
    if (prefixes) {
      for (let length = segments.length - 1; length >= 0; length--) {
        if (pathMatches(rule.path, segments.slice(0, length))) return rule;
      }
    }
  }
  return undefined;
}
