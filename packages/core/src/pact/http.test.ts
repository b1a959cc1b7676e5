import { describe, expect, it } from 'vitest';
import { ErrorCodes, GeneratorError, MatchingRuleError, PactLoadError, UnsupportedSpecError } from '../errors.js';
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
      "pacts/web.json: $.interactions[1].request.headers['A']: expected a string or a list of strings, got an object with keys no",
    );
    expect(() => normalizeRequest({ method: 7, path: '/' }, 3, at)).toThrow(PactLoadError);
    expect(() => normalizeRequest('GET /', 3, at)).toThrow(
      'pacts/web.json: $.interactions[1].request: expected a request object, got the string "GET /"',
    );
    const e = thrown(() => normalizeRequest({ method: 'GET', path: '/', query: { a: [{}] } }, 3, at));
    expect(e).toBeInstanceOf(PactLoadError);
    expect(e.code).toBe(ErrorCodes.PACT_INVALID);
    // jsonPath is the pure JSON path; the file is `source`, never glued into the path.
    expect(e.details).toEqual({
      source: 'pacts/web.json',
      jsonPath: "$.interactions[1].request.query['a']",
      expected: 'a list of strings',
    });
  });

  it('words a matching-rule error like any other load error, with a pure JSON path', () => {
    const at = { source: 'pacts/web.json', jsonPath: '$.interactions[0].request' };
    const e = thrown(() =>
      normalizeRequest({ path: '/', matchingRules: { query: { q: { matchers: [{ match: 'regex' }] } } } }, 3, at),
    );
    expect(e).toBeInstanceOf(MatchingRuleError);
    expect(e.message).toBe(
      "pacts/web.json: $.interactions[0].request.matchingRules.query['q'].matchers[0].regex: expected a regex matcher's 'regex' string, got nothing",
    );
    expect(e.details.jsonPath).toBe("$.interactions[0].request.matchingRules.query['q'].matchers[0].regex");
    expect(e.details.source).toBe('pacts/web.json');
  });

  it('refuses an unknown matching-rule category, naming it and its JSON path', () => {
    const e = thrown(() =>
      normalizeRequest({ path: '/', matchingRules: { bodyy: { '$.a': { matchers: [{ match: 'type' }] } } } }, 3, {
        source: 'p.json',
        jsonPath: '$.interactions[0].request',
      }),
    );
    expect(e).toBeInstanceOf(MatchingRuleError);
    expect(e.message).toBe(
      "p.json: $.interactions[0].request.matchingRules['bodyy']: expected a matching-rule category (path, query, header, body, status), got the unknown category 'bodyy'",
    );
    expect(e.details.jsonPath).toBe("$.interactions[0].request.matchingRules['bodyy']");
  });

  it('rejects a v2 rule outside body, headers, query and path', () => {
    expect(() =>
      normalizeRequest({ method: 'GET', path: '/', matchingRules: { '$.cookies.a': { match: 'type' } } }, 2),
    ).toThrow(MatchingRuleError);
  });
});

function thrown(fn: () => unknown): PactLoadError {
  try {
    fn();
  } catch (e) {
    return e as PactLoadError;
  }
  throw new Error('expected an error');
}

describe('v4 bodies', () => {
  const at = { source: 'p.json', jsonPath: '$.interactions[0].response' };

  it('refuses a v3-style body object in a v4 pact (no content), naming the JSON path and its keys', () => {
    const e = thrown(() => normalizeResponse({ status: 200, body: { id: 1, name: 'x' } }, 4, at));
    expect(e).toBeInstanceOf(PactLoadError);
    expect(e.message).toBe(
      'p.json: $.interactions[0].response.body: expected a v4 body { content, contentType, encoded }, got an object with keys id, name',
    );
    expect(e.details.jsonPath).toBe('$.interactions[0].response.body');
  });

  it('keeps an empty or content-less envelope body absent', () => {
    expect(normalizeResponse({ status: 200, body: {} }, 4, at).body).toEqual({ kind: 'absent' });
    expect(normalizeResponse({ status: 200, body: { contentType: 'application/json' } }, 4, at).body).toEqual({
      kind: 'absent',
    });
    expect(normalizeResponse({ status: 200 }, 4, at).body).toEqual({ kind: 'absent' });
  });

  it('still reads a v3 body object as the body itself', () => {
    expect(normalizeResponse({ status: 200, body: { id: 1 } }, 3).body).toMatchObject({ content: { id: 1 } });
  });
});

describe('generators', () => {
  const at = { source: 'p.json', jsonPath: '$.interactions[0].response' };

  it('refuses an unknown generator type at load, with its JSON path', () => {
    const e = thrown(() =>
      normalizeResponse(
        { status: 200, body: { id: 1 }, generators: { body: { '$.id': { type: 'RandomLong' } } } },
        3,
        at,
      ),
    );
    expect(e).toBeInstanceOf(GeneratorError);
    expect(e.code).toBe(ErrorCodes.GENERATOR_INVALID);
    expect(e.message).toBe(
      "p.json: $.interactions[0].response.generators.body['$.id'].type: expected a known generator type, got the unknown generator 'RandomLong'",
    );
    expect(e.details).toMatchObject({
      source: 'p.json',
      jsonPath: "$.interactions[0].response.generators.body['$.id'].type",
    });
  });

  it('refuses a generator without a type, and a status generator of an unknown type', () => {
    expect(() => normalizeResponse({ generators: { body: { '$.id': { min: 1 } } } }, 3, at)).toThrow(
      "generators.body['$.id'].type: expected a generator 'type' string, got nothing",
    );
    expect(() => normalizeResponse({ generators: { status: { type: 'Nope' } } }, 3, at)).toThrow(
      "$.interactions[0].response.generators.status.type: expected a known generator type, got the unknown generator 'Nope'",
    );
  });

  it('refuses a date generator whose Java format has unknown letters', () => {
    expect(() =>
      normalizeRequest({ path: '/', generators: { query: { since: { type: 'Date', format: 'yyyy-MM-bb' } } } }, 3, at),
    ).toThrow(
      /generators\.query\['since'\]\.format: expected a Java date\/time format, got the string "yyyy-MM-bb" \(.*"b"/,
    );
  });

  it('accepts the generator spellings the reference implementation writes', () => {
    const r = normalizeRequest(
      {
        path: '/',
        generators: {
          path: { type: 'ProviderState', expression: '/a/${id}' },
          query: { d: { type: 'DateTime', format: "yyyy-MM-dd'T'HH:mm:ss" }, u: { type: 'uuid' } },
        },
      },
      3,
    );
    expect(r.generators.path).toEqual({ '': { type: 'ProviderState', expression: '/a/${id}' } });
    expect(Object.keys(r.generators.query ?? {})).toEqual(['d', 'u']);
  });
});

describe('normalizeResponse', () => {
  it('validates the status', () => {
    expect(normalizeResponse({}, 3).status).toBe(200);
    expect(() => normalizeResponse({ status: 'ok' }, 3, { jsonPath: '$.r' })).toThrow('$.r.status');
  });
});
