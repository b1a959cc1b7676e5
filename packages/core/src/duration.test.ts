import { describe, expect, it } from 'vitest';
import { parseDuration } from './duration.js';

describe('parseDuration', () => {
  it('reads seconds, minutes, hours and days as milliseconds', () => {
    expect(parseDuration('45s')).toBe(45_000);
    expect(parseDuration('30m')).toBe(1_800_000);
    expect(parseDuration('24h')).toBe(86_400_000);
    expect(parseDuration('7d')).toBe(604_800_000);
  });

  it('refuses other text with a usage error naming the option', () => {
    for (const text of ['', '0h', '24', 'h', '1.5h', '-1h', '2w', '1h30m'])
      expect(() => parseDuration(text, '--clean-every')).toThrow(
        expect.objectContaining({ code: 'CUTOVER_USAGE', message: expect.stringContaining('--clean-every') }),
      );
  });
});
