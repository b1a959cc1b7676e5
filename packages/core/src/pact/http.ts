import {
  GeneratorError,
  LimitExceededError,
  PactLoadError,
  MatchingRuleError,
  UnsupportedSpecError,
} from '../errors.js';
import { exceedsJsonDepth, MAX_JSON_DEPTH } from '../json-depth.js';
import { canonicalGeneratorType, generatorProblem } from '../generators/generate.js';
import { generateFromRegex } from '../generators/regex.js';
import { formatJavaDate } from '../generators/datetime.js';
import type {
  GeneratorDefinition,
  Generators,
  HttpBody,
  HttpRequest,
  HttpResponse,
  MatchingRules,
  RuleList,
  SpecMajor,
} from '../model.js';
import { sniffContentType, contentFamily } from '../matching/matchers/apply.js';
import { describeValue } from '../matching/mismatch.js';
import { parseFormOrQuery } from '../matching/body/form.js';
import { parseJsonKeepingNumbers } from '../matching/body/numbers.js';
import { validateMatchingRules } from '../matching/rules.js';

/** Where a request/response sits, for error messages. */
export interface Location {
  source?: string;
  jsonPath?: string;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What was found, already worded (`the unknown category 'bodyy'`), rather than a value to describe. */
class Found {
  constructor(readonly text: string) {}
}

/**
 * The one wording of load errors (shared with the loader and the rule compiler):
 * `<source>: <jsonPath>: expected <what>, got <what was found>`. `details.jsonPath` is the pure
 * JSON path and `details.source` the file, so reports can show them apart.
 */
function problem(at: Location, suffix: string, expected: string, actual: unknown) {
  const jsonPath = `${at.jsonPath ?? '$'}${suffix}`;
  const got = actual instanceof Found ? actual.text : describeValue(actual);
  return {
    message: `${at.source ? `${at.source}: ` : ''}${jsonPath}: expected ${expected}, got ${got}`,
    details: { ...(at.source ? { source: at.source } : {}), jsonPath, expected },
  };
}

function loadError(at: Location, suffix: string, expected: string, actual: unknown): PactLoadError {
  const { message, details } = problem(at, suffix, expected, actual);
  return new PactLoadError(message, { details });
}

function ruleLoadError(
  at: Location,
  suffix: string,
  expected: string,
  actual: unknown,
  rule: unknown,
): MatchingRuleError {
  const { message, details } = problem(at, suffix, expected, actual);
  return new MatchingRuleError(message, { details: { ...details, rule } });
}

/**
 * The major version of a spec version string: `"2.0.0"` → 2, `"3.0.0"` → 3, `"4.0"` → 4. Pacts
 * of spec 1.x are read as v2 (their shape is a subset).
 */
export function specMajorOf(specVersion: string | number): SpecMajor {
  const major = Number(String(specVersion).trim().replace(/^v/i, '').split('.')[0]);
  if (major === 1 || major === 2) return 2;
  if (major === 3) return 3;
  if (major === 4) return 4;
  throw new UnsupportedSpecError(
    `Unsupported pact specification version '${specVersion}': cutover reads versions 1 to 4`,
    {
      details: { specVersion },
    },
  );
}

function normalizeHeaders(raw: unknown, at: Location): Record<string, string[]> {
  if (raw === undefined || raw === null) return {};
  if (!isObject(raw)) throw loadError(at, '.headers', 'an object of header names to values', raw);
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (typeof value === 'string') out[name] = [value];
    else if (typeof value === 'number' || typeof value === 'boolean') out[name] = [String(value)];
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number'))
      out[name] = value.map(String);
    else throw loadError(at, `.headers['${name}']`, 'a string or a list of strings', value);
  }
  return out;
}

function normalizeQuery(raw: unknown, at: Location): Record<string, string[]> {
  if (raw === undefined || raw === null || raw === '') return {};
  if (typeof raw === 'string') return parseFormOrQuery(raw, false);
  if (!isObject(raw)) throw loadError(at, '.query', 'a query string or an object of names to lists of values', raw);
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (typeof value === 'string' || typeof value === 'number') out[name] = [String(value)];
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number' || v === null)) {
      out[name] = value.map((v) => (v === null ? '' : String(v)));
    } else throw loadError(at, `.query['${name}']`, 'a list of strings', value);
  }
  return out;
}

function headerContentType(headers: Record<string, string[]>): string | undefined {
  for (const [name, values] of Object.entries(headers)) if (name.toLowerCase() === 'content-type') return values[0];
  return undefined;
}

/** Reads a body; JSON nested deeper than MAX_JSON_DEPTH is refused here, before anything walks it. */
function normalizeBody(part: Json, specMajor: SpecMajor, headers: Record<string, string[]>, at: Location): HttpBody {
  const tooDeep = () =>
    loadError(at, '.body', `JSON nested at most ${MAX_JSON_DEPTH} levels deep`, new Found('JSON nested deeper'));
  let body: HttpBody;
  try {
    body = readBody(part, specMajor, headers, at);
  } catch (error) {
    throw error instanceof LimitExceededError ? tooDeep() : error;
  }
  if (body.kind === 'present' && exceedsJsonDepth(body.encoded === 'json' ? parsedOrNull(body.content) : body.content))
    throw tooDeep();
  return body;
}

function parsedOrNull(text: unknown): unknown {
  try {
    return typeof text === 'string' ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

function readBody(part: Json, specMajor: SpecMajor, headers: Record<string, string[]>, at: Location): HttpBody {
  if (!Object.hasOwn(part, 'body')) return { kind: 'absent' };
  const raw = part.body;
  const headerType = headerContentType(headers);
  // A v4 body is { content, contentType, encoded }; a bare list or scalar is read as a v3-style body.
  if (specMajor === 4 && isObject(raw)) {
    if (!Object.hasOwn(raw, 'content')) {
      // `{}` (or only the v4 envelope's own keys) is an absent body; anything else is most likely a
      // v3-style body written into a v4 pact, which would otherwise never be checked.
      const foreign = Object.keys(raw).filter((k) => !V4_BODY_KEYS.has(k));
      if (foreign.length === 0) return { kind: 'absent' };
      throw loadError(at, '.body', 'a v4 body { content, contentType, encoded }', raw);
    }
    const content = raw.content;
    const declared = typeof raw.contentType === 'string' ? raw.contentType : undefined;
    const contentType = declared ?? headerType;
    const enc = raw.encoded;
    let encoded: 'base64' | 'json' | false = false;
    if (enc === true || (typeof enc === 'string' && enc.toLowerCase() === 'base64')) encoded = 'base64';
    else if (typeof enc === 'string' && enc.toLowerCase() === 'json') encoded = 'json';
    else if (enc !== undefined && enc !== false && enc !== null)
      throw loadError(at, '.body.encoded', 'an encoding of false, true, "base64" or "json"', enc);
    if (encoded === 'json') {
      // `encoded: "json"` holds the body as a JSON value; keep the value.
      if (typeof content === 'string') return withType({ kind: 'present', content, encoded: 'json' }, contentType);
      return withType({ kind: 'present', content, encoded: false }, contentType ?? 'application/json');
    }
    if (encoded === 'base64') {
      if (typeof content !== 'string') throw loadError(at, '.body.content', 'base64 content as a string', content);
      return withType({ kind: 'present', content, encoded: 'base64' }, contentType);
    }
    // Unencoded v4 text is the body's raw text: a JSON body given as text is parsed here.
    if (typeof content === 'string' && content !== '' && contentType && contentFamily(contentType) === 'json') {
      try {
        return withType({ kind: 'present', content: parseJsonKeepingNumbers(content), encoded: false }, contentType);
      } catch (error) {
        if (error instanceof LimitExceededError) throw error;
        return withType({ kind: 'present', content, encoded: 'json' }, contentType);
      }
    }
    return withType(
      { kind: 'present', content, encoded: false },
      contentType ?? (typeof content === 'string' || content === null ? undefined : 'application/json'),
    );
  }
  if (raw === null) return withType({ kind: 'present', content: null }, headerType);
  if (typeof raw === 'string') {
    const type = headerType ?? (raw === '' ? undefined : sniffContentType(raw));
    if (raw !== '' && type && contentFamily(type) === 'json') {
      try {
        return withType({ kind: 'present', content: parseJsonKeepingNumbers(raw) }, type);
      } catch (error) {
        if (error instanceof LimitExceededError) throw error;
        return withType({ kind: 'present', content: raw }, type);
      }
    }
    return withType({ kind: 'present', content: raw }, type);
  }
  return withType({ kind: 'present', content: raw }, headerType ?? 'application/json');
}

const V4_BODY_KEYS = new Set(['contentType', 'encoded', 'contentTypeHint']);

function withType(body: Extract<HttpBody, { kind: 'present' }>, contentType: string | undefined): HttpBody {
  return contentType ? { ...body, contentType } : body;
}

/** v2 rules are flat (`$.body.a`, `$.headers.X`, `$.query.q`, `$.path`); sort them into categories. */
function v2Rules(raw: Json, at: Location): MatchingRules {
  const out: MatchingRules = {};
  const add = (category: string, key: string, def: unknown): void => {
    const list: RuleList = { combine: 'AND', matchers: [def as RuleList['matchers'][number]] };
    (out[category] ??= {})[key] = list;
  };
  for (const [key, def] of Object.entries(raw)) {
    let m: RegExpExecArray | null;
    if (key === '$.body' || key.startsWith('$.body.') || key.startsWith('$.body['))
      add('body', `$${key.slice(6)}`, def);
    else if ((m = /^\$\.headers(?:\.(.+)|\['(.+)'\])$/.exec(key))) add('header', (m[1] ?? m[2]) as string, def);
    else if ((m = /^\$\.query(?:\.(.+)|\['(.+)'\])$/.exec(key))) add('query', (m[1] ?? m[2]) as string, def);
    else if (key === '$.path') add('path', '', def);
    else if (key === '$.status') add('status', '', def);
    else {
      const error = ruleLoadError(
        at,
        `.matchingRules['${key}']`,
        'a v2 rule path starting with $.body, $.headers, $.query, $.path or $.status',
        key,
        def,
      );
      (error.details as Record<string, unknown>).path = key;
      throw error;
    }
  }
  return out;
}

const SINGLE_PLACE = new Set(['path', 'status']);
/** The rule categories of an HTTP request/response; any other (`bodyy`) would be silently ignored. */
const HTTP_RULE_CATEGORIES = ['path', 'query', 'header', 'body', 'status'];

function v3Rules(raw: Json, at: Location): MatchingRules {
  const out: MatchingRules = {};
  for (const [category, value] of Object.entries(raw)) {
    if (!HTTP_RULE_CATEGORIES.includes(category)) {
      throw ruleLoadError(
        at,
        `.matchingRules['${category}']`,
        `a matching-rule category (${HTTP_RULE_CATEGORIES.join(', ')})`,
        new Found(`the unknown category '${category}'`),
        value,
      );
    }
    if (!isObject(value)) throw ruleLoadError(at, `.matchingRules.${category}`, 'an object of rules', value, value);
    // `path` and `status` hold one rule list directly; normalise to the single key ''.
    if (SINGLE_PLACE.has(category) && (Array.isArray(value.matchers) || value.match !== undefined)) {
      out[category] = { '': value as unknown as RuleList };
    } else {
      out[category] = value as Record<string, RuleList>;
    }
  }
  return out;
}

function normalizeRules(part: Json, specMajor: SpecMajor, at: Location): MatchingRules {
  const raw = part.matchingRules;
  if (raw === undefined || raw === null) return {};
  if (!isObject(raw)) throw ruleLoadError(at, '.matchingRules', 'an object of rule categories', raw, raw);
  const rules = specMajor === 2 ? v2Rules(raw, at) : v3Rules(raw, at);
  validateMatchingRules(rules, `${at.jsonPath ?? '$'}.matchingRules`, at.source);
  return rules;
}

function normalizeGenerators(part: Json, at: Location): Generators {
  const raw = part.generators;
  if (raw === undefined || raw === null) return {};
  if (!isObject(raw)) throw generatorError(at, '.generators', 'an object of generator categories', raw);
  const out: Generators = {};
  for (const [category, value] of Object.entries(raw)) {
    if (!isObject(value)) throw generatorError(at, `.generators.${category}`, 'an object of generators', value);
    const single = SINGLE_PLACE.has(category) && typeof value.type === 'string';
    const defs = single ? { '': value } : value;
    for (const [key, def] of Object.entries(defs)) {
      validateGenerator(def, at, single ? `.generators.${category}` : `.generators.${category}['${key}']`);
    }
    out[category] = defs as Record<string, GeneratorDefinition>;
  }
  return out;
}

function generatorError(at: Location, suffix: string, expected: string, actual: unknown, cause?: unknown) {
  const { message, details } = problem(at, suffix, expected, actual);
  return new GeneratorError(message, { details, ...(cause === undefined ? {} : { cause }) });
}

/** Refuses at load what would otherwise fail only at replay time, without a JSON path. */
function validateGenerator(def: unknown, at: Location, suffix: string): void {
  if (!isObject(def)) throw generatorError(at, suffix, 'a generator object { type, ... }', def);
  if (typeof def.type !== 'string') throw generatorError(at, `${suffix}.type`, "a generator 'type' string", def.type);
  const type = canonicalGeneratorType(def.type);
  if (type === undefined) {
    throw generatorError(
      at,
      `${suffix}.type`,
      'a known generator type',
      new Found(`the unknown generator '${def.type}'`),
    );
  }
  const limit = generatorProblem(def as GeneratorDefinition);
  if (limit) throw generatorError(at, `${suffix}.${limit.key}`, limit.expected, def[limit.key]);
  if (type === 'Regex' && typeof def.regex === 'string') {
    const drawn = generateFromRegex(def.regex);
    if (drawn instanceof Error) {
      throw generatorError(
        at,
        `${suffix}.regex`,
        'a regex a value can be generated from',
        new Found(drawn.message),
        drawn,
      );
    }
  }
  if ((type === 'Date' || type === 'Time' || type === 'DateTime') && def.format !== undefined) {
    if (typeof def.format !== 'string')
      throw generatorError(at, `${suffix}.format`, 'a date/time format string', def.format);
    try {
      formatJavaDate(new Date(0), def.format);
    } catch (cause) {
      throw generatorError(
        at,
        `${suffix}.format`,
        'a Java date/time format',
        new Found(`${describeValue(def.format)} (${(cause as Error).message})`),
        cause,
      );
    }
  }
}

/**
 * Reads a request exactly as it appears in a pact file of the given spec major into the model.
 * Throws {@link PactLoadError} (or {@link MatchingRuleError}) naming the JSON path.
 *
 * @example
 * normalizeRequest({ method: 'get', path: '/a', query: 'x=1' }, 3)
 * // { method: 'GET', path: '/a', query: { x: ['1'] }, headers: {}, body: { kind: 'absent' }, ... }
 */
export function normalizeRequest(raw: unknown, specMajor: SpecMajor, at: Location = {}): HttpRequest {
  if (!isObject(raw)) throw loadError(at, '', 'a request object', raw);
  const method = raw.method ?? 'GET';
  if (typeof method !== 'string' || method === '') throw loadError(at, '.method', 'an HTTP method', method);
  const path = raw.path ?? '/';
  if (typeof path !== 'string') throw loadError(at, '.path', 'a path string', path);
  const headers = normalizeHeaders(raw.headers, at);
  return {
    method: method.toUpperCase(),
    path,
    query: normalizeQuery(raw.query, at),
    headers,
    body: normalizeBody(raw, specMajor, headers, at),
    matchingRules: normalizeRules(raw, specMajor, at),
    generators: normalizeGenerators(raw, at),
  };
}

/** Reads a response exactly as it appears in a pact file of the given spec major into the model. */
export function normalizeResponse(raw: unknown, specMajor: SpecMajor, at: Location = {}): HttpResponse {
  if (!isObject(raw)) throw loadError(at, '', 'a response object', raw);
  const status = raw.status ?? 200;
  const code = typeof status === 'string' && /^\d{3}$/.test(status) ? Number(status) : status;
  if (typeof code !== 'number' || !Number.isInteger(code) || code < 100 || code > 999) {
    throw loadError(at, '.status', 'an HTTP status code', status);
  }
  const headers = normalizeHeaders(raw.headers, at);
  return {
    status: code,
    headers,
    body: normalizeBody(raw, specMajor, headers, at),
    matchingRules: normalizeRules(raw, specMajor, at),
    generators: normalizeGenerators(raw, at),
  };
}
