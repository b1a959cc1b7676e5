import { MatchingRuleError } from '../errors.js';
import type { MatcherDefinition, MatchingRules, RuleList } from '../model.js';
import { compileDateMatcher } from './matchers/datetime.js';
import type { CompiledRule, CompiledRuleList, CompiledRules, Matcher, SelectedRules } from './matchers/types.js';
import { parseRulePath, pathWeight } from './path.js';

const STATUS_CLASSES = [
  'info',
  'information',
  'success',
  'redirect',
  'clientError',
  'serverError',
  'nonError',
  'error',
];

function ruleError(jsonPath: string, message: string, rule: unknown, cause?: unknown): MatchingRuleError {
  return new MatchingRuleError(`Invalid matching rule at ${jsonPath}: ${message}`, {
    // `jsonPath` locates the rule in the pact; `path` (the rule's own path expression) is added by compileCategory.
    details: { jsonPath, rule },
    ...(cause === undefined ? {} : { cause }),
  });
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) return Number(value);
  return undefined;
}

function optionalCount(def: MatcherDefinition, key: 'min' | 'max', jsonPath: string): number | undefined {
  const raw = def[key];
  if (raw === undefined || raw === null) return undefined;
  const n = toNumber(raw);
  if (n === undefined || n < 0 || !Number.isInteger(n)) {
    throw ruleError(jsonPath, `'${key}' must be a non-negative integer, got ${JSON.stringify(raw)}`, def);
  }
  return n;
}

function compileRegex(source: unknown, def: unknown, jsonPath: string): RegExp {
  if (typeof source !== 'string') throw ruleError(jsonPath, "regex matcher needs a 'regex' string", def);
  try {
    // The whole value must match (the spec cases require it: `named .{4}` does not match `named brent`).
    return new RegExp(`^(?:${source})$`, 'u');
  } catch (unicodeError) {
    try {
      return new RegExp(`^(?:${source})$`);
    } catch {
      throw ruleError(jsonPath, `invalid regular expression ${JSON.stringify(source)}`, def, unicodeError);
    }
  }
}

/** The matcher type named by a definition, resolving the aliases pact-reference accepts. */
function matcherType(def: MatcherDefinition): string | undefined {
  const raw = def.match ?? (def as Record<string, unknown>)['pact:matcher:type'];
  if (raw !== undefined) return String(raw);
  // v2 rules and hand-written v3 rules without `match`: guess as pact-reference does.
  if (def.regex !== undefined) return 'regex';
  if (def.min !== undefined) return 'type';
  if (def.max !== undefined) return 'type';
  if (def.timestamp !== undefined) return 'timestamp';
  if (def.time !== undefined) return 'time';
  if (def.date !== undefined) return 'date';
  return undefined;
}

/**
 * Validates one matcher definition and compiles it. `jsonPath` locates the definition in the pact
 * (e.g. `$.interactions[0].response.matchingRules.body['$.id'].matchers[0]`) for error messages.
 */
export function compileMatcher(def: unknown, jsonPath: string): Matcher {
  if (def === null || typeof def !== 'object' || Array.isArray(def)) {
    throw ruleError(jsonPath, 'a matcher must be an object', def);
  }
  const d = def as MatcherDefinition;
  const type = matcherType(d);
  if (type === undefined) throw ruleError(jsonPath, "matcher has no 'match' field and its type cannot be guessed", def);
  switch (type) {
    case 'equality':
      return { type: 'equality' };
    case 'regex':
      return { type: 'regex', regex: compileRegex(d.regex, def, jsonPath), source: String(d.regex) };
    case 'type':
    case 'min':
    case 'max': {
      const min = optionalCount(d, 'min', jsonPath);
      const max = optionalCount(d, 'max', jsonPath);
      if (type === 'min' && min === undefined) throw ruleError(jsonPath, "min matcher needs a 'min' value", def);
      if (type === 'max' && max === undefined) throw ruleError(jsonPath, "max matcher needs a 'max' value", def);
      if (min !== undefined && max !== undefined && min > max) {
        throw ruleError(jsonPath, `'min' (${min}) is greater than 'max' (${max})`, def);
      }
      return { type: 'type', ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }) };
    }
    case 'include':
      if (d.value === undefined || d.value === null) throw ruleError(jsonPath, "include matcher needs a 'value'", def);
      return { type: 'include', value: String(d.value) };
    case 'integer':
    case 'decimal':
    case 'number':
    case 'boolean':
    case 'null':
    case 'values':
    case 'notEmpty':
    case 'semver':
      return { type };
    case 'real':
      return { type: 'decimal' };
    case 'date':
    case 'time':
    case 'timestamp':
    case 'datetime': {
      const kind = type === 'datetime' ? 'timestamp' : type;
      const raw = d.format ?? d[type] ?? d[kind];
      if (raw !== undefined && typeof raw !== 'string') throw ruleError(jsonPath, `'format' must be a string`, def);
      try {
        return compileDateMatcher(kind, raw === '' ? undefined : raw);
      } catch (e) {
        throw ruleError(jsonPath, (e as Error).message, def, e);
      }
    }
    case 'contentType':
    case 'content-type':
      if (typeof d.value !== 'string' || d.value === '') {
        throw ruleError(jsonPath, "contentType matcher needs a 'value' naming the content type", def);
      }
      return { type: 'contentType', value: d.value };
    case 'eachKey':
    case 'eachValue':
      return { type, rules: compileDefinitionRules(d, jsonPath) };
    case 'arrayContains': {
      if (!Array.isArray(d.variants)) throw ruleError(jsonPath, "arrayContains matcher needs a 'variants' list", def);
      const variants = d.variants.map((v: unknown, i: number) => {
        const at = `${jsonPath}.variants[${i}]`;
        if (v === null || typeof v !== 'object') throw ruleError(at, 'a variant must be an object', v);
        const variant = v as { index?: unknown; rules?: unknown };
        const index = toNumber(variant.index);
        if (index === undefined || index < 0) throw ruleError(at, "a variant needs a non-negative 'index'", v);
        const rules = variant.rules ?? {};
        if (typeof rules !== 'object' || Array.isArray(rules)) throw ruleError(at, "'rules' must be an object", v);
        return { index, rules: compileCategory(rules as Record<string, unknown>, `${at}.rules`, true) };
      });
      return { type: 'arrayContains', variants };
    }
    case 'statusCode': {
      const status = d.status;
      if (typeof status === 'string' && STATUS_CLASSES.includes(status)) return { type: 'statusCode', status };
      if (Array.isArray(status) && status.length > 0 && status.every((s) => toNumber(s) !== undefined)) {
        return { type: 'statusCode', status: status.map((s) => toNumber(s) as number) };
      }
      throw ruleError(
        jsonPath,
        `statusCode matcher needs 'status': one of ${STATUS_CLASSES.join(', ')} or a list of status codes`,
        def,
      );
    }
    default:
      throw ruleError(jsonPath, `unknown matcher '${type}'`, def);
  }
}

/** eachKey/eachValue carry their own matchers in `rules` (v4) or, in some pacts, `definition.rules`. */
function compileDefinitionRules(d: MatcherDefinition, jsonPath: string): Matcher[] {
  const holder = (d.definition as { rules?: unknown } | undefined) ?? d;
  const rules = (holder as { rules?: unknown }).rules;
  if (!Array.isArray(rules) || rules.length === 0) {
    throw ruleError(jsonPath, `${String(d.match)} matcher needs a non-empty 'rules' list`, d);
  }
  return rules.map((r, i) => compileMatcher(r, `${jsonPath}.rules[${i}]`));
}

/** Compiles a rule list `{ matchers, combine }`. */
export function compileRuleList(list: unknown, jsonPath: string): CompiledRuleList {
  if (list === null || typeof list !== 'object') throw ruleError(jsonPath, 'expected { matchers: [...] }', list);
  const l = list as Partial<RuleList> & Record<string, unknown>;
  const raw = Array.isArray(l.matchers) ? l.matchers : l.match !== undefined || l.regex !== undefined ? [l] : undefined;
  if (!raw) throw ruleError(jsonPath, "expected a 'matchers' list", list);
  const combine = l.combine === undefined ? 'AND' : String(l.combine).toUpperCase();
  if (combine !== 'AND' && combine !== 'OR')
    throw ruleError(jsonPath, `'combine' must be AND or OR, got ${String(l.combine)}`, list);
  return { combine, matchers: raw.map((m, i) => compileMatcher(m, `${jsonPath}.matchers[${i}]`)) };
}

function keyPath(jsonPath: string, key: string): string {
  return `${jsonPath}['${key}']`;
}

/**
 * Compiles one category of rules. Body rules (and any key starting with `$`) are path
 * expressions; other keys are names (header, query parameter) matched as a single field.
 */
export function compileCategory(
  category: Record<string, unknown> | undefined,
  jsonPath: string,
  keysArePaths: boolean,
): CompiledRules {
  const rules: CompiledRule[] = [];
  if (!category) return { rules };
  for (const [key, list] of Object.entries(category)) {
    const at = keyPath(jsonPath, key);
    let expression: string;
    if (keysArePaths || key.startsWith('$')) expression = key === '' ? '$' : key;
    else expression = `$['${key}']`;
    let tokens;
    try {
      tokens = parseRulePath(expression);
    } catch (e) {
      const error = ruleError(at, (e as Error).message, list, e);
      (error.details as Record<string, unknown>).path = key;
      throw error;
    }
    let compiled: CompiledRuleList;
    try {
      compiled = compileRuleList(list, at);
    } catch (e) {
      if (e instanceof MatchingRuleError) (e.details as Record<string, unknown>).path = key;
      throw e;
    }
    rules.push({ expression, tokens, list: compiled });
  }
  return { rules };
}

const compiledCache = new WeakMap<object, Map<string, CompiledRules>>();

/** Compiles (once per rules object) the category of a request/response's matching rules. */
export function rulesFor(
  matchingRules: MatchingRules,
  category: string,
  jsonPath = '$.matchingRules',
  keysArePaths = category === 'body' || category === 'metadata' || category === 'path' || category === 'status',
): CompiledRules {
  let byCategory = compiledCache.get(matchingRules);
  if (!byCategory) {
    byCategory = new Map();
    compiledCache.set(matchingRules, byCategory);
  }
  let compiled = byCategory.get(category);
  if (!compiled) {
    compiled = compileCategory(matchingRules[category], `${jsonPath}.${category}`, keysArePaths);
    if (category === 'header') compiled = lowerCaseNames(compiled);
    byCategory.set(category, compiled);
  }
  return compiled;
}

/** Header names are case-insensitive: rules are keyed and looked up in lower case. */
function lowerCaseNames(rules: CompiledRules): CompiledRules {
  return {
    rules: rules.rules.map((r) => ({
      ...r,
      tokens: r.tokens.map((t, i) =>
        i === 1 && t.kind === 'field' ? { kind: 'field', name: t.name.toLowerCase() } : t,
      ),
    })),
  };
}

/** Validates every rule of a `MatchingRules` object; throws {@link MatchingRuleError} on the first fault. */
export function validateMatchingRules(matchingRules: MatchingRules, jsonPath = '$.matchingRules'): void {
  for (const category of Object.keys(matchingRules)) rulesFor(matchingRules, category, jsonPath);
}

/** The most specific rule list for a path (highest weight, then longest expression), or undefined. */
export function selectRules(rules: CompiledRules, path: readonly (string | number)[]): SelectedRules | undefined {
  let best: CompiledRule | undefined;
  let bestWeight = 0;
  for (const rule of rules.rules) {
    const w = pathWeight(rule.tokens, path);
    if (w === 0) continue;
    if (w > bestWeight || (w === bestWeight && best && rule.tokens.length > best.tokens.length)) {
      best = rule;
      bestWeight = w;
    }
  }
  if (!best) return undefined;
  return { list: best.list, cascaded: best.tokens.length < path.length, expression: best.expression };
}

/** True when any rule applies at the path (directly or cascading from an ancestor). */
export function hasRules(rules: CompiledRules, path: readonly (string | number)[]): boolean {
  for (const rule of rules.rules) if (pathWeight(rule.tokens, path) > 0) return true;
  return false;
}

const TYPE_LIKE = new Set(['type', 'values', 'eachValue', 'eachKey', 'arrayContains']);

/** True when a type-like matcher (type, min/max, values, eachValue...) applies at the path. */
export function typeMatcherDefined(rules: CompiledRules, path: readonly (string | number)[]): boolean {
  for (const rule of rules.rules) {
    if (pathWeight(rule.tokens, path) > 0 && rule.list.matchers.some((m) => TYPE_LIKE.has(m.type))) return true;
  }
  return false;
}

export const EMPTY_RULES: CompiledRules = { rules: [] };
