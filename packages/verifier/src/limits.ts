import { UsageError } from '@cutover/core';

/** The range and default of one numeric verify option. */
export interface NumericLimit {
  min: number;
  max: number;
  default: number;
}

/**
 * The numeric options of {@link runVerify} (and their `cutover verify` flags): the one place
 * their ranges and defaults are declared. `timeoutMs` stops at setTimeout's largest delay, beyond
 * which Node fires the timer at once; `retries` bounds the exponential backoff (20 ms × 2^n).
 */
export const VERIFY_LIMITS = {
  concurrency: { min: 1, max: 512, default: 8 },
  timeoutMs: { min: 1, max: 2 ** 31 - 1, default: 10_000 },
  retries: { min: 0, max: 10, default: 2 },
  noiseSamples: { min: 1, max: 10, default: 2 },
  /** 10 MiB by default; at most 1 GiB, since every body is held in memory. */
  maxBodyBytes: { min: 1, max: 2 ** 30, default: 10 * 2 ** 20 },
} as const satisfies Record<string, NumericLimit>;

/**
 * `value` when it is an integer within `limit`, the default when undefined; otherwise a
 * UsageError naming the option (`name`) and the allowed range.
 *
 * @example
 * checkedOption('--timeout', 3_000_000_000, VERIFY_LIMITS.timeoutMs) // throws CUTOVER_USAGE
 */
export function checkedOption(
  name: string,
  value: number | undefined,
  limit: NumericLimit,
  show: (n: number) => string = String,
): number {
  if (value === undefined) return limit.default;
  if (!Number.isInteger(value) || value < limit.min || value > limit.max) {
    const got = Number.isNaN(value) ? 'something that is not a number' : show(value);
    const range = `${show(limit.min)} to ${show(limit.max)}`;
    throw new UsageError(`${name} must be ${show === String ? 'an integer ' : ''}from ${range}, got ${got}`, {
      details: { option: name, min: limit.min, max: limit.max },
    });
  }
  return value;
}

const SIZE = /^(\d+(?:\.\d+)?)\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?$/i;
const UNITS: Record<string, number> = { b: 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30 };

/**
 * A byte size such as `10MB`, `512kb` or `1048576` (units are powers of 1024); a UsageError naming
 * `name` when it is not one.
 *
 * @example
 * parseByteSize('--max-body', '10MB') // 10485760
 */
export function parseByteSize(name: string, text: string): number {
  const match = SIZE.exec(text.trim());
  if (!match) {
    throw new UsageError(`${name} must be a size such as 10MB, 512KB or 1048576 (bytes), got ${JSON.stringify(text)}`);
  }
  return Math.round(Number(match[1]) * UNITS[(match[2] ?? 'b')[0]!.toLowerCase()]!);
}

/** `10 MiB`, `512 KiB`, `1234 bytes`: a byte size for messages. */
export function formatByteSize(bytes: number): string {
  for (const [unit, size] of [
    ['GiB', 2 ** 30],
    ['MiB', 2 ** 20],
    ['KiB', 2 ** 10],
  ] as const) {
    if (bytes >= size) return `${Number((bytes / size).toFixed(1))} ${unit}`;
  }
  return bytes === 1 ? '1 byte' : `${bytes} bytes`;
}
