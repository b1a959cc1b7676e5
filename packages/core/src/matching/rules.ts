import { type CutoverError, MatchingRuleError, RegexUnsupportedError } from '../errors.js';
import { compilePactRegex, RegexIssue } from '../regex/index.js';
import type { MatcherDefinition, MatchingRules, RuleList } from '../model.js';
import { compileDateMatcher } from './matchers/datetime.js';
import { describeValue } from './mismatch.js';
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

/**
 * Every rule error reads `<jsonPath>: expected <what>, got <what was found>` (the pact loader
 * prefixes the source file), like the loader's own errors.
 */
function ruleError(jsonPath: string, expected: string, got: string, rule: unknown, cause?: unknown): MatchingRuleError {
  return new MatchingRuleError(`${jsonPath}: expected ${expected}, got ${got}`, {
    // `jsonPath` locates the rule in the pact; `path` (the rule's own path expression) is added by compileCategory.
    details: { jsonPath, expected, rule },
    ...(cause === undefined ? {} : { cause }),
  });
}

/** `"yyyy-bb" (unsupported pattern letter 'b')`: the offending value and why it was refused. */
function withReason(value: unknown, reason: string): string {
  return `${describeValue(value)} (${reason})`;
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
    throw ruleError(`${jsonPath}.${key}`, `'${key}' to be a non-negative integer`, describeValue(raw), def);
  }
  return n;
}

/**
 * A regex matcher in the dialect pact-reference reads (Ruby/Oniguruma), run in linear time. A
 * pattern that cannot be run does not refuse the pact: the error is thrown when the matcher is
 * applied, so only the interactions that use it end in an `error` outcome. The pattern is compiled
 * then too, on first use: commands that read pacts without matching (`openapi check`, `gate`)
 * never pay for the regex engine.
 */
function compileRegex(source: unknown, def: unknown, jsonPath: string): Matcher {
  if (typeof source !== 'string') {
    throw ruleError(`${jsonPath}.regex`, "a regex matcher's 'regex' string", describeValue(source), def);
  }
  let test: ((value: string) => boolean) | undefined;
  return { type: 'regex', source, test: (value) => (test ??= regexTest(source, def, jsonPath))(value) };
}

function regexTest(source: string, def: unknown, jsonPath: string): (value: string) => boolean {
  try {
    const regex = compilePactRegex(source);
    return (value) => regex.matches(value);
  } catch (issue) {
    if (!(issue instanceof RegexIssue)) throw issue;
    const error = regexError(issue, `${jsonPath}.regex`, def);
    return () => {
      throw error;
    };
  }
}

/** The coded error for a pattern that cannot be run, naming the rule's JSON path and the construct. */
export function regexError(issue: RegexIssue, jsonPath: string, rule: unknown): CutoverError {
  const details = { jsonPath, pattern: issue.pattern, construct: issue.construct, offset: issue.at, rule };
  if (issue.kind === 'invalid') {
    const error = ruleError(
      jsonPath,
      'a valid regular expression (Ruby/Oniguruma syntax, as the Pact reference verifier reads it)',
      withReason(issue.pattern, `${issue.reason}: ${JSON.stringify(issue.construct)} at offset ${issue.at}`),
      rule,
      issue,
    );
    Object.assign(error.details, details);
    return error;
  }
  return new RegexUnsupportedError(
    `${jsonPath}: the regular expression ${JSON.stringify(issue.pattern)} uses ${issue.reason} (${JSON.stringify(issue.construct)} at offset ${issue.at}), which cutover's linear-time regex engine does not run`,
    { details, cause: issue },
  );
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
 * Accepts the spellings pact-reference accepts (`each-key`, `min-type`, `status-code`...).
 *
 * @example
 * compileMatcher({ match: 'min-type', min: 1 }, '$.x') // { type: 'type', min: 1 }
 */
export function compileMatcher(def: unknown, jsonPath: string): Matcher {
  if (def === null || typeof def !== 'object' || Array.isArray(def)) {
    throw ruleError(jsonPath, 'a matcher object', describeValue(def), def);
  }
  const d = def as MatcherDefinition;
  const type = matcherType(d);
  if (type === undefined) {
    throw ruleError(
      jsonPath,
      "a matcher with a 'match' type (its type cannot be guessed from the other keys)",
      describeValue(def),
      def,
    );
  }
  switch (type) {
    case 'equality':
      return { type: 'equality' };
    case 'regex':
      return compileRegex(d.regex, def, jsonPath);
    case 'type':
    case 'min':
    case 'max':
    case 'min-type':
    case 'max-type': {
      const min = optionalCount(d, 'min', jsonPath);
      const max = optionalCount(d, 'max', jsonPath);
      if (type.startsWith('min') && min === undefined) {
        throw ruleError(`${jsonPath}.min`, `a '${type}' matcher's 'min' count`, 'nothing', def);
      }
      if (type.startsWith('max') && max === undefined) {
        throw ruleError(`${jsonPath}.max`, `a '${type}' matcher's 'max' count`, 'nothing', def);
      }
      if (min !== undefined && max !== undefined && min > max) {
        throw ruleError(jsonPath, "'min' to be no greater than 'max'", `min ${min} and max ${max}`, def);
      }
      return { type: 'type', ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }) };
    }
    case 'include':
      if (d.value === undefined || d.value === null) {
        throw ruleError(`${jsonPath}.value`, "an include matcher's 'value'", describeValue(d.value), def);
      }
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
    case 'not-empty':
      return { type: 'notEmpty' };
    case 'real':
      return { type: 'decimal' };
    case 'date':
    case 'time':
    case 'timestamp':
    case 'datetime': {
      const kind = type === 'datetime' ? 'timestamp' : type;
      const key = d.format !== undefined ? 'format' : d[type] !== undefined ? type : kind;
      const raw = d[key];
      if (raw !== undefined && typeof raw !== 'string') {
        throw ruleError(`${jsonPath}.${key}`, 'a date/time format string', describeValue(raw), def);
      }
      try {
        return compileDateMatcher(kind, raw === '' ? undefined : raw);
      } catch (e) {
        throw ruleError(`${jsonPath}.${key}`, 'a Java date/time format', withReason(raw, (e as Error).message), def, e);
      }
    }
    case 'contentType':
    case 'content-type':
      if (typeof d.value !== 'string' || d.value === '') {
        throw ruleError(
          `${jsonPath}.value`,
          "a contentType matcher's 'value' naming the content type",
          describeValue(d.value),
          def,
        );
      }
      return { type: 'contentType', value: d.value };
    case 'eachKey':
    case 'each-key':
      return { type: 'eachKey', rules: compileDefinitionRules(d, type, jsonPath) };
    case 'eachValue':
    case 'each-value':
      return { type: 'eachValue', rules: compileDefinitionRules(d, type, jsonPath) };
    case 'arrayContains':
    case 'array-contains': {
      if (!Array.isArray(d.variants)) {
        throw ruleError(
          `${jsonPath}.variants`,
          `the ${type} matcher's 'variants' list`,
          describeValue(d.variants),
          def,
        );
      }
      const variants = d.variants.map((v: unknown, i: number) => {
        const at = `${jsonPath}.variants[${i}]`;
        if (v === null || typeof v !== 'object' || Array.isArray(v)) {
          throw ruleError(at, 'a variant object { index, rules }', describeValue(v), v);
        }
        const variant = v as { index?: unknown; rules?: unknown };
        const index = toNumber(variant.index);
        if (index === undefined || index < 0) {
          throw ruleError(`${at}.index`, "a variant's non-negative 'index'", describeValue(variant.index), v);
        }
        const rules = variant.rules ?? {};
        if (typeof rules !== 'object' || rules === null || Array.isArray(rules)) {
          throw ruleError(`${at}.rules`, "a variant's 'rules' object", describeValue(rules), v);
        }
        return { index, rules: compileCategory(rules as Record<string, unknown>, `${at}.rules`, true) };
      });
      return { type: 'arrayContains', variants };
    }
    case 'statusCode':
    case 'status-code': {
      const status = d.status;
      // pact-reference reads a statusCode matcher without 'status' as "any success status".
      if (status === undefined || status === null) return { type: 'statusCode', status: 'success' };
      if (typeof status === 'string' && STATUS_CLASSES.includes(status)) return { type: 'statusCode', status };
      if (Array.isArray(status) && status.length > 0 && status.every((s) => toNumber(s) !== undefined)) {
        return { type: 'statusCode', status: status.map((s) => toNumber(s) as number) };
      }
      throw ruleError(
        `${jsonPath}.status`,
        `a statusCode matcher's 'status': one of ${STATUS_CLASSES.join(', ')} or a list of status codes`,
        describeValue(status),
        def,
      );
    }
    default:
      throw ruleError(`${jsonPath}.match`, 'a known matcher type', `the unknown matcher '${type}'`, def);
  }
}

/** eachKey/eachValue carry their own matchers in `rules` (v4) or, in some pacts, `definition.rules`. */
function compileDefinitionRules(d: MatcherDefinition, type: string, jsonPath: string): Matcher[] {
  const holder = (d.definition as { rules?: unknown } | undefined) ?? d;
  const rules = (holder as { rules?: unknown }).rules;
  if (!Array.isArray(rules) || rules.length === 0) {
    throw ruleError(`${jsonPath}.rules`, `the ${type} matcher's non-empty 'rules' list`, describeValue(rules), d);
  }
  return rules.map((r, i) => compileMatcher(r, `${jsonPath}.rules[${i}]`));
}

/** Compiles a rule list `{ matchers, combine }`. */
export function compileRuleList(list: unknown, jsonPath: string): CompiledRuleList {
  if (list === null || typeof list !== 'object' || Array.isArray(list)) {
    throw ruleError(jsonPath, 'a rule list { combine, matchers: [...] }', describeValue(list), list);
  }
  const l = list as Partial<RuleList> & Record<string, unknown>;
  const raw = Array.isArray(l.matchers) ? l.matchers : l.match !== undefined || l.regex !== undefined ? [l] : undefined;
  if (!raw) throw ruleError(`${jsonPath}.matchers`, "a rule list's 'matchers' list", describeValue(l.matchers), list);
  const combine = l.combine === undefined ? 'AND' : String(l.combine).toUpperCase();
  if (combine !== 'AND' && combine !== 'OR') {
    throw ruleError(`${jsonPath}.combine`, "'combine' to be AND or OR", describeValue(l.combine), list);
  }
  return { combine, matchers: raw.map((m, i) => compileMatcher(m, `${jsonPath}.matchers[${i}]`)) };
}

function keyPath(jsonPath: string, key: string): string {
  // `path` and `status` hold their one rule list directly (stored under the key '').
  if (key === '') return jsonPath;
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
      const error = ruleError(at, 'a valid rule path expression', withReason(key, (e as Error).message), list, e);
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

/**
 * Validates every rule of a `MatchingRules` object; throws {@link MatchingRuleError} on the first
 * fault, its message `<source>: <jsonPath>: expected …, got …` when `source` (the pact file) is given.
 *
 * @example
 * validateMatchingRules(response.matchingRules, '$.interactions[0].response.matchingRules', 'pacts/web.json')
 */
export function validateMatchingRules(
  matchingRules: MatchingRules,
  jsonPath = '$.matchingRules',
  source?: string,
): void {
  try {
    for (const category of Object.keys(matchingRules)) rulesFor(matchingRules, category, jsonPath);
  } catch (e) {
    if (!(e instanceof MatchingRuleError) || source === undefined) throw e;
    throw new MatchingRuleError(`${source}: ${e.message}`, { cause: e.cause, details: { source, ...e.details } });
  }
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
