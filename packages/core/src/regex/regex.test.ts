import { describe, expect, it } from 'vitest';
import { compilePactRegex, compileSchemaPattern, RegexIssue, searchPactRegex } from './index.js';

/** What cutover decides for a pact regex and a value: true/false, or why it cannot run. */
function verdict(pattern: string, value: string): boolean | 'invalid' | 'unsupported' {
  try {
    return compilePactRegex(pattern).matches(value);
  } catch (e) {
    if (e instanceof RegexIssue) return e.kind;
    throw e;
  }
}

describe('pact regexes (Ruby/Oniguruma syntax, whole value)', () => {
  // Each row was run through the stock pact-verifier (Oniguruma): `true`/`false` are its verdicts,
  // `invalid` is a pattern it refuses ("Oniguruma error: …").
  it.each([
    ['(?-mix:application\\/hal\\+json.*)', 'application/hal+json;charset=utf-8', true],
    ['(?i)^abc$', 'ABC', true],
    ['(?i:a)b', 'Ab', true],
    ['(?i:a)b', 'AB', false],
    ['a(?i)b|c', 'aC', true],
    ['a(?i)b|c', 'C', false],
    ['a{2}?', '', true],
    ['\\Aabc\\Z', 'abc\n', false],
    ['\\Aabc\\z', 'abc', true],
    ['\\Aabc\\Z', 'abc', true],
    ['[[:digit:]]+', '123', true],
    ['[[:alpha:][:digit:]]+', 'ab12', true],
    ['[[:^alpha:]]', '1', true],
    ['\\p{Alpha}+', 'abc', true],
    ['\\p{^Alpha}', '1', true],
    ['\\p{L}+', 'abç', true],
    ['(?<name>a)b', 'ab', true],
    ["(?'n'a)", 'a', true],
    ['\\h+', '0aF', true],
    ['\\h+', '0aG', false],
    ['a|ab', 'ab', true],
    ['\\d+', '١٢', true],
    ['\\w+', 'é', true],
    ['\\s', '\u00a0', true],
    ['(?m).+', 'a\nb', true],
    ['.+', 'a\nb', false],
    ['a$', 'a\n', false],
    ['abc', 'abcd', false],
    ['bc', 'abc', false],
    ['(?x) a b # c', 'ab', true],
    ['\\u0041\\x41\\101\\o{101}', 'AAAA', true],
    ['[\\d-]', '-', true],
    ['a{,2}', 'aa', true],
    ['a{2', 'a{2', true],
    ['a**', 'aa', true],
    [']}', ']}', true],
    ['\\Qa.b\\E', 'a.b', false],
    ['\\cA\\e', '\u0001\u001b', true],
    ['x*', '', true],
    ['(?P<name>a)b', 'ab', 'invalid'],
    ['(?s).+', 'a', 'invalid'],
    ['(?u)\\w', 'a', 'invalid'],
    ['(a', 'a', 'invalid'],
    ['[z-a]', 'a', 'invalid'],
    ['[\\d-z]', '-', 'invalid'],
    ['*a', 'a', 'invalid'],
  ] as const)('%j against %j: %s', (pattern, value, expected) => {
    expect(verdict(pattern, value)).toBe(expected);
  });

  // Valid for Oniguruma, but only a backtracking engine runs them: a coded error, never a guess.
  it.each([
    ['(a)\\1', '\\1', 'a backreference'],
    ['(?<n>a)\\k<n>', '\\k', 'a named backreference'],
    ['a(?=b)b', '(?=', 'a lookahead'],
    ['(?<=a)b', '(?<=', 'a lookbehind'],
    ['(?>a+)b', '(?>', 'an atomic group'],
    ['a++b', 'a++', 'a possessive quantifier'],
    ['[a-z&&[^b]]', '&&', 'a character class intersection'],
    ['\\R', '\\R', 'a linebreak escape'],
    ['[[:graph:]]', '[:graph:]', 'the POSIX class'],
    ['a{1001}', 'a{1001}', "a construct beyond the engine's limits"],
  ])('%j is unsupported, naming %j', (pattern, construct, reason) => {
    const issue = (() => {
      try {
        compilePactRegex(pattern);
      } catch (e) {
        return e as RegexIssue;
      }
      throw new Error('expected a RegexIssue');
    })();
    expect(issue).toBeInstanceOf(RegexIssue);
    expect(issue.kind).toBe('unsupported');
    expect(issue.construct).toContain(construct === 'a++' ? '++' : construct);
    expect(issue.reason).toContain(reason);
  });

  it('runs the classic ReDoS pattern in linear time', () => {
    const started = performance.now();
    expect(compilePactRegex('(a+)+$').matches(`${'a'.repeat(33)}!`)).toBe(false);
    expect(compilePactRegex('(a|aa)+b').matches('a'.repeat(5000))).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('finds capture groups anywhere in the value (MockServerURL)', () => {
    expect(searchPactRegex('.*(\\/orders\\/\\d+)$', 'http://localhost:1234/orders/7')?.[1]).toBe('/orders/7');
    expect(searchPactRegex('(?<path>\\/x)', 'no')).toBeUndefined();
  });
});

describe('schema patterns (ECMA-262, found anywhere)', () => {
  it.each([
    ['^\\s$', '\u00a0', true],
    ['^\\s$', '\v', true],
    ['^.$', '\r', false],
    ['^a$', 'a\n', false],
    ['^[\\w\\-]+$', 'a-b', true],
    ['\\d{3}', 'x123y', true],
    ['^\\d$', '١', false],
    ['^\\p{L}$', 'p{L}', true],
    ['^[^]$', '\n', true],
    ['^[]$', 'a', false],
    ['^a{,2}$', 'a{,2}', true],
  ] as const)('%j against %j: %s, as JavaScript decides', (pattern, value, expected) => {
    expect(new RegExp(pattern).test(value)).toBe(expected);
    expect(compileSchemaPattern(pattern).test(value)).toBe(expected);
  });

  it('runs the classic ReDoS pattern in linear time (V8 takes minutes on it)', () => {
    const started = performance.now();
    expect(compileSchemaPattern('(a+)+$').test(`${'a'.repeat(33)}!`)).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('refuses lookaround and backreferences, and reports invalid syntax as invalid', () => {
    expect(() => compileSchemaPattern('(?=a)')).toThrow(/lookahead/);
    expect(() => compileSchemaPattern('^(?<x>a)\\k<x>$')).toThrow(/backreference/);
    expect(() => compileSchemaPattern('(a')).toThrow(expect.objectContaining({ kind: 'invalid' }));
  });
});
