import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ErrorCodes } from '../errors.js';
import * as regex from '../regex/index.js';
import { compileMatcher } from './rules.js';

vi.mock('../regex/index.js', async (original) => {
  const actual = await original<typeof regex>();
  return { ...actual, compilePactRegex: vi.fn(actual.compilePactRegex) };
});

describe('regex matchers compile on first use', () => {
  beforeEach(() => {
    vi.mocked(regex.compilePactRegex).mockClear();
  });

  it('reading a rule compiles nothing; the first test compiles once, later tests reuse it', () => {
    const matcher = compileMatcher({ match: 'regex', regex: '^[A-Z]{2}\\d+$' }, '$.body.id');
    expect(regex.compilePactRegex).not.toHaveBeenCalled();
    expect(matcher.type === 'regex' && matcher.test('AB12')).toBe(true);
    expect(matcher.type === 'regex' && matcher.test('ab12')).toBe(false);
    expect(regex.compilePactRegex).toHaveBeenCalledTimes(1);
  });

  it('a pattern the engine cannot run is still read, and every test of it throws the coded error naming the rule', () => {
    const matcher = compileMatcher({ match: 'regex', regex: '(a)\\1' }, '$.body.id');
    expect(matcher.type).toBe('regex');
    for (let i = 0; i < 2; i++) {
      expect(() => matcher.type === 'regex' && matcher.test('aa')).toThrow(
        expect.objectContaining({
          code: ErrorCodes.REGEX_UNSUPPORTED,
          details: expect.objectContaining({ jsonPath: '$.body.id.regex' }),
        }),
      );
    }
    expect(regex.compilePactRegex).toHaveBeenCalledTimes(1);
  });
});
