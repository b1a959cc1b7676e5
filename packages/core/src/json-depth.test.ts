import { describe, expect, it } from 'vitest';
import { exceedsJsonDepth, MAX_JSON_DEPTH } from './json-depth.js';
import { matchHttpResponse, observedResponse } from './matching/index.js';
import type { HttpResponse } from './model.js';
import { normalizeResponse } from './pact/http.js';

const nested = (depth: number, leaf = '1'): string => '['.repeat(depth) + leaf + ']'.repeat(depth);

describe('exceedsJsonDepth', () => {
  it('counts nesting of arrays and objects, scalars being depth 0', () => {
    expect(exceedsJsonDepth(1, 0)).toBe(false);
    expect(exceedsJsonDepth([], 0)).toBe(true);
    expect(exceedsJsonDepth({ a: [{ b: 1 }] }, 3)).toBe(false);
    expect(exceedsJsonDepth({ a: [{ b: {} }] }, 3)).toBe(true);
    expect(exceedsJsonDepth(JSON.parse(nested(MAX_JSON_DEPTH)))).toBe(false);
    expect(exceedsJsonDepth(JSON.parse(nested(MAX_JSON_DEPTH + 1)))).toBe(true);
  });

  it('answers for 100,000 levels without recursing', () => {
    expect(exceedsJsonDepth(JSON.parse(nested(100_000)), 200_000)).toBe(false);
  });
});

describe('bodies nested deeper than MAX_JSON_DEPTH', () => {
  it('observedResponse refuses a deep JSON body with CUTOVER_LIMIT_EXCEEDED', () => {
    const body = Buffer.from(nested(5000));
    expect(() => observedResponse({ status: 200, headers: { 'content-type': 'application/json' }, body })).toThrow(
      expect.objectContaining({
        code: 'CUTOVER_LIMIT_EXCEEDED',
        message: 'the body nests JSON deeper than 256 levels, the limit for JSON bodies',
      }),
    );
    // Without a Content-Type, a body that reads as JSON is JSON: the same limit.
    expect(() => observedResponse({ status: 200, headers: {}, body: Buffer.from(nested(MAX_JSON_DEPTH + 1)) })).toThrow(
      expect.objectContaining({ code: 'CUTOVER_LIMIT_EXCEEDED' }),
    );
  });

  it('a pact refuses a deep body at load, naming its JSON path, as a value or as JSON text', () => {
    const at = { source: 'p.json', jsonPath: '$.interactions[0].response' };
    const message =
      'p.json: $.interactions[0].response.body: expected JSON nested at most 256 levels deep, got JSON nested deeper';
    expect(() => normalizeResponse({ status: 200, body: JSON.parse(nested(5000)) }, 3, at)).toThrow(message);
    expect(() =>
      normalizeResponse({ status: 200, headers: { 'Content-Type': 'application/json' }, body: nested(300) }, 3, at),
    ).toThrow(message);
    expect(() => normalizeResponse({ status: 200, body: { content: nested(300), encoded: 'json' } }, 4, at)).toThrow(
      message,
    );
    expect(normalizeResponse({ status: 200, body: JSON.parse(nested(MAX_JSON_DEPTH)) }, 3, at).body.kind).toBe(
      'present',
    );
  });

  it('matching refuses XML elements nested deeper than the limit with CUTOVER_LIMIT_EXCEEDED, on either side', () => {
    const xml = (depth: number) => '<a>'.repeat(depth) + 'x' + '</a>'.repeat(depth);
    const expected = (content: string): HttpResponse => ({
      status: 200,
      headers: { 'Content-Type': ['application/xml'] },
      body: { kind: 'present', content, contentType: 'application/xml' },
      matchingRules: {},
      generators: {},
    });
    const actual = (content: string) =>
      observedResponse({ status: 200, headers: { 'content-type': 'application/xml' }, body: Buffer.from(content) });
    const deep = xml(5000);
    for (const [e, a] of [
      [deep, deep],
      [xml(2), deep],
    ] as const) {
      expect(() => matchHttpResponse(expected(e), actual(a), { specMajor: 3 })).toThrow(
        expect.objectContaining({
          code: 'CUTOVER_LIMIT_EXCEEDED',
          message: 'the XML body nests elements deeper than 256 levels, the limit for bodies',
        }),
      );
    }
    const atLimit = xml(MAX_JSON_DEPTH);
    expect(matchHttpResponse(expected(atLimit), actual(atLimit), { specMajor: 3 }).ok).toBe(true);
  });
});
