import { describe, expect, it } from 'vitest';
import type { MatchResult } from '../../model.js';
import { matchRequest } from '../request.js';
import { matchResponse } from '../response.js';

type Rules = Record<string, { matchers: Record<string, unknown>[] }>;
const xml = (content: string) => ({ content, contentType: 'application/xml' });

function response(expected: string, actual: string, rules: Rules = {}): MatchResult {
  return matchResponse(
    { status: 200, body: xml(expected), matchingRules: { body: rules } },
    { status: 200, body: xml(actual) },
    { specVersion: '4.0' },
  );
}

function request(expected: string, actual: string, rules: Rules = {}): MatchResult {
  return matchRequest(
    { method: 'POST', path: '/', body: xml(expected), matchingRules: { body: rules } },
    { method: 'POST', path: '/', body: xml(actual) },
    { specVersion: '4.0' },
  );
}

const paths = (r: MatchResult) => r.mismatches.map((m) => m.path);

describe('XML bodies', () => {
  it('ignores whitespace between elements and the order of attributes', () => {
    expect(response('<a x="1" y="2"><b>t</b></a>', '<a y="2" x="1">\n  <b> t </b>\n</a>').ok).toBe(true);
  });

  it('compares element names with their namespace URI, not their prefix', () => {
    expect(response('<p:a xmlns:p="urn:x"/>', '<q:a xmlns:q="urn:x"/>').ok).toBe(true);
    expect(response('<p:a xmlns:p="urn:x"/>', '<p:a xmlns:p="urn:y"/>').ok).toBe(false);
  });

  it('reports missing attributes, children and different text at their paths', () => {
    const r = response('<a id="1"><b>x</b><c/></a>', '<a><b>y</b></a>');
    expect(paths(r)).toEqual(['$.a.@id', '$.a.b.#text', '$.a.c']);
    expect(r.mismatches[0]?.message).toBe('Expected attribute id="1" on $.a, but it was missing');
  });

  it('shows the position of an element among same-named siblings', () => {
    const r = response('<a><b>1</b><b>2</b></a>', '<a><b>1</b><b>3</b></a>');
    expect(paths(r)).toEqual(['$.a.b[1].#text']);
  });

  it('allows extra attributes and children in responses but not in requests', () => {
    expect(response('<a/>', '<a extra="1"><more/></a>').ok).toBe(true);
    expect(paths(request('<a/>', '<a extra="1"/>'))).toEqual(['$.a.@extra']);
    expect(request('<a/>', '<a><more/></a>').ok).toBe(false);
  });

  it('checks repeated children against the first expected one under a type rule, with min', () => {
    const rules: Rules = { '$.list': { matchers: [{ match: 'type', min: 2 }] } };
    expect(response('<list><i n="1"/></list>', '<list><i n="5"/><i n="6"/></list>', rules).ok).toBe(true);
    const tooFew = response('<list><i n="1"/></list>', '<list><i n="5"/></list>', rules);
    expect(tooFew.mismatches.map((m) => m.message)).toEqual([
      'Expected $.list to have at least 2 child element(s), but got <list> with 1 child element(s)',
    ]);
  });

  it('applies rules written with element positions ($.list[*].i) as well as by name', () => {
    const rules: Rules = {
      '$.list': { matchers: [{ match: 'type' }] },
      "$.list[*].i['@n']": { matchers: [{ match: 'integer' }] },
    };
    expect(response('<list><i n="1"/></list>', '<list><i n="5"/><i n="6"/></list>', rules).ok).toBe(true);
    expect(response('<list><i n="1"/></list>', '<list><i n="5"/><i n="x"/></list>', rules).ok).toBe(false);
  });

  it('reports a body that is not XML', () => {
    const r = response('<a/>', '<a>');
    expect(r.ok).toBe(false);
    expect(r.mismatches[0]?.message).toContain('could not be parsed as XML');
  });
});
