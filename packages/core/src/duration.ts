import { UsageError } from './errors.js';

const DURATION_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * A duration written as a positive whole number and a unit (`s`, `m`, `h`, `d`), as policies and command
 * options take it, in milliseconds. Anything else is a `CUTOVER_USAGE` error naming `what`.
 *
 * @example
 * parseDuration('30m') // 1_800_000
 */
export function parseDuration(text: string, what = 'duration'): number {
  const match = /^([1-9]\d*)([smhd])$/.exec(text.trim());
  if (!match)
    throw new UsageError(
      `${what} must be a number with a unit (s, m, h, d) such as 30m, 24h or 7d, not ${JSON.stringify(text)}`,
    );
  return Number(match[1]) * DURATION_MS[match[2] as keyof typeof DURATION_MS];
}
