import type { HttpResponse, MatchResult, Mismatch } from '../model.js';
import { normalizeResponse, specMajorOf } from '../pact/http.js';
import { matchBody } from './body/index.js';
import { matchHeaders } from './headers.js';
import { applyRuleList, failureMessage } from './matchers/apply.js';
import { mismatch } from './mismatch.js';
import { observed, type MatchOptions } from './request.js';
import { rulesFor, selectRules } from './rules.js';

/**
 * Matches an actual response against an expected one (internal model). Extra headers and extra
 * keys in JSON objects are allowed; missing ones are mismatches.
 *
 * @example
 * const result = matchHttpResponse(interaction.response, observedResponse({ status: 200, headers, body }));
 * if (!result.ok) for (const m of result.mismatches) console.log(m.message);
 */
export function matchHttpResponse(
  expected: HttpResponse,
  actual: HttpResponse,
  _options: MatchOptions = {},
): MatchResult {
  const mismatches: Mismatch[] = [];
  const statusRules = rulesFor(expected.matchingRules, 'status');
  const statusRule = statusRules.rules.length > 0 ? selectRules(statusRules, ['$']) : undefined;
  if (statusRule) {
    for (const f of applyRuleList(statusRule.list, expected.status, actual.status, false, 'json')) {
      mismatches.push(
        mismatch('status', '$', expected.status, actual.status, failureMessage('the status', f, actual.status)),
      );
    }
  } else if (expected.status !== actual.status) {
    mismatches.push(
      mismatch(
        'status',
        '$',
        expected.status,
        actual.status,
        `Expected status ${expected.status}, but got ${actual.status}`,
      ),
    );
  }
  mismatches.push(...matchHeaders(expected.headers, actual.headers, rulesFor(expected.matchingRules, 'header')));
  mismatches.push(...matchBody(expected, actual, rulesFor(expected.matchingRules, 'body'), true));
  return { ok: mismatches.length === 0, mismatches };
}

/**
 * Matches a response exactly as written in a pact file against an observed one of the same shape.
 *
 * @example
 * matchResponse({ status: 200, body: { id: 1 } }, { status: 200, body: { id: 1, extra: true } }, { specVersion: '3.0.0' }).ok // true
 */
export function matchResponse(expected: unknown, actual: unknown, options: { specVersion: string }): MatchResult {
  const major = specMajorOf(options.specVersion);
  return matchHttpResponse(
    normalizeResponse(expected, major, { jsonPath: '$.expected' }),
    observed(() => normalizeResponse(actual, major), 'response'),
    { specMajor: major },
  );
}
