import { describe, expect, it } from 'vitest';
import { ErrorCodes, MatchingRuleError, PactLoadError, UnsupportedSpecError } from '../errors.js';
import { normalizeRequest, normalizeResponse, specMajorOf } from './http.js';

describe('specMajorOf', () => {
  it('reads the versions pacts declare', () => {
    expect(specMajorOf('1.0.0')).toBe(2);
    expect(specMajorOf('2.0.0')).toBe(2);
    expect(specMajorOf('3.0.0')).toBe(3);
    expect(specMajorOf('4.0')).toBe(4);
    expect(() => specMajorOf('5.0')).toThrow(UnsupportedSpecError);
  });
});

describe('normalizeRequest', () => {
  it('reads a v2 request with flat rules into categories', () => {
    const r = normalizeRequest(
      {
        method: 'get',
        path: '/a',
        query: 'x=1&x=2&y=a%20b',
        headers: { Accept: 'a, b' },
        body: { id: 1 },
        matchingRules: {
          '$.body.id': { match: 'type' },
          '$.headers.Accept': { regex: '.*' },
          '$.query.x': { min: 1 },
          '$.path': { regex: '/a' },
          "$.body['a.b']": { match: 'integer' },
        },
      },
      2,
    );
    expect(r).toEqual({
      method: 'GET',
      path: '/a',
      query: { x: ['1', '2'], y: ['a b'] },
      headers: { Accept: ['a, b'] },
      body: { kind: 'present', content: { id: 1 }, contentType: 'application/json' },
      matchingRules: {
        body: {
          '$.id': { combine: 'AND', matchers: [{ match: 'type' }] },
          "$['a.b']": { combine: 'AND', matchers: [{ match: 'integer' }] },
        },
        header: { Accept: { combine: 'AND', matchers: [{ regex: '.*' }] } },
        query: { x: { combine: 'AND', matchers: [{ min: 1 }] } },
        path: { '': { combine: 'AND', matchers: [{ regex: '/a' }] } },
      },
      generators: {},
    });
  });

  it('reads v3 path rules and generators under the single key ""', () => {
    const r = normalizeRequest(
      {
        method: 'GET',
        path: '/o/1',
        matchingRules: { path: { matchers: [{ match: 'regex', regex: '/o/\\d+' }], combine: 'AND' } },
        generators: { path: { type: 'ProviderState', expression: '/o/${id}' } },
      },
      3,
    );
    expect(r.matchingRules.path).toEqual({ '': { matchers: [{ match: 'regex', regex: '/o/\\d+' }], combine: 'AND' } });
    expect(r.generators.path).toEqual({ '': { type: 'ProviderState', expression: '/o/${id}' } });
  });

  it('tells a missing body from an explicit null and an empty one', () => {
    expect(normalizeRequest({ method: 'GET', path: '/' }, 3).body).toEqual({ kind: 'absent' });
    expect(normalizeRequest({ method: 'GET', path: '/', body: null }, 3).body).toEqual({
      kind: 'present',
      content: null,
    });
    expect(normalizeRequest({ method: 'GET', path: '/', body: '' }, 3).body).toEqual({ kind: 'present', content: '' });
    expect(normalizeRequest({ method: 'GET', path: '/', body: {} }, 4).body).toEqual({ kind: 'absent' });
  });

  it('reads v4 bodies: JSON values, JSON text, plain text and base64', () => {
    const body = (b: unknown) => normalizeRequest({ method: 'POST', path: '/', body: b }, 4).body;
    expect(body({ content: { a: 1 }, contentType: 'application/json', encoded: false })).toEqual({
      kind: 'present',
      content: { a: 1 },
      contentType: 'application/json',
      encoded: false,
    });
    expect(body({ content: '{"a":1}', contentType: 'application/json' })).toMatchObject({ content: { a: 1 } });
    expect(body({ content: 'hi', contentType: 'text/plain' })).toMatchObject({ content: 'hi', encoded: false });
    expect(body({ content: 'aGk=', contentType: 'application/octet-stream', encoded: 'base64' })).toMatchObject({
      content: 'aGk=',
      encoded: 'base64',
    });
  });

  it('reads header values given as strings or lists', () => {
    const r = normalizeRequest({ method: 'GET', path: '/', headers: { A: '1', B: ['2', '3'] } }, 4);
    expect(r.headers).toEqual({ A: ['1'], B: ['2', '3'] });
  });

  it('names the JSON path of malformed input', () => {
    const at = { source: 'pacts/web.json', jsonPath: '$.interactions[1].request' };
    expect(() => normalizeRequest({ method: 'GET', path: '/', headers: { A: { no: 1 } } }, 3, at)).toThrow(
      "Invalid pact (pacts/web.json at $.interactions[1].request.headers['A']): expected a string or a list of strings",
    );
    expect(() => normalizeRequest({ method: 7, path: '/' }, 3, at)).toThrow(PactLoadError);
    expect(() => normalizeRequest('GET /', 3, at)).toThrow('expected a request object');
    try {
      normalizeRequest({ method: 'GET', path: '/', query: { a: [{}] } }, 3, at);
    } catch (e) {
      expect((e as PactLoadError).code).toBe(ErrorCodes.PACT_INVALID);
      expect((e as PactLoadError).details).toEqual({
        source: 'pacts/web.json',
        jsonPath: "$.interactions[1].request.query['a']",
      });
    }
  });

  it('rejects a v2 rule outside body, headers, query and path', () => {
    expect(() =>
      normalizeRequest({ method: 'GET', path: '/', matchingRules: { '$.cookies.a': { match: 'type' } } }, 2),
    ).toThrow(MatchingRuleError);
  });
});

describe('normalizeResponse', () => {
  it('validates the status', () => {
    expect(normalizeResponse({}, 3).status).toBe(200);
    expect(() => normalizeResponse({ status: 'ok' }, 3, { jsonPath: '$.r' })).toThrow('$.r.status');
  });
});
