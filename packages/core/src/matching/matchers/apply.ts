import type validSemverFunction from 'semver/functions/valid.js';
import { bytesAsText, describeBytes, sniffBinary } from '../binary.js';
import { describeValue, show, typeName } from '../mismatch.js';
import type { CompiledRuleList, Matcher } from './types.js';
import { decimalKey } from '../body/numbers.js';
import { lazyRequire } from '../../lazy-require.js';

// semver builds some forty regular expressions when loaded: only pacts with semver matchers pay.
const validSemver = lazyRequire<typeof validSemverFunction>('semver/functions/valid.js');

/**
 * Why a value failed a matcher: the expectation ("to be an integer") and, when the default
 * rendering of the actual value is not the useful part, what was found instead.
 */
export interface Failure {
  expectation: string;
  found?: string;
}

/** JSON number literals JSON.parse changed (`1e400`, `9007199254740993`): matched and shown as written. */
export interface NumberLiterals {
  expected?: string | undefined;
  actual?: string | undefined;
}

/**
 * How the value being checked was carried: JSON keeps types, text contexts (headers, query, XML)
 * only have strings; `json-decimal` is a JSON number written with a fraction (`10.0`) that parsed
 * to a whole value.
 */
export type ValueMode = 'json' | 'json-decimal' | 'text';

function isInteger(value: unknown, mode: ValueMode): boolean {
  if (typeof value === 'number') return Number.isInteger(value) && mode !== 'json-decimal';
  return mode === 'text' && typeof value === 'string' && /^[-+]?\d+$/.test(value);
}

function isDecimal(value: unknown, mode: ValueMode): boolean {
  if (typeof value === 'number') return Number.isFinite(value) && (!Number.isInteger(value) || mode === 'json-decimal');
  return mode === 'text' && typeof value === 'string' && /^[-+]?\d*\.\d+(?:[eE][-+]?\d+)?$/.test(value);
}

function isNumber(value: unknown, mode: ValueMode): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  return mode === 'text' && typeof value === 'string' && /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/.test(value);
}

/** Text form of a value for regex/include/date matching (pact-reference renders non-strings as JSON). */
export function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  if (value === undefined) return '';
  return JSON.stringify(value);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ak = Object.keys(a as object);
  const bk = Object.keys(b as object);
  if (ak.length !== bk.length) return false;
  for (const k of ak) {
    if (!Object.hasOwn(b as object, k)) return false;
    if (!deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

function hasControlCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 9 || (c > 13 && c < 32)) return true;
  }
  return false;
}

/**
 * Sniffs the type of a body-like value: JSON, XML, HTML or plain text; for bytes (a decoded base64
 * body), the binary type their magic number names (PNG, JPEG, GIF, WebP, PDF, ZIP, gzip...).
 */
export function sniffContentType(value: unknown): string {
  if (value instanceof Uint8Array) {
    const binary = sniffBinary(value);
    if (binary) return binary;
    const text = bytesAsText(value);
    return text === undefined ? 'application/octet-stream' : sniffContentType(text);
  }
  if (typeof value !== 'string') return value === undefined ? 'application/octet-stream' : 'application/json';
  const text = value.trimStart();
  if (/^<\?xml|^<[A-Za-z_][\w.:-]*[\s/>]/.test(text))
    return /^<!doctype html|^<html[\s>]/i.test(text) ? 'text/html' : 'application/xml';
  if (/^<!doctype html/i.test(text)) return 'text/html';
  if (/^[{[]/.test(text)) {
    try {
      JSON.parse(text);
      return 'application/json';
    } catch {
      /* not JSON after all */
    }
  }
  // Control characters other than whitespace mean binary data.
  return hasControlCharacters(value) ? 'application/octet-stream' : 'text/plain';
}

/** `application/hal+json; charset=utf-8` → `json`; `text/xml` → `xml`; others their lower-cased base type. */
export function contentFamily(contentType: string): string {
  const base = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  if (base === 'application/json' || base.endsWith('+json') || base === 'text/json') return 'json';
  if (base === 'application/xml' || base === 'text/xml' || base.endsWith('+xml')) return 'xml';
  return base;
}

const STATUS_RANGES: Record<string, (s: number) => boolean> = {
  info: (s) => s >= 100 && s < 200,
  information: (s) => s >= 100 && s < 200,
  success: (s) => s >= 200 && s < 300,
  redirect: (s) => s >= 300 && s < 400,
  clientError: (s) => s >= 400 && s < 500,
  serverError: (s) => s >= 500 && s < 600,
  nonError: (s) => s < 400,
  error: (s) => s >= 400,
};

/**
 * Applies one matcher to a value. Returns undefined when it matches, otherwise what was expected.
 * `cascaded` is true when the matcher was inherited from an ancestor path; min/max then do not
 * apply (they constrain the list they were declared on, not its items).
 */
export function applyMatcher(
  matcher: Matcher,
  expected: unknown,
  actual: unknown,
  cascaded: boolean,
  mode: ValueMode = 'json',
  literals?: NumberLiterals,
): Failure | undefined {
  switch (matcher.type) {
    case 'equality': {
      const equal =
        literals !== undefined && typeof expected === 'number' && typeof actual === 'number'
          ? decimalKey(literals.expected ?? String(expected)) === decimalKey(literals.actual ?? String(actual))
          : deepEqual(expected, actual);
      return equal ? undefined : { expectation: `to equal ${literals?.expected ?? show(expected)}` };
    }
    case 'regex':
      if (actual === undefined || (mode !== 'text' && typeof actual === 'object' && actual !== null))
        return { expectation: `to match the regular expression /${matcher.source}/` };
      return matcher.test(literals?.actual ?? asText(actual))
        ? undefined
        : { expectation: `to match the regular expression /${matcher.source}/` };
    case 'type': {
      if (mode !== 'text' && typeName(expected) !== typeName(actual)) {
        return { expectation: `to be a ${typeName(expected)} (like ${literals?.expected ?? show(expected)})` };
      }
      if (!cascaded && Array.isArray(actual)) {
        if (matcher.min !== undefined && actual.length < matcher.min)
          return { expectation: `to have at least ${matcher.min} item${matcher.min === 1 ? '' : 's'}` };
        if (matcher.max !== undefined && actual.length > matcher.max)
          return { expectation: `to have at most ${matcher.max} item${matcher.max === 1 ? '' : 's'}` };
      }
      return undefined;
    }
    case 'include':
      return actual !== undefined && actual !== null && (literals?.actual ?? asText(actual)).includes(matcher.value)
        ? undefined
        : { expectation: `to include ${JSON.stringify(matcher.value)}` };
    case 'integer':
      return isInteger(actual, mode) ? undefined : { expectation: 'to be an integer' };
    case 'decimal':
      return isDecimal(actual, mode) ? undefined : { expectation: 'to be a decimal number' };
    case 'number':
      return isNumber(actual, mode) ? undefined : { expectation: 'to be a number' };
    case 'boolean':
      return typeof actual === 'boolean' || (typeof actual === 'string' && (actual === 'true' || actual === 'false'))
        ? undefined
        : { expectation: 'to be a boolean' };
    case 'null':
      return actual === null ? undefined : { expectation: 'to be null' };
    case 'date':
    case 'time':
    case 'timestamp': {
      const what = matcher.type === 'timestamp' ? 'a date-time' : `a ${matcher.type}`;
      const format = matcher.format ? ` in the format '${matcher.format}'` : ' in ISO 8601 format';
      return typeof actual === 'string' && matcher.test(actual) ? undefined : { expectation: `to be ${what}${format}` };
    }
    case 'contentType': {
      const found = sniffContentType(actual);
      if (contentFamily(found) === contentFamily(matcher.value)) return undefined;
      return {
        expectation: `to have content type ${matcher.value}`,
        found: actual instanceof Uint8Array ? describeBytes(actual, found) : `content of type ${found}`,
      };
    }
    case 'notEmpty': {
      const empty =
        actual === undefined ||
        actual === null ||
        actual === '' ||
        (Array.isArray(actual) && actual.length === 0) ||
        (typeof actual === 'object' && actual !== null && !Array.isArray(actual) && Object.keys(actual).length === 0);
      return empty ? { expectation: 'to be present and not empty' } : undefined;
    }
    case 'semver':
      return typeof actual === 'string' && validSemver()(actual) !== null
        ? undefined
        : { expectation: 'to be a semantic version (like 1.2.3)' };
    case 'statusCode': {
      const status = typeof actual === 'number' ? actual : Number(actual);
      if (Array.isArray(matcher.status)) {
        return matcher.status.includes(status)
          ? undefined
          : { expectation: `to be one of ${matcher.status.join(', ')}` };
      }
      const test = STATUS_RANGES[matcher.status];
      return test && test(status) ? undefined : { expectation: `to be a ${matcher.status} status` };
    }
    case 'values':
    case 'eachKey':
    case 'eachValue':
    case 'arrayContains':
      // Structural matchers: the body walkers apply them to keys and items. On a value that is not a
      // collection they only check the kind.
      if (
        mode !== 'text' &&
        typeName(expected) !== typeName(actual) &&
        (typeof actual !== 'object' || actual === null)
      ) {
        return { expectation: `to be a ${typeName(expected)}` };
      }
      return undefined;
  }
}

/** Applies a rule list (AND: every matcher; OR: at least one). Returns the failures, empty when it matches. */
export function applyRuleList(
  list: CompiledRuleList,
  expected: unknown,
  actual: unknown,
  cascaded: boolean,
  mode: ValueMode = 'json',
  literals?: NumberLiterals,
): Failure[] {
  const failures: Failure[] = [];
  for (const matcher of list.matchers) {
    const failure = applyMatcher(matcher, expected, actual, cascaded, mode, literals);
    if (failure) {
      failures.push(failure);
    } else if (list.combine === 'OR') {
      return [];
    }
  }
  if (list.combine === 'OR' && failures.length > 1) {
    return [{ expectation: failures.map((f) => f.expectation).join(', or ') }];
  }
  return failures;
}

/** The sentence for a failure: `Expected $.id to be an integer, but got the string "7"`. */
export function failureMessage(where: string, failure: Failure, actual: unknown): string {
  return `Expected ${where} ${failure.expectation}, but got ${failure.found ?? describeValue(actual)}`;
}
