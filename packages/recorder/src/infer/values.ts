import type { MatcherDefinition, RuleList } from '@cutover/core';

/**
 * String formats that get a regex matcher when every observation of a field has the format, in
 * the order they are tried. The regexes are the ones written into the pact (and documented in the
 * README), so a reviewer reads exactly what will be enforced.
 */
export const STRING_FORMATS: readonly { name: string; regex: string }[] = [
  { name: 'uuid', regex: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' },
  {
    name: 'date-time',
    regex: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?(?:Z|[+-]\\d{2}:?\\d{2})?$',
  },
  { name: 'date', regex: '^\\d{4}-\\d{2}-\\d{2}$' },
  { name: 'email', regex: '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$' },
];
const compiledFormats = STRING_FORMATS.map((f) => ({ ...f, test: new RegExp(f.regex) }));

/**
 * Looks like a value from a closed set: a lower-case word or snake/kebab identifier (`in_transit`,
 * `out-for-delivery`) or an upper-case code (`FR`, `EUR`, `PENDING_REVIEW`), at most 40 characters.
 * Names, ids and free text (`Paris`, `SHP-1001`, `Delivered to the door`) are not.
 */
export function looksLikeEnum(value: string): boolean {
  return (
    value.length <= 40 &&
    (/^[a-z][a-z0-9]*(?:[_-][a-z0-9]+)*$/.test(value) || /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/.test(value))
  );
}

/**
 * The matcher for the values one string field took across observations. Equality needs
 * `minAgreeing` observations (2 inside arrays: one element says nothing about its siblings).
 */
export function stringMatcher(values: readonly string[], minAgreeing = 1): MatcherDefinition {
  for (const format of compiledFormats)
    if (values.every((v) => format.test.test(v))) return { match: 'regex', regex: format.regex };
  if (values.length >= minAgreeing && values.every((v) => v === values[0]) && looksLikeEnum(values[0]!))
    return { match: 'equality' };
  return { match: 'type' };
}

/** A structural fingerprint of a JSON value: keys and types, array lengths ignored when all elements share a shape. */
export function shapeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    const shapes = value.map(shapeOf);
    if (shapes.length > 0 && shapes.every((s) => s === shapes[0])) return `[${shapes[0]}*]`;
    return `[${shapes.join(',')}]`;
  }
  if (typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${shapeOf((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return typeof value;
}

function child(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  if (key === '*') return `${path}[*]`;
  return /^[A-Za-z_][\w-]*$/.test(key)
    ? `${path}.${key}`
    : `${path}['${key.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
}

const rule = (matcher: MatcherDefinition): RuleList => ({ combine: 'AND', matchers: [matcher] });

export interface InferredBody {
  /** The example written into the pact: the first observation, arrays of one shape cut to one element. */
  example: unknown;
  /** Matching rules by path (`$.items[*].id`), one per leaf and per array. */
  rules: Record<string, RuleList>;
}

/**
 * Infers an example and matching rules from several observations of one JSON shape (they must all
 * have the same {@link shapeOf}). Each leaf gets its own rule, so nothing depends on a rule
 * cascading from a parent:
 * - strings: a regex when every observation is a UUID, date-time, date or e-mail; equality when
 *   every observation agreed and the value looks like an enum (inside an array, at least two
 *   elements must have agreed); the type otherwise;
 * - numbers and booleans: the type; `null`: the null matcher;
 * - arrays whose elements share one shape: `{ match: 'type', min: 1 }` (each-like) with the element
 *   inferred from every element seen; an empty array `{ match: 'type', min: 0 }`; arrays of mixed
 *   shapes element by element.
 *
 * @example
 * inferBody([{ id: 'a1b2…', status: 'open' }, { id: 'c3d4…', status: 'open' }]).rules
 * // { '$.id': type, '$.status': equality }
 */
export function inferBody(observations: readonly unknown[]): InferredBody {
  const rules: Record<string, RuleList> = {};
  const example = infer(observations, '$', rules);
  return { example, rules };
}

function infer(values: readonly unknown[], path: string, rules: Record<string, RuleList>): unknown {
  const first = values[0];
  if (first === null) {
    rules[path] = rule({ match: 'null' });
    return null;
  }
  if (Array.isArray(first)) {
    const arrays = values as unknown[][];
    if (first.length === 0) {
      rules[path] = rule({ match: 'type', min: 0 });
      return [];
    }
    if (shapeOf(first).endsWith('*]')) {
      rules[path] = rule({ match: 'type', min: 1 });
      return [infer(arrays.flat(), child(path, '*'), rules)];
    }
    return first.map((_, i) =>
      infer(
        arrays.map((a) => a[i]),
        child(path, i),
        rules,
      ),
    );
  }
  if (typeof first === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(first as object))
      out[key] = infer(
        values.map((v) => (v as Record<string, unknown>)[key]),
        child(path, key),
        rules,
      );
    return out;
  }
  if (typeof first === 'string') rules[path] = rule(stringMatcher(values as string[], path.includes('[*]') ? 2 : 1));
  else rules[path] = rule({ match: 'type' });
  return first;
}
