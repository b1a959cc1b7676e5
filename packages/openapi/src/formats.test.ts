import { describe, expect, it } from 'vitest';
// The reference implementation this one must agree with.
import { fullFormats } from 'ajv-formats/dist/formats.js';
import { isDateTime } from './formats.js';

const reference = (fullFormats['date-time'] as { validate: (s: string) => boolean }).validate;

const cases = [
  '2026-01-31T10:00:00Z',
  '2026-01-31t10:00:00z',
  '2026-01-31 10:00:00.123456+05:30',
  '2024-02-29T00:00:00Z',
  '2026-02-29T00:00:00Z',
  '1900-02-29T00:00:00Z',
  '2000-02-29T00:00:00Z',
  '2026-04-31T00:00:00Z',
  '2026-00-10T00:00:00Z',
  '2026-13-10T00:00:00Z',
  '2026-01-00T00:00:00Z',
  '2026-01-31T24:00:00Z',
  '2026-01-31T23:60:00Z',
  '2026-01-31T10:00:00',
  '2026-01-31T10:00:00+01',
  '2026-01-31T10:00:00+0130',
  '2026-01-31T10:00:00+24:00',
  '2026-01-31T10:00:00+01:60',
  '1990-12-31T23:59:60Z',
  '1990-12-31T15:59:60-08:00',
  '1990-12-31T23:59:60+01:00',
  '1990-12-31T22:59:60Z',
  '2026-01-31T10:00:61Z',
  '2026-01-31TT10:00:00Z',
  '2026-01-31',
  '',
  'yesterday',
];

describe('date-time format', () => {
  it.each(cases)('agrees with ajv-formats on %j', (text) => {
    expect(isDateTime(text)).toBe(reference(text));
  });

  it('accepts valid timestamps and rejects impossible ones', () => {
    expect(isDateTime('2024-02-29T12:00:00Z')).toBe(true);
    expect(isDateTime('2026-02-29T12:00:00Z')).toBe(false);
    expect(isDateTime('2026-01-31T10:00:00')).toBe(false);
  });
});
