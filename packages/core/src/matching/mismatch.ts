import type { HttpBody, Mismatch, MismatchKind } from '../model.js';
import { describeBytes } from './binary.js';
import { clipText as clip, previewValue } from '../preview.js';

/** Describes a value for a sentence: `the string "7"`, `the number 7`, `a list of 3 items`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (value instanceof Uint8Array) return describeBytes(value);
  if (typeof value === 'string') return value === '' ? 'an empty string' : `the string ${clip(JSON.stringify(value))}`;
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return `the boolean ${value}`;
  if (Array.isArray(value))
    return value.length === 0 ? 'an empty list' : `a list of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'object') {
    const keys = Object.keys(value);
    return keys.length === 0 ? 'an empty object' : `an object with keys ${clip(keys.join(', '))}`;
  }
  return String(value);
}

/** A short rendering of a value inside a sentence (JSON, clipped). */
export const show = previewValue;

/**
 * A body from a pact in a sentence: JSON as JSON (`{"a":1}`), text quoted, binary as
 * `<N bytes of image/png>`, clipped.
 *
 * @example
 * showBody({ kind: 'present', content: { a: 1 } }) // '{"a":1}'
 */
export function showBody(body: HttpBody): string {
  if (body.kind === 'absent' || body.content === undefined) return 'nothing';
  if (body.encoded === 'base64' && typeof body.content === 'string') {
    return describeBytes(Buffer.from(body.content, 'base64'), body.contentType);
  }
  // `encoded: 'json'` content is JSON text already: show it as JSON, not as a quoted string.
  if (body.encoded === 'json' && typeof body.content === 'string') return clip(body.content);
  return show(body.content);
}

export function mismatch(
  kind: MismatchKind,
  path: string,
  expected: unknown,
  actual: unknown,
  message: string,
): Mismatch {
  return { kind, path, expected, actual, message };
}

/** JSON type name used in sentences. */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'object') return 'object';
  return typeof value;
}
