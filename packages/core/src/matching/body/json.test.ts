import { describe, expect, it } from 'vitest';
import type { MatchResult } from '../../model.js';
import { normalizeResponse } from '../../pact/http.js';
import { observedResponse } from '../observed.js';
import { matchHttpResponse } from '../response.js';
import { matchRequest } from '../request.js';

// The JSON walk caches per rules object and per place (rule states, the expected object's keys):
// these tests compare one expected response many times and check each answer.
const expectedResponse = (body: unknown, rules: Record<string, unknown> = {}) =>
  normalizeResponse(
    {
      status: 200,
      headers: { 'Content-Type': 'application/json' },
      body: { content: body, contentType: 'application/json' },
      matchingRules: { body: rules },
    },
    4,
  );
const observed = (body: unknown) =>
  observedResponse({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const paths = (r: MatchResult) => r.mismatches.map((m) => m.path);

describe('JSON body walk', () => {
  const rules = {
    '$.items': { matchers: [{ match: 'type', min: 1 }] },
    '$.items[*].id': { matchers: [{ match: 'integer' }] },
    '$.items[*].tags[*]': { matchers: [{ match: 'regex', regex: '[a-z]+' }] },
  };
  const expected = expectedResponse({ items: [{ id: 1, name: 'a', tags: ['x'] }] }, rules);
  const item = (id: unknown, tags: unknown[] = ['p', 'q']) => ({ id, name: 'a', tags });

  it('gives the same answers when one expected response is matched again and again', () => {
    const good = observed({ items: [item(1), item(2), item(3)] });
    const bad = observed({ items: [item(1), item('2'), item(3, ['p', 'Q'])] });
    for (let round = 0; round < 3; round++) {
      expect(matchHttpResponse(expected, good).ok).toBe(true);
      expect(paths(matchHttpResponse(expected, bad))).toEqual(['$.items[1].id', '$.items[2].tags[1]']);
    }
  });

  it('names the full path of a mismatch deep in lists and after sibling subtrees', () => {
    const r = matchHttpResponse(expected, observed({ items: [item(1), item(2), { id: 3, tags: ['ok'] }] }));
    expect(r.mismatches).toEqual([
      {
        kind: 'body',
        path: '$.items[2].name',
        expected: 'a',
        actual: undefined,
        message: 'Expected $.items[2].name to be present (like "a"), but it was missing',
      },
    ]);
  });

  it('reports keys named like Object.prototype members as missing when the actual object lacks them', () => {
    const e = expectedResponse({ constructor: 'c', toString: 's', valueOf: 1, __proto__x: 2 });
    const r = matchHttpResponse(e, observed({ __proto__x: 2 }));
    expect(paths(r)).toEqual(['$.constructor', '$.toString', '$.valueOf']);
    expect(matchHttpResponse(e, observed({ constructor: 'c', toString: 's', valueOf: 1, __proto__x: 2 })).ok).toBe(
      true,
    );
    const proto = expectedResponse(JSON.parse('{"__proto__": {"a": 1}}'));
    expect(paths(matchHttpResponse(proto, observed({})))).toEqual(['$.__proto__']);
    expect(
      matchHttpResponse(
        proto,
        observedResponse({
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: '{"__proto__": {"a": 1}}',
        }),
      ).ok,
    ).toBe(true);
  });

  it('compares each value of a `values` object with its own example, or the first one for new keys', () => {
    const e = expectedResponse({ byId: { a: 'x', b: 2 } }, { '$.byId': { matchers: [{ match: 'values' }] } });
    expect(matchHttpResponse(e, observed({ byId: { b: 3, c: 'y' } })).ok).toBe(true);
    // `b` is held to its own example (a number), the new key `c` to the first one (a string).
    expect(paths(matchHttpResponse(e, observed({ byId: { b: 'three', c: 5 } })))).toEqual(['$.byId.b', '$.byId.c']);
  });

  it('applies eachValue rules to every item on every call', () => {
    const e = expectedResponse(
      { codes: ['AB'] },
      { '$.codes': { matchers: [{ match: 'eachValue', rules: [{ match: 'regex', regex: '[A-Z]{2}' }] }] } },
    );
    for (let round = 0; round < 2; round++) {
      expect(matchHttpResponse(e, observed({ codes: ['XY', 'ZZ'] })).ok).toBe(true);
      expect(paths(matchHttpResponse(e, observed({ codes: ['XY', 'z1', 'QQ', 'abc'] })))).toEqual([
        '$.codes[1]',
        '$.codes[3]',
      ]);
    }
  });

  it('holds each object to its own example when objects with different keys share a place (eachValue)', () => {
    const e = expectedResponse(
      { byId: { a: { x: 1 }, b: { y: 'two' } } },
      { '$.byId': { matchers: [{ match: 'eachValue', rules: [{ match: 'type' }] }] } },
    );
    expect(matchHttpResponse(e, observed({ byId: { a: { x: 5 }, b: { y: 'three' } } })).ok).toBe(true);
    expect(paths(matchHttpResponse(e, observed({ byId: { a: { x: 5 }, b: { x: 1 } } })))).toEqual(['$.byId.b.y']);
    expect(paths(matchHttpResponse(e, observed({ byId: { b: { y: 'z' }, a: { y: 1 } } })))).toEqual(['$.byId.a.x']);
  });

  it('still rejects unexpected keys in requests', () => {
    const r = matchRequest(
      { method: 'POST', path: '/', headers: { 'Content-Type': 'application/json' }, body: { a: 1 } },
      { method: 'POST', path: '/', headers: { 'Content-Type': 'application/json' }, body: { a: 1, b: { c: 2 } } },
      { specVersion: '3.0.0' },
    );
    expect(paths(r)).toEqual(['$.b']);
  });
});
