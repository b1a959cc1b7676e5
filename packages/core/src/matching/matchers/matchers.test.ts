import { describe, expect, it } from 'vitest';
import type { MatchResult } from '../../model.js';
import { matchResponse } from '../response.js';

type Rules = Record<string, { matchers: Record<string, unknown>[]; combine?: string }>;

/** Matches JSON bodies of a v3 response under body rules. */
function body(expected: unknown, actual: unknown, rules: Rules = {}): MatchResult {
  const headers = { 'Content-Type': 'application/json' };
  return matchResponse(
    { status: 200, headers, body: expected, matchingRules: { body: rules } },
    { status: 200, headers, body: actual },
    { specVersion: '3.0.0' },
  );
}

const on = (path: string, ...matchers: Record<string, unknown>[]): Rules => ({ [path]: { matchers } });
const messages = (r: MatchResult): string[] => r.mismatches.map((m) => m.message);

describe('equality', () => {
  it('requires the same value even under a cascading type rule', () => {
    expect(
      body({ a: { b: 1 } }, { a: { b: 2 } }, { ...on('$', { match: 'type' }), ...on('$.a', { match: 'equality' }) }).ok,
    ).toBe(false);
    expect(body({ a: { b: 1 } }, { a: { b: 1 } }, on('$.a', { match: 'equality' })).ok).toBe(true);
  });
});

describe('regex', () => {
  it('matches the whole value', () => {
    expect(body({ id: '1234' }, { id: '5678' }, on('$.id', { match: 'regex', regex: '\\d{4}' })).ok).toBe(true);
    expect(body({ id: '1234' }, { id: '56789' }, on('$.id', { match: 'regex', regex: '\\d{4}' })).ok).toBe(false);
  });

  it('renders numbers as text before matching', () => {
    expect(body({ n: 12 }, { n: 99 }, on('$.n', { match: 'regex', regex: '\\d+' })).ok).toBe(true);
  });

  it('explains a failure with the path and the pattern', () => {
    expect(messages(body({ id: 'a' }, { id: 'b!' }, on('$.id', { match: 'regex', regex: '\\w+' })))).toEqual([
      'Expected $.id to match the regular expression /\\w+/, but got the string "b!"',
    ]);
  });
});

describe('type', () => {
  it('accepts any value of the same JSON type', () => {
    expect(body({ a: 'x', n: 1, b: true }, { a: 'y', n: 2.5, b: false }, on('$', { match: 'type' })).ok).toBe(true);
  });

  it('rejects a value of another type', () => {
    const r = body({ n: 1 }, { n: '1' }, on('$.n', { match: 'type' }));
    expect(messages(r)).toEqual(['Expected $.n to be a number (like 1), but got the string "1"']);
  });

  it('checks min and max on the list it is declared on, and every item against the example', () => {
    const rules = on('$.items', { match: 'type', min: 2, max: 3 });
    expect(body({ items: [{ id: 1 }] }, { items: [{ id: 5 }, { id: 6 }] }, rules).ok).toBe(true);
    expect(messages(body({ items: [{ id: 1 }] }, { items: [{ id: 5 }] }, rules))).toEqual([
      'Expected $.items to have at least 2 items, but got a list of 1 item',
    ]);
    expect(body({ items: [1] }, { items: [1, 2, 3, 4] }, rules).ok).toBe(false);
    expect(body({ items: [{ id: 1 }] }, { items: [{ id: 5 }, { id: 'x' }] }, rules).ok).toBe(false);
  });

  it('does not apply min/max to nested lists it cascades to', () => {
    expect(body({ items: [[1]] }, { items: [[1], [2]] }, on('$.items', { match: 'type', min: 2 })).ok).toBe(true);
  });
});

describe('include', () => {
  it('requires the substring', () => {
    expect(body({ s: 'hello world' }, { s: 'say hello' }, on('$.s', { match: 'include', value: 'hello' })).ok).toBe(
      true,
    );
    expect(body({ s: 'hello world' }, { s: 'bye' }, on('$.s', { match: 'include', value: 'hello' })).ok).toBe(false);
  });
});

describe('number matchers', () => {
  it('integer accepts whole numbers and rejects strings and fractions', () => {
    expect(body({ id: 1 }, { id: 42 }, on('$.id', { match: 'integer' })).ok).toBe(true);
    expect(body({ id: 1 }, { id: 4.2 }, on('$.id', { match: 'integer' })).ok).toBe(false);
    expect(
      messages(body({ items: [{ id: 1 }] }, { items: [{ id: '7' }] }, on('$.items[*].id', { match: 'integer' }))),
    ).toEqual(['Expected $.items[0].id to be an integer, but got the string "7"']);
  });

  it('decimal accepts numbers with a fraction', () => {
    expect(body({ p: 1.5 }, { p: 2.25 }, on('$.p', { match: 'decimal' })).ok).toBe(true);
    expect(body({ p: 1.5 }, { p: 2 }, on('$.p', { match: 'decimal' })).ok).toBe(false);
  });

  it('number accepts any number', () => {
    expect(body({ p: 1 }, { p: -2.5 }, on('$.p', { match: 'number' })).ok).toBe(true);
    expect(body({ p: 1 }, { p: '2' }, on('$.p', { match: 'number' })).ok).toBe(false);
  });
});

describe('boolean and null', () => {
  it('boolean accepts booleans and their text', () => {
    expect(body({ f: true }, { f: false }, on('$.f', { match: 'boolean' })).ok).toBe(true);
    expect(body({ f: true }, { f: 'true' }, on('$.f', { match: 'boolean' })).ok).toBe(true);
    expect(body({ f: true }, { f: 1 }, on('$.f', { match: 'boolean' })).ok).toBe(false);
  });

  it('null accepts only null', () => {
    expect(body({ v: null }, { v: null }, on('$.v', { match: 'null' })).ok).toBe(true);
    expect(body({ v: null }, { v: 0 }, on('$.v', { match: 'null' })).ok).toBe(false);
  });
});

describe('date, time and timestamp', () => {
  it('use ISO 8601 without a format', () => {
    expect(body({ d: '2020-01-01' }, { d: '2024-02-29' }, on('$.d', { match: 'date' })).ok).toBe(true);
    expect(body({ d: '2020-01-01' }, { d: '2023-02-29' }, on('$.d', { match: 'date' })).ok).toBe(false);
    expect(body({ t: '10:00:00' }, { t: '23:59:59.123' }, on('$.t', { match: 'time' })).ok).toBe(true);
    expect(body({ t: '10:00:00' }, { t: '24:00:00' }, on('$.t', { match: 'time' })).ok).toBe(false);
    expect(body({ ts: 'x' }, { ts: '2024-05-01T10:11:12.345Z' }, on('$.ts', { match: 'timestamp' })).ok).toBe(true);
    expect(body({ ts: 'x' }, { ts: '2024-05-01 nope' }, on('$.ts', { match: 'datetime' })).ok).toBe(false);
  });

  it('use the Java-style format when given', () => {
    const rule = on('$.d', { match: 'date', format: 'dd/MM/yyyy' });
    expect(body({ d: '01/01/2020' }, { d: '31/12/1999' }, rule).ok).toBe(true);
    expect(body({ d: '01/01/2020' }, { d: '1999-12-31' }, rule).ok).toBe(false);
    expect(messages(body({ d: '01/01/2020' }, { d: '32/01/2020' }, rule))).toEqual([
      'Expected $.d to be a date in the format \'dd/MM/yyyy\', but got the string "32/01/2020"',
    ]);
  });
});

describe('contentType', () => {
  it('sniffs the actual value', () => {
    const rule = on('$.doc', { match: 'contentType', value: 'application/xml' });
    expect(body({ doc: '<a/>' }, { doc: '<?xml version="1.0"?><b/>' }, rule).ok).toBe(true);
    expect(body({ doc: '<a/>' }, { doc: '{"a":1}' }, rule).ok).toBe(false);
    expect(
      body({ doc: '' }, { doc: '{"a":1}' }, on('$.doc', { match: 'contentType', value: 'application/json' })).ok,
    ).toBe(true);
  });
});

describe('values', () => {
  it('ignores keys and checks every value against the example', () => {
    const rules = { ...on('$.byId', { match: 'values' }), ...on('$.byId.*', { match: 'type' }) };
    expect(body({ byId: { a: { n: 1 } } }, { byId: { x: { n: 2 }, y: { n: 3 } } }, rules).ok).toBe(true);
    expect(body({ byId: { a: { n: 1 } } }, { byId: { x: { n: 'two' } } }, rules).ok).toBe(false);
  });
});

describe('eachKey and eachValue', () => {
  it('eachKey checks every key', () => {
    const rule = on('$.m', { match: 'eachKey', rules: [{ match: 'regex', regex: '[a-z]+' }], value: { a: 1 } });
    expect(body({ m: { a: 1 } }, { m: { a: 1, bc: 2 } }, rule).ok).toBe(true);
    const bad = body({ m: { a: 1 } }, { m: { a: 1, B9: 2 } }, rule);
    expect(bad.ok).toBe(false);
    expect(bad.mismatches[0]?.path).toBe('$.m.B9');
  });

  it('eachValue checks every value of a map or list', () => {
    const rule = on('$.m', { match: 'eachValue', rules: [{ match: 'type' }] });
    expect(body({ m: { a: 'x' } }, { m: { b: 'y', c: 'z' } }, rule).ok).toBe(true);
    expect(body({ m: { a: 'x' } }, { m: { b: 1 } }, rule).ok).toBe(false);
    const list = on('$.l', { match: 'eachValue', rules: [{ match: 'regex', regex: '\\d+' }] });
    expect(body({ l: ['1'] }, { l: ['2', '33'] }, list).ok).toBe(true);
    expect(body({ l: ['1'] }, { l: ['2', 'x'] }, list).ok).toBe(false);
  });
});

describe('arrayContains', () => {
  const rule = on('$.events', {
    match: 'arrayContains',
    variants: [
      { index: 0, rules: { '$.id': { matchers: [{ match: 'integer' }] } } },
      { index: 1, rules: { '$.at': { matchers: [{ match: 'timestamp' }] } } },
    ],
  });
  const expected = {
    events: [
      { type: 'created', id: 1 },
      { type: 'shipped', at: '2024-01-01T00:00:00Z' },
    ],
  };

  it('passes when each variant is found somewhere, in any order, among other items', () => {
    const actual = {
      events: [{ type: 'noise' }, { type: 'shipped', at: '2025-02-02T10:00:00Z' }, { type: 'created', id: 99 }],
    };
    expect(body(expected, actual, rule).ok).toBe(true);
  });

  it('fails naming the variant that is missing', () => {
    const r = body(expected, { events: [{ type: 'created', id: 5 }] }, rule);
    expect(r.ok).toBe(false);
    expect(messages(r)[0]).toContain('variant 1');
  });
});

describe('notEmpty and semver', () => {
  it('notEmpty rejects empty strings, lists and objects', () => {
    const rule = on('$.v', { match: 'notEmpty' });
    expect(body({ v: 'x' }, { v: 'y' }, rule).ok).toBe(true);
    expect(body({ v: 'x' }, { v: '' }, rule).ok).toBe(false);
    expect(body({ v: [1] }, { v: [] }, rule).ok).toBe(false);
  });

  it('semver accepts semantic versions only', () => {
    const rule = on('$.v', { match: 'semver' });
    expect(body({ v: '1.0.0' }, { v: '2.10.3-beta.1' }, rule).ok).toBe(true);
    expect(body({ v: '1.0.0' }, { v: '2.10' }, rule).ok).toBe(false);
  });
});

describe('statusCode', () => {
  const response = (status: number, rule: Record<string, unknown>) =>
    matchResponse({ status: 200, matchingRules: { status: { matchers: [rule] } } }, { status }, { specVersion: '4.0' });

  it('accepts a status class or a list of codes', () => {
    expect(response(204, { match: 'statusCode', status: 'success' }).ok).toBe(true);
    expect(response(404, { match: 'statusCode', status: 'success' }).ok).toBe(false);
    expect(response(302, { match: 'statusCode', status: 'nonError' }).ok).toBe(true);
    expect(response(503, { match: 'statusCode', status: 'error' }).ok).toBe(true);
    expect(response(201, { match: 'statusCode', status: [200, 201] }).ok).toBe(true);
    expect(response(202, { match: 'statusCode', status: [200, 201] }).ok).toBe(false);
  });
});

describe('combine', () => {
  it('AND needs every matcher, OR one of them', () => {
    const both = {
      matchers: [
        { match: 'regex', regex: '\\d+' },
        { match: 'include', value: '7' },
      ],
    };
    expect(body({ v: '17' }, { v: '27' }, { '$.v': { ...both, combine: 'AND' } }).ok).toBe(true);
    expect(body({ v: '17' }, { v: '28' }, { '$.v': { ...both, combine: 'AND' } }).ok).toBe(false);
    expect(body({ v: '17' }, { v: '28' }, { '$.v': { ...both, combine: 'OR' } }).ok).toBe(true);
    expect(body({ v: '17' }, { v: 'x' }, { '$.v': { ...both, combine: 'OR' } }).ok).toBe(false);
  });
});

describe('JSON structure', () => {
  it('allows extra keys in responses and reports missing ones', () => {
    expect(body({ a: 1 }, { a: 1, b: 2 }).ok).toBe(true);
    expect(messages(body({ a: 1, b: 2 }, { a: 1 }))).toEqual([
      'Expected $.b to be present (like 2), but it was missing',
    ]);
  });

  it('compares arrays by index without a rule', () => {
    expect(body([1, 2], [2, 1]).ok).toBe(false);
    expect(body([1, 2], [1, 2, 3]).ok).toBe(false);
  });

  it('lets the most specific rule win over a cascading one', () => {
    const rules = { ...on('$', { match: 'type' }), ...on('$.items[*].code', { match: 'regex', regex: '[A-Z]{3}' }) };
    expect(body({ items: [{ code: 'ABC', n: 1 }] }, { items: [{ code: 'XYZ', n: 5 }] }, rules).ok).toBe(true);
    expect(body({ items: [{ code: 'ABC', n: 1 }] }, { items: [{ code: 'xyz', n: 5 }] }, rules).ok).toBe(false);
  });

  it('gives every mismatch a kind, path, expected and actual', () => {
    const [m] = body({ a: { b: 1 } }, { a: { b: 2 } }).mismatches;
    expect(m).toEqual({
      kind: 'body',
      path: '$.a.b',
      expected: 1,
      actual: 2,
      message: 'Expected $.a.b to equal 1, but got 2',
    });
  });
});
