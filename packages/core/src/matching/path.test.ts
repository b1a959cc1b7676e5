import { describe, expect, it } from 'vitest';
import { ErrorCodes, MatchingRuleError } from '../errors.js';
import { formatPath, parseRulePath, pathMatches, pathWeight } from './path.js';
import { compileCategory, selectRules } from './rules.js';

describe('parseRulePath', () => {
  it('parses dotted fields, star indexes, indexes, quoted names and stars', () => {
    expect(parseRulePath("$.items[*]['first.name']")).toEqual([
      { kind: 'root' },
      { kind: 'field', name: 'items' },
      { kind: 'star-index' },
      { kind: 'field', name: 'first.name' },
    ]);
    expect(parseRulePath('$[0].a.*')).toEqual([
      { kind: 'root' },
      { kind: 'index', index: 0 },
      { kind: 'field', name: 'a' },
      { kind: 'star' },
    ]);
    expect(parseRulePath('$')).toEqual([{ kind: 'root' }]);
    expect(parseRulePath('$["x"]')).toEqual([{ kind: 'root' }, { kind: 'field', name: 'x' }]);
  });

  it('accepts XML attribute and text steps', () => {
    expect(parseRulePath("$.a['@id'].#text")).toEqual([
      { kind: 'root' },
      { kind: 'field', name: 'a' },
      { kind: 'field', name: '@id' },
      { kind: 'field', name: '#text' },
    ]);
  });

  it.each([
    ['', 'empty expression'],
    ['a.b', "expected '$'"],
    ['$.', 'field name'],
    ['$..a', 'field name'],
    ['$[', 'expected an index'],
    ['$[abc]', 'expected an index'],
    ['$[1', "expected ']'"],
    ["$['open", 'unterminated'],
    ["$['x'", "expected ']'"],
    ['$[*', "expected ']'"],
    ['$a', "unexpected character 'a'"],
  ])('rejects the malformed path %j with a MatchingRuleError (%s)', (expression, fragment) => {
    let error: unknown;
    try {
      parseRulePath(expression);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MatchingRuleError);
    expect((error as MatchingRuleError).code).toBe(ErrorCodes.MATCHING_RULE_INVALID);
    expect((error as Error).message).toContain(fragment);
    expect((error as MatchingRuleError).details.path).toBe(expression);
  });
});

describe('pathMatches', () => {
  it('matches the named path and cascades to its children', () => {
    expect(pathMatches('$.items[*].id', ['items', 3, 'id'])).toBe(true);
    expect(pathMatches('$.items', ['items', 3, 'id'])).toBe(true);
    expect(pathMatches('$.items[*].id', ['items', 3])).toBe(false);
    expect(pathMatches('$.other', ['items'])).toBe(false);
    expect(pathMatches('$.*', ['anything'])).toBe(true);
    expect(pathMatches('$[1]', [0])).toBe(false);
    expect(pathMatches('$[1]', [1])).toBe(true);
    expect(pathMatches("$['x.y']", ['x.y'])).toBe(true);
  });

  it('accepts a path that starts with the root', () => {
    expect(pathMatches('$.a.b', ['$', 'a', 'b'])).toBe(true);
  });

  it('does not let a star index match a field name', () => {
    expect(pathMatches('$[*]', ['people'])).toBe(false);
  });
});

describe('rule weights', () => {
  it('weighs exact steps above wildcards', () => {
    const path = ['$', 'a', 0, 'b'];
    expect(pathWeight(parseRulePath('$.a[0].b'), path)).toBe(16);
    expect(pathWeight(parseRulePath('$.a[*].b'), path)).toBe(8);
    expect(pathWeight(parseRulePath('$.*[*].b'), path)).toBe(4);
    expect(pathWeight(parseRulePath('$.a'), path)).toBe(4);
  });

  it('selects the most specific rule, and marks inherited rules as cascaded', () => {
    const rules = compileCategory(
      {
        '$.a': { matchers: [{ match: 'type' }] },
        '$.a[*].b': { matchers: [{ match: 'integer' }] },
        '$.a[0].b': { matchers: [{ match: 'regex', regex: 'x' }] },
      },
      '$.matchingRules.body',
      true,
    );
    expect(selectRules(rules, ['$', 'a', 0, 'b'])?.expression).toBe('$.a[0].b');
    expect(selectRules(rules, ['$', 'a', 1, 'b'])?.expression).toBe('$.a[*].b');
    const inherited = selectRules(rules, ['$', 'a', 1, 'c']);
    expect(inherited?.expression).toBe('$.a');
    expect(inherited?.cascaded).toBe(true);
    expect(selectRules(rules, ['$', 'a'])?.cascaded).toBe(false);
    expect(selectRules(rules, ['$', 'z'])).toBeUndefined();
  });
});

describe('formatPath', () => {
  it('renders fields, indexes and awkward names', () => {
    expect(formatPath(['$', 'items', 0, 'first.name', '@id'])).toBe("$.items[0]['first.name'].@id");
    expect(formatPath(['$'])).toBe('$');
  });
});
