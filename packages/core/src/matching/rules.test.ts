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
  });

  it('guesses the matcher of v2 rules without "match"', () => {
    expect(compileMatcher({ regex: '\\d+' } as never, '$').type).toBe('regex');
    expect(compileMatcher({ min: 2 } as never, '$')).toEqual({ type: 'type', min: 2 });
    expect(compileMatcher({ max: 2 } as never, '$')).toEqual({ type: 'type', max: 2 });
    expect(compileMatcher({ timestamp: 'yyyy' } as never, '$').type).toBe('timestamp');
    expect(compileMatcher({ date: 'yyyy' } as never, '$').type).toBe('date');
    expect(compileMatcher({ time: 'HH' } as never, '$').type).toBe('time');
  });

  it.each([
    [{ match: 'fuzzy' }, "unknown matcher 'fuzzy'"],
    [{ match: 'regex', regex: '(' }, 'invalid regular expression'],
    [{ match: 'regex' }, "needs a 'regex'"],
    [{ match: 'type', min: 3, max: 1 }, "'min' (3) is greater than 'max' (1)"],
    [{ match: 'type', min: -1 }, 'non-negative integer'],
    [{ match: 'type', min: 'lots' }, 'non-negative integer'],
    [{ match: 'include' }, "needs a 'value'"],
    [{ match: 'contentType' }, "needs a 'value'"],
    [{ match: 'statusCode', status: 'fine' }, 'statusCode matcher needs'],
    [{ match: 'arrayContains' }, "needs a 'variants' list"],
    [{ match: 'arrayContains', variants: [{ rules: {} }] }, "needs a non-negative 'index'"],
    [{ match: 'eachKey' }, "needs a non-empty 'rules' list"],
    [{ match: 'date', format: "yyyy-MM-dd'T" }, 'unterminated quote'],
    [{ match: 'date', format: 'yyyy-bb' }, "unsupported pattern letter 'b'"],
    [{ something: 1 }, 'cannot be guessed'],
    ['type', 'must be an object'],
  ])('rejects %j naming the rule (%s)', (def, fragment) => {
    const error = errorOf(() => compileMatcher(def, "$.matchingRules.body['$.id'].matchers[0]"));
    expect(error.code).toBe(ErrorCodes.MATCHING_RULE_INVALID);
    expect(error.message).toContain(fragment);
    expect(error.message).toContain("$.matchingRules.body['$.id'].matchers[0]");
  });

  it('rejects a combine other than AND/OR', () => {
    expect(errorOf(() => compileRuleList({ matchers: [{ match: 'type' }], combine: 'XOR' }, '$.x')).message).toContain(
      'AND or OR',
    );
  });
});

describe('validateMatchingRules', () => {
  it('names the JSON path of a malformed rule path', () => {
    const error = errorOf(() =>
      validateMatchingRules({ body: { '$.a[': { combine: 'AND', matchers: [{ match: 'type' }] } } }),
    );
    expect(error.message).toContain("$.matchingRules.body['$.a[']");
    expect(error.details.path).toBe('$.a[');
  });

  it('is applied when a response is normalised, with the location in the pact', () => {
    const error = errorOf(() =>
      normalizeResponse({ status: 200, matchingRules: { body: { '$.id': { matchers: [{ match: 'nope' }] } } } }, 3, {
        source: 'pacts/web.json',
        jsonPath: '$.interactions[2].response',
      }),
    );
    expect(error.message).toContain('pacts/web.json');
    expect(error.message).toContain("$.interactions[2].response.matchingRules.body['$.id'].matchers[0]");
    expect(error.message).toContain("unknown matcher 'nope'");
    expect(error.details).toMatchObject({ source: 'pacts/web.json', path: '$.id', rule: { match: 'nope' } });
  });
});
