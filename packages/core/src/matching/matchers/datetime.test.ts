import { describe, expect, it } from 'vitest';
import { compileDateMatcher, javaPatternToRegex } from './datetime.js';

const ok = (format: string, value: string) => {
  const m = compileDateMatcher('timestamp', format);
  return m.type === 'timestamp' && m.test(value);
};

describe('Java date/time patterns', () => {
  it.each([
    ['yyyy-MM-dd', '2024-02-29', true],
    ['yyyy-MM-dd', '2023-02-29', false],
    ['yyyy-MM-dd', '2024-13-01', false],
    ["yyyy-MM-dd'T'HH:mm:ss.SSSXXX", '2024-05-01T10:11:12.345+02:00', true],
    ["yyyy-MM-dd'T'HH:mm:ss.SSSXXX", '2024-05-01T10:11:12.345Z', true],
    ["yyyy-MM-dd'T'HH:mm:ss.SSSXXX", '2024-05-01T10:11:12Z', false],
    ["yyyy-MM-dd'T'HH:mm:ssZ", '2024-05-01T10:11:12+0200', true],
    ['EEE, dd MMM yyyy HH:mm:ss z', 'Mon, 01 Jan 2024 10:00:00 GMT', true],
    ['EEEE d MMMM yy', 'Friday 3 March 23', true],
    ['h:mm a', '7:05 PM', true],
    ['h:mm a', '13:05 PM', false],
    ['HH:mm[:ss]', '10:00', true],
    ['HH:mm[:ss]', '10:00:59', true],
    ["dd/MM/yyyy 'at' HH''mm", "01/02/2020 at 10'30", true],
  ])('%s accepts %j: %s', (format, value, expected) => {
    expect(ok(format, value)).toBe(expected);
  });

  it('escapes literal punctuation', () => {
    expect(javaPatternToRegex('yyyy.MM').test('2024x05')).toBe(false);
  });
});
