import { createHash } from 'node:crypto';
import type { InteractionResult } from '@cutover/core';

/**
 * The longest value (as JSON text, in bytes) a result keeps whole in a difference or mismatch.
 * Bodies can be megabytes; reports, the broker and PR comments need what differs, not the body.
 */
export const REPORT_VALUE_LIMIT = 4096;

/** How much of a truncated value is kept, so a reader still sees how it starts. */
const HEAD = 256;

/**
 * `value` itself when small; otherwise a string with its first characters, its size and the
 * SHA-256 of its text (the string itself, or its JSON), so two large values can still be told
 * apart or matched: `{"items":[… [truncated: 157286400 bytes, sha256 9f86d0…]`.
 *
 * @example
 * reportValue('x'.repeat(10_000)) // 'xxxx… [truncated: 10000 bytes, sha256 …]'
 */
export function reportValue(value: unknown): unknown {
  if (value === null || (typeof value !== 'object' && typeof value !== 'string')) return value;
  // A UTF-16 code unit is at most 3 bytes of UTF-8: short strings need no measuring.
  if (typeof value === 'string' && value.length * 3 <= REPORT_VALUE_LIMIT) return value;
  let data: Buffer | string;
  if (value instanceof Uint8Array) data = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  else if (typeof value === 'string') data = value;
  else {
    const json = JSON.stringify(value) as string | undefined;
    if (json === undefined) return value;
    data = json;
  }
  const size = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
  if (size <= REPORT_VALUE_LIMIT) return value;
  const sha256 = createHash('sha256').update(data).digest('hex');
  const head = typeof data === 'string' ? `${data.slice(0, HEAD)}…` : `<${size} bytes>`;
  return `${head} [truncated: ${size} bytes, sha256 ${sha256}]`;
}

/** Truncates, in place, every large value a result carries (differences, noise, mismatches). */
export function boundResultValues(result: InteractionResult): InteractionResult {
  for (const difference of [...result.parity.differences, ...result.parity.noise]) {
    difference.monolith = reportValue(difference.monolith);
    difference.candidate = reportValue(difference.candidate);
  }
  for (const outcome of Object.values(result.targets)) {
    for (const mismatch of outcome.mismatches) {
      mismatch.expected = reportValue(mismatch.expected);
      mismatch.actual = reportValue(mismatch.actual);
    }
  }
  return result;
}
