import { ObservedInvalidError, isCutoverError } from '../errors.js';
import type { HttpRequest, MatchResult, Mismatch, SpecMajor } from '../model.js';
import { normalizeRequest, specMajorOf } from '../pact/http.js';
import { matchBody } from './body/index.js';
import { matchHeaders } from './headers.js';
import { applyRuleList, failureMessage } from './matchers/apply.js';
import { mismatch } from './mismatch.js';
import { compareMultiValues } from './multi.js';
import { rulesFor, selectRules } from './rules.js';

export interface MatchOptions {
  /**
   * Spec major the expectation was written for. The engine applies v3/v4 semantics to every
   * pact (v2 rules are translated on loading), so this is informational today.
   */
  specMajor?: SpecMajor;
}

/**
 * Matches an actual request against an expected one (both in the internal model) with the Pact
 * specification's semantics. Requests may not carry query parameters or body keys the pact does
 * not mention; extra headers are fine.
 *
 * @example
 * const { ok, mismatches } = matchHttpRequest(interaction.request, observed);
 */
export function matchHttpRequest(expected: HttpRequest, actual: HttpRequest, _options: MatchOptions = {}): MatchResult {
  const mismatches: Mismatch[] = [];
  if (expected.method.toUpperCase() !== actual.method.toUpperCase()) {
    mismatches.push(
      mismatch(
        'method',
        '$',
        expected.method,
        actual.method,
        `Expected method ${expected.method.toUpperCase()}, but got ${actual.method.toUpperCase()}`,
      ),
    );
  }
  const pathRules = rulesFor(expected.matchingRules, 'path');
  const pathRule = pathRules.rules.length > 0 ? selectRules(pathRules, ['$']) : undefined;
  if (pathRule) {
    for (const f of applyRuleList(pathRule.list, expected.path, actual.path, false, 'text')) {
      mismatches.push(mismatch('path', '$', expected.path, actual.path, failureMessage('the path', f, actual.path)));
    }
  } else if (expected.path !== actual.path) {
    mismatches.push(
      mismatch(
        'path',
        '$',
        expected.path,
        actual.path,
        `Expected path ${JSON.stringify(expected.path)}, but got ${JSON.stringify(actual.path)}`,
      ),
    );
  }
  compareMultiValues(expected.query, actual.query, {
    kind: 'query',
    noun: 'query parameter',
    rules: rulesFor(expected.matchingRules, 'query'),
    allowUnexpected: false,
    mismatches,
  });
  mismatches.push(...matchHeaders(expected.headers, actual.headers, rulesFor(expected.matchingRules, 'header')));
  mismatches.push(...matchBody(expected, actual, rulesFor(expected.matchingRules, 'body'), false));
  return { ok: mismatches.length === 0, mismatches };
}

/**
 * Reads the observed (actual) side of a match. Its faults are not the pact's: they are reported as
 * {@link ObservedInvalidError} saying the actual request/response is malformed.
 */
export function observed<T>(read: () => T, what: 'request' | 'response'): T {
  try {
    return read();
  } catch (e) {
    if (!isCutoverError(e)) throw e;
    throw new ObservedInvalidError(`The actual ${what} is malformed: ${e.message}`, {
      cause: e,
      details: { ...e.details, side: 'actual' },
    });
  }
}

/**
 * Matches a request exactly as written in a pact file (`expected`, with its `matchingRules`)
 * against an observed one of the same shape, for the pact's spec version (`"3.0.0"`, `"4.0"`).
 *
 * @example
 * matchRequest({ method: 'GET', path: '/a' }, { method: 'get', path: '/a' }, { specVersion: '3.0.0' }).ok // true
 */
export function matchRequest(expected: unknown, actual: unknown, options: { specVersion: string }): MatchResult {
  const major = specMajorOf(options.specVersion);
  return matchHttpRequest(
    normalizeRequest(expected, major, { jsonPath: '$.expected' }),
    observed(() => normalizeRequest(actual, major), 'request'),
    { specMajor: major },
  );
}
