import { contentFamily } from './matchers/apply.js';

/** A Content-Type/Accept value: type/subtype and its parameters (names lower-cased). */
export interface MediaType {
  base: string;
  params: Map<string, string>;
}

const MEDIA_TYPE = /^[\w!#$&^.+-]+\/[\w!#$&^.+-]+$/;

export function parseMediaType(value: string): MediaType {
  const [base = '', ...rest] = value.split(';');
  const params = new Map<string, string>();
  // Type, subtype and parameter names are case-insensitive (RFC 9110 §8.3.1); values are compared by the caller.
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq < 0) continue;
    params.set(
      p.slice(0, eq).trim().toLowerCase(),
      p
        .slice(eq + 1)
        .trim()
        .replace(/^"(.*)"$/, '$1'),
    );
  }
  const trimmed = base.trim();
  // Only a real type/subtype is case-insensitive; any other value (`Accept: alligators`) is compared
  // as written, as the spec's "header value is different case" cases require.
  return { base: MEDIA_TYPE.test(trimmed) ? trimmed.toLowerCase() : trimmed, params };
}

/** Parameter values are case-sensitive, except charset's (RFC 9110 §8.3.2). */
function sameParam(name: string, a: string, b: string): boolean {
  return name === 'charset' ? a.toLowerCase() === b.toLowerCase() : a === b;
}

/**
 * Media types match when the type/subtype agree (ignoring case) and every expected parameter is
 * present with the same value: parameter values are case-sensitive except charset's.
 */
export function mediaTypeMismatch(expected: string, actual: string): string | undefined {
  const e = parseMediaType(expected);
  const a = parseMediaType(actual);
  if (e.base !== a.base) return `the media type ${e.base}`;
  for (const [key, value] of e.params) {
    const got = a.params.get(key);
    if (got === undefined || !sameParam(key, got, value)) return `the parameter ${key}=${value}`;
  }
  return undefined;
}

/**
 * JSON defines no charset parameter and is UTF-8 (RFC 8259 §11): `charset=utf-8` on one side and
 * no charset on the other say the same thing.
 */
function meaningfulParams(media: MediaType, other: MediaType): Map<string, string> {
  const params = new Map(media.params);
  const charset = params.get('charset');
  if (
    contentFamily(media.base) === 'json' &&
    charset !== undefined &&
    charset.toLowerCase() === 'utf-8' &&
    !other.params.has('charset')
  ) {
    params.delete('charset');
  }
  return params;
}

/**
 * What differs between two Content-Type values, as one sentence, or undefined when they mean the
 * same: type/subtype and parameter names compared without case, parameters in any order, charset's
 * value without case, and JSON's redundant `charset=utf-8` left out.
 *
 * @example
 * describeMediaTypeDifference('application/json', 'Application/JSON; charset=UTF-8') // undefined
 * describeMediaTypeDifference('text/csv; header=present', 'text/csv')
 * // 'the candidate leaves out the parameter header=present'
 */
export function describeMediaTypeDifference(
  monolith: string,
  candidate: string,
  names: { left: string; right: string } = { left: 'the monolith', right: 'the candidate' },
): string | undefined {
  const m = parseMediaType(monolith);
  const c = parseMediaType(candidate);
  if (m.base !== c.base) return `the media type is ${m.base} on ${names.left} but ${c.base} on ${names.right}`;
  const mp = meaningfulParams(m, c);
  const cp = meaningfulParams(c, m);
  const parts: string[] = [];
  for (const [name, value] of mp) {
    const other = cp.get(name);
    if (other === undefined) parts.push(`${names.right} leaves out the parameter ${name}=${value}`);
    else if (!sameParam(name, value, other))
      parts.push(`the parameter ${name} is ${value} on ${names.left} but ${other} on ${names.right}`);
  }
  for (const [name, value] of cp) {
    if (!mp.has(name)) parts.push(`${names.right} adds the parameter ${name}=${value}`);
  }
  return parts.length > 0 ? parts.join('; ') : undefined;
}
