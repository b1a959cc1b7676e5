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
    // Range checks read the fields' capture groups by position: literal parentheses and
    // month names must not shift them.
    ["'('dd')' MM yyyy", '(30) 04 2023', true],
    ["'('dd')' MM yyyy", '(31) 04 2023', false],
    ["'('yyyy')' dd MM", '(2023) 29 02', false],
    ["'('yyyy')' dd MM", '(2024) 29 02', true],
    ['dd MMM yyyy', '31 Apr 2023', false],
    ['d MMMM yyyy', '29 February 2023', false],
    ['d MMMM yyyy', '29 February 2024', true],
    ['yyyy-MM', '2023-02', true],
  ])('%s accepts %j: %s', (format, value, expected) => {
    expect(ok(format, value)).toBe(expected);
  });

  it('escapes literal punctuation', () => {
    expect(javaPatternToRegex('yyyy.MM').test('2024x05')).toBe(false);
  });
});

describe('ISO 8601 defaults (no format)', () => {
  it.each([
    ['date', '2024-02-29', true],
    ['date', '2023-02-29', false],
    ['date', '2023-04-31', false],
    ['timestamp', '2024-02-29T10:00:00Z', true],
    ['timestamp', '2023-02-30T10:00:00Z', false],
    ['timestamp', '2023-06-30 10:00:00.123+02:00', true],
    ['time', '23:59:60', true],
    ['time', '24:00', false],
  ] as const)('a %s matcher accepts %j: %s', (kind, value, expected) => {
    const m = compileDateMatcher(kind, undefined);
    expect(m.type === kind && m.test(value)).toBe(expected);
  });
});
