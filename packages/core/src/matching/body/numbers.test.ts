import { describe, expect, it } from 'vitest';
import { normalizeResponse } from '../../pact/http.js';
import { observedResponse } from '../observed.js';
import { matchHttpResponse } from '../response.js';
import { openPact } from '../../pact/load.js';
import type { HttpInteraction } from '../../model.js';
import {
  decimalKey,
  keyCount,
  numberLiteral,
  parseJsonKeepingNumbers,
  scanJsonKeys,
  stringifyJsonKeepingNumbers,
} from './numbers.js';

describe('parseJsonKeepingNumbers', () => {
  it('remembers the number literals JSON.parse changes, where they were written', () => {
    const value = parseJsonKeepingNumbers(
      '{"price": 10.0, "n": 10, "s": "1.0", "items": [{"p": 1e2}, {"p": 2.5}], "id": 9007199254740993, "big": 1e400, "a b": [0.0, 0.1]}',
    ) as { items: object[]; 'a b': object };
    expect(value).toMatchObject({ price: 10, n: 10, s: '1.0', items: [{ p: 100 }, { p: 2.5 }], big: Infinity });
    expect(numberLiteral(value, 'price')).toBe('10.0');
    expect(numberLiteral(value.items[0]!, 'p')).toBe('1e2');
    expect(numberLiteral(value, 'id')).toBe('9007199254740993');
    expect(numberLiteral(value, 'big')).toBe('1e400');
    expect(numberLiteral(value['a b'], 0)).toBe('0.0');
    for (const [at, key] of [
      [value, 'n'],
      [value.items[1]!, 'p'],
      [value['a b'], 1],
    ] as const) {
      expect(numberLiteral(at, key)).toBeUndefined();
    }
  });

  it('keeps nothing for a copy of a repeated key that JSON.parse dropped, and counts the repeats on request', () => {
    const text = '{"a": {"x": 1e400}, "a": {"x": 5}, "id": 999, "id": 1}';
    const value = parseJsonKeepingNumbers(text) as { a: object };
    expect(numberLiteral(value.a, 'x')).toBeUndefined();
    expect(keyCount(value, 'id')).toBe(1);
    scanJsonKeys(text, value);
    expect(keyCount(value, 'id')).toBe(2);
    expect(keyCount(value, 'a')).toBe(2);
  });
});

describe('stringifyJsonKeepingNumbers', () => {
  it('writes the numbers JSON.parse changed as they were written, the rest like JSON.stringify', () => {
    const text = '{"id":9007199254740993,"big":1e400,"price":10.0,"list":[1.0,2,"x",null],"nested":{"n":0.1}}';
    expect(stringifyJsonKeepingNumbers(parseJsonKeepingNumbers(text))).toBe(text);
    const plain = { a: 1, b: [true, { c: 'd' }], skipped: undefined, when: new Date(0) };
    expect(stringifyJsonKeepingNumbers(plain)).toBe(JSON.stringify(plain));
  });
});

describe('decimalKey', () => {
  it('gives one key per decimal value, however it is written', () => {
    expect(decimalKey('1.50')).toBe(decimalKey('15e-1'));
    expect(decimalKey('0.15E1')).toBe(decimalKey('1.5'));
    expect(decimalKey('-0')).toBe(decimalKey('0.000'));
    expect(decimalKey('100')).toBe(decimalKey('1e+2'));
    expect(decimalKey('9007199254740993')).not.toBe(decimalKey('9007199254740992'));
    expect(decimalKey('1e400')).not.toBe(decimalKey('1e401'));
  });
});

describe('numbers a double does not hold, in pact messages', () => {
  const pact = (body: string) =>
    openPact(
      `{"consumer":{"name":"c"},"provider":{"name":"p"},"metadata":{"pactSpecification":{"version":"3.0.0"}},"interactions":[{"description":"d","request":{"method":"GET","path":"/"},"response":{"status":200,"headers":{"Content-Type":"application/json"},"body":${body}}}]}`,
    ).interaction(0) as HttpInteraction;
  const answer = (text: string) =>
    observedResponse({ status: 200, headers: { 'content-type': 'application/json' }, body: text });

  it('quotes a number as the pact wrote it, not as null', () => {
    const result = matchHttpResponse(pact('{"id": 1e400}').response, answer('{"id": 5}'));
    expect(result.mismatches.map((m) => m.message)).toEqual(['Expected $.id to equal 1e400, but got 5']);
  });

  it('tells an id apart from its float64 rounding and quotes what the target sent', () => {
    const result = matchHttpResponse(pact('{"id": 9007199254740993}').response, answer('{"id": 9007199254740992}'));
    expect(result.mismatches.map((m) => m.message)).toEqual([
      'Expected $.id to equal 9007199254740993, but got 9007199254740992',
    ]);
    const typed = matchHttpResponse(pact('{"id": "x"}').response, answer('{"id": 12345678901234567890}'));
    expect(typed.mismatches.map((m) => m.message)).toEqual([
      'Expected $.id to be the string "x", but got the number 12345678901234567890',
    ]);
  });

  it('applies equality and regex matchers to a number as written', () => {
    const withRule = (rule: string) =>
      openPact(
        `{"consumer":{"name":"c"},"provider":{"name":"p"},"metadata":{"pactSpecification":{"version":"3.0.0"}},"interactions":[{"description":"d","request":{"method":"GET","path":"/"},"response":{"status":200,"headers":{"Content-Type":"application/json"},"body":{"id":9007199254740993},"matchingRules":{"body":{"$.id":{"matchers":[${rule}]}}}}}]}`,
      ).interaction(0) as HttpInteraction;
    const equality = withRule('{"match":"equality"}').response;
    expect(matchHttpResponse(equality, answer('{"id": 9007199254740993}')).ok).toBe(true);
    expect(matchHttpResponse(equality, answer('{"id": 9007199254740992}')).mismatches.map((m) => m.message)).toEqual([
      'Expected $.id to equal 9007199254740993, but got the number 9007199254740992',
    ]);
    const regex = withRule('{"match":"regex","regex":"^9007199254740993$"}').response;
    expect(matchHttpResponse(regex, answer('{"id": 9007199254740993}')).ok).toBe(true);
  });

  it('passes a long number sent exactly as the pact wrote it', () => {
    expect(matchHttpResponse(pact('[9007199254740993]').response, answer('[9007199254740993]')).ok).toBe(true);
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
