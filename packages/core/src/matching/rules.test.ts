import { describe, expect, it } from 'vitest';
import { ErrorCodes, MatchingRuleError } from '../errors.js';
import { normalizeResponse } from '../pact/http.js';
import { compileMatcher, compileRuleList, validateMatchingRules } from './rules.js';

function errorOf(fn: () => unknown): MatchingRuleError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(MatchingRuleError);
    return e as MatchingRuleError;
  }
  throw new Error('expected a MatchingRuleError');
}

describe('compileMatcher', () => {
  it('accepts the aliases pact-reference accepts', () => {
    expect(compileMatcher({ match: 'datetime', format: 'yyyy' }, '$').type).toBe('timestamp');
    expect(compileMatcher({ match: 'timestamp', timestamp: 'yyyy' }, '$')).toMatchObject({
      type: 'timestamp',
      format: 'yyyy',
    });
    expect(compileMatcher({ match: 'date', date: 'dd/MM/yyyy' }, '$')).toMatchObject({
      type: 'date',
      format: 'dd/MM/yyyy',
    });
    expect(compileMatcher({ match: 'time', time: 'HH:mm' }, '$')).toMatchObject({ type: 'time', format: 'HH:mm' });
    expect(compileMatcher({ match: 'real' }, '$').type).toBe('decimal');
    expect(compileMatcher({ match: 'content-type', value: 'text/plain' }, '$').type).toBe('contentType');
    expect(compileMatcher({ match: 'min', min: 1 }, '$')).toEqual({ type: 'type', min: 1 });
    expect(compileMatcher({ match: 'max', max: '3' }, '$')).toEqual({ type: 'type', max: 3 });
    expect(compileMatcher({ 'pact:matcher:type': 'integer' } as never, '$').type).toBe('integer');
    expect(compileMatcher({ match: 'each-key', rules: [{ match: 'regex', regex: '[a-z]+' }] }, '$').type).toBe(
      'eachKey',
    );
    expect(compileMatcher({ match: 'each-value', rules: [{ match: 'type' }] }, '$').type).toBe('eachValue');
    expect(compileMatcher({ match: 'array-contains', variants: [{ index: 0 }] }, '$').type).toBe('arrayContains');
    expect(compileMatcher({ match: 'not-empty' }, '$')).toEqual({ type: 'notEmpty' });
    expect(compileMatcher({ match: 'status-code', status: 'error' }, '$')).toEqual({
      type: 'statusCode',
      status: 'error',
    });
    expect(compileMatcher({ match: 'min-type', min: 1 }, '$')).toEqual({ type: 'type', min: 1 });
    expect(compileMatcher({ match: 'max-type', max: 2 }, '$')).toEqual({ type: 'type', max: 2 });
    expect(compileMatcher({ match: 'statusCode' }, '$')).toEqual({ type: 'statusCode', status: 'success' });
  });

  // Every hyphenated spelling pact-reference's MatchingRule::create accepts compiles to the same matcher.
  it.each([
    [
      { match: 'each-key', rules: [{ match: 'regex', regex: '[a-z]+' }] },
      { match: 'eachKey', rules: [{ match: 'regex', regex: '[a-z]+' }] },
    ],
    [
      { match: 'each-value', rules: [{ match: 'type' }] },
      { match: 'eachValue', rules: [{ match: 'type' }] },
    ],
    [
      { match: 'array-contains', variants: [{ index: 0, rules: { '$.id': { matchers: [{ match: 'integer' }] } } }] },
      { match: 'arrayContains', variants: [{ index: 0, rules: { '$.id': { matchers: [{ match: 'integer' }] } } }] },
    ],
    [{ match: 'not-empty' }, { match: 'notEmpty' }],
    [
      { match: 'status-code', status: [200, 201] },
      { match: 'statusCode', status: [200, 201] },
    ],
    [
      { match: 'status-code', status: 'clientError' },
      { match: 'statusCode', status: 'clientError' },
    ],
    [
      { match: 'min-type', min: 2 },
      { match: 'type', min: 2 },
    ],
    [
      { match: 'max-type', max: 5 },
      { match: 'type', max: 5 },
    ],
    [
      { match: 'content-type', value: 'image/png' },
      { match: 'contentType', value: 'image/png' },
    ],
    [
      { match: 'datetime', format: 'yyyy' },
      { match: 'timestamp', format: 'yyyy' },
    ],
    [{ match: 'real' }, { match: 'decimal' }],
    [
      { match: 'min', min: 1 },
      { match: 'type', min: 1 },
    ],
    [
      { match: 'max', max: 1 },
      { match: 'type', max: 1 },
    ],
  ])('compiles the alias %j like %j', (alias, canonical) => {
    const strip = (m: unknown) => JSON.parse(JSON.stringify(m, (k, v: unknown) => (k === 'test' ? undefined : v)));
    expect(strip(compileMatcher(alias, '$'))).toEqual(strip(compileMatcher(canonical, '$')));
    expect(compileMatcher(alias, '$').type).toBe(compileMatcher(canonical, '$').type);
  });

  it('reads a statusCode matcher without "status" as any success status, as pact-reference does', () => {
    expect(compileMatcher({ match: 'statusCode' }, '$')).toEqual({ type: 'statusCode', status: 'success' });
    expect(compileMatcher({ match: 'status-code' }, '$')).toEqual({ type: 'statusCode', status: 'success' });
  });

  it('refuses min-type/max-type without their count', () => {
    expect(errorOf(() => compileMatcher({ match: 'min-type' }, '$.m')).message).toBe(
      "$.m.min: expected a 'min-type' matcher's 'min' count, got nothing",
    );
    expect(errorOf(() => compileMatcher({ match: 'max-type', max: 'x' }, '$.m')).message).toBe(
      '$.m.max: expected \'max\' to be a non-negative integer, got the string "x"',
    );
  });

  it('guesses the matcher of v2 rules without "match"', () => {
    expect(compileMatcher({ regex: '\\d+' } as never, '$').type).toBe('regex');
    expect(compileMatcher({ min: 2 } as never, '$')).toEqual({ type: 'type', min: 2 });
    expect(compileMatcher({ max: 2 } as never, '$')).toEqual({ type: 'type', max: 2 });
    expect(compileMatcher({ timestamp: 'yyyy' } as never, '$').type).toBe('timestamp');
    expect(compileMatcher({ date: 'yyyy' } as never, '$').type).toBe('date');
    expect(compileMatcher({ time: 'HH' } as never, '$').type).toBe('time');
  });

  // One wording for every rule error: `<jsonPath>: expected <what>, got <what was found>`.
  it.each([
    [{ match: 'fuzzy' }, ".match: expected a known matcher type, got the unknown matcher 'fuzzy'"],
    [{ match: 'regex' }, ".regex: expected a regex matcher's 'regex' string, got nothing"],
    [{ match: 'type', min: 3, max: 1 }, ": expected 'min' to be no greater than 'max', got min 3 and max 1"],
    [{ match: 'type', min: -1 }, ".min: expected 'min' to be a non-negative integer, got the number -1"],
    [{ match: 'type', min: 'lots' }, '.min: expected \'min\' to be a non-negative integer, got the string "lots"'],
    [{ match: 'include' }, ".value: expected an include matcher's 'value', got nothing"],
    [{ match: 'contentType' }, ".value: expected a contentType matcher's 'value' naming the content type, got nothing"],
    [{ match: 'statusCode', status: 'fine' }, ".status: expected a statusCode matcher's 'status': one of info"],
    [{ match: 'arrayContains' }, ".variants: expected the arrayContains matcher's 'variants' list, got nothing"],
    [
      { match: 'arrayContains', variants: [{ rules: {} }] },
      ".variants[0].index: expected a variant's non-negative 'index', got nothing",
    ],
    [{ match: 'eachKey' }, ".rules: expected the eachKey matcher's non-empty 'rules' list, got nothing"],
    [
      { match: 'each-value', rules: [] },
      ".rules: expected the each-value matcher's non-empty 'rules' list, got an empty list",
    ],
    [
      { match: 'date', format: "yyyy-MM-dd'T" },
      '.format: expected a Java date/time format, got the string "yyyy-MM-dd\'T" (unterminated quote',
    ],
    [
      { match: 'date', format: 'yyyy-bb' },
      '.format: expected a Java date/time format, got the string "yyyy-bb" (unsupported pattern letter \'b\'',
    ],
    [
      { match: 'timestamp', timestamp: 'yyyy-MM-dd jj' },
      '.timestamp: expected a Java date/time format, got the string "yyyy-MM-dd jj" (unsupported pattern letter \'j\'',
    ],
    [
      { something: 1 },
      ": expected a matcher with a 'match' type (its type cannot be guessed from the other keys), got an object with keys something",
    ],
    ['type', ': expected a matcher object, got the string "type"'],
  ])('rejects %j naming the rule (%s)', (def, fragment) => {
    const error = errorOf(() => compileMatcher(def, "$.matchingRules.body['$.id'].matchers[0]"));
    expect(error.code).toBe(ErrorCodes.MATCHING_RULE_INVALID);
    expect(error.message).toContain(`$.matchingRules.body['$.id'].matchers[0]${fragment}`);
    expect(error.message.startsWith("$.matchingRules.body['$.id'].matchers[0]")).toBe(true);
  });

  it('compiles a regex the engine cannot run, and throws its coded error naming the path and construct when applied', () => {
    const at = "$.interactions[1].response.matchingRules.body['$.id'].matchers[0]";
    const invalid = compileMatcher({ match: 'regex', regex: '(a' }, at);
    const unsupported = compileMatcher({ match: 'regex', regex: '(a)\\1' }, at);
    if (invalid.type !== 'regex' || unsupported.type !== 'regex') throw new Error('expected regex matchers');
    expect(errorOf(() => invalid.test('a')).message).toBe(
      `${at}.regex: expected a valid regular expression (Ruby/Oniguruma syntax, as the Pact reference verifier reads it), got the string "(a" (end pattern with unmatched parenthesis: "(" at offset 2)`,
    );
    let thrown: unknown;
    try {
      unsupported.test('aa');
    } catch (e) {
      thrown = e;
    }
    expect((thrown as Error).message).toBe(
      `${at}.regex: the regular expression "(a)\\\\1" uses a backreference ("\\\\1" at offset 3), which cutover's linear-time regex engine does not run`,
    );
    expect(thrown).toMatchObject({
      code: ErrorCodes.REGEX_UNSUPPORTED,
      details: { jsonPath: `${at}.regex`, construct: '\\1', pattern: '(a)\\1' },
    });
  });

  it('rejects a combine other than AND/OR', () => {
    expect(errorOf(() => compileRuleList({ matchers: [{ match: 'type' }], combine: 'XOR' }, '$.x')).message).toBe(
      '$.x.combine: expected \'combine\' to be AND or OR, got the string "XOR"',
    );
  });
});

describe('validateMatchingRules', () => {
  it('names the JSON path of a malformed rule path', () => {
    const error = errorOf(() =>
      validateMatchingRules({ body: { '$.a[': { combine: 'AND', matchers: [{ match: 'type' }] } } }),
    );
    expect(error.message).toContain("$.matchingRules.body['$.a[']: expected a valid rule path expression, got");
    expect(error.details.path).toBe('$.a[');
  });

  it('is applied when a response is normalised, with the location in the pact', () => {
    const error = errorOf(() =>
      normalizeResponse({ status: 200, matchingRules: { body: { '$.id': { matchers: [{ match: 'nope' }] } } } }, 3, {
        source: 'pacts/web.json',
        jsonPath: '$.interactions[2].response',
      }),
    );
    expect(error.message).toBe(
      "pacts/web.json: $.interactions[2].response.matchingRules.body['$.id'].matchers[0].match: expected a known matcher type, got the unknown matcher 'nope'",
    );
    // The JSON path is the pure path; the file is its own field.
    expect(error.details).toMatchObject({
      source: 'pacts/web.json',
      jsonPath: "$.interactions[2].response.matchingRules.body['$.id'].matchers[0].match",
      path: '$.id',
      rule: { match: 'nope' },
    });
  });
});
