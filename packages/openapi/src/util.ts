import { previewValue } from '@cutover/core';

/** Describes a value briefly for a message: `"abc"`, `42`, `an object`, `an array`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return previewValue(value, { max: 60 });
}

/**
 * The values a schema allows (`enum`, `const`), for a message: at most `max` of them, each cut
 * like {@link describeValue}, the rest counted. Messages reach consoles, PR comments and brokers,
 * and the document may come from a pull request: never quote it at unbounded length.
 *
 * @example
 * previewValues(['a', 'b', 'c'], 2) // '"a", "b" (and 1 more)'
 */
export function previewValues(values: readonly unknown[], max = 10): string {
  const shown = values.slice(0, max).map(describeValue).join(', ');
  return values.length > max ? `${shown} (and ${values.length - max} more)` : shown;
}
