import { describe, expect, it } from 'vitest';
import { normalizeResponse } from '../../pact/http.js';
import { observedResponse } from '../observed.js';
import { matchHttpResponse } from '../response.js';
import { decimalLiteralPaths, parseJsonKeepingDecimals } from './numbers.js';

describe('parseJsonKeepingDecimals', () => {
  it('remembers where whole-valued decimals were written', () => {
    const value = parseJsonKeepingDecimals(
      '{"price": 10.0, "n": 10, "s": "1.0", "items": [{"p": 1e2}, {"p": 2.5}], "a b": [0.0]}',
    );
    expect(value).toEqual({ price: 10, n: 10, s: '1.0', items: [{ p: 100 }, { p: 2.5 }], 'a b': [0] });
    expect([...(decimalLiteralPaths(value) ?? [])]).toEqual(['$.price', '$.items[0].p', "$['a b'][0]"]);
  });

  it('remembers nothing when there is nothing to remember', () => {
    expect(decimalLiteralPaths(parseJsonKeepingDecimals('{"a": 1, "b": [2.5]}'))).toBeUndefined();
  });
});

describe('decimal and integer matchers on a real response', () => {
  const expected = normalizeResponse(
    {
      status: 200,
      headers: { 'Content-Type': 'application/json' },
      body: { price: 9.99, count: 1 },
      matchingRules: {
        body: { '$.price': { matchers: [{ match: 'decimal' }] }, '$.count': { matchers: [{ match: 'integer' }] } },
      },
    },
    3,
  );
  const answer = (text: string) =>
    observedResponse({ status: 200, headers: { 'content-type': 'application/json' }, body: text });

  it('accepts 10.0 as a decimal, as a JVM service writes it', () => {
    expect(matchHttpResponse(expected, answer('{"price": 10.0, "count": 3}')).ok).toBe(true);
  });

  it('still rejects a whole number written without a fraction, and a fraction where an integer is expected', () => {
    expect(matchHttpResponse(expected, answer('{"price": 10, "count": 3}')).mismatches.map((m) => m.path)).toEqual([
      '$.price',
    ]);
    expect(matchHttpResponse(expected, answer('{"price": 1.5, "count": 3.0}')).mismatches.map((m) => m.path)).toEqual([
      '$.count',
    ]);
  });
});
