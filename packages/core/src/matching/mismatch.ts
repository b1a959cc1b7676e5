import type { Mismatch, MismatchKind } from '../model.js';

const MAX = 80;

function clip(text: string): string {
  return text.length > MAX ? `${text.slice(0, MAX - 1)}…` : text;
}

/** Describes a value for a sentence: `the string "7"`, `the number 7`, `a list of 3 items`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
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
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return clip(JSON.stringify(value));
  try {
    return clip(JSON.stringify(value) ?? String(value));
  } catch {
    return String(value);
  }
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
