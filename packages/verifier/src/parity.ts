import {
  decimalKey,
  describeMediaTypeDifference,
  formatJsonPath,
  keyCount,
  numberLiteral,
  previewValue,
  scanJsonKeys,
} from '@cutover/core';
import type { Difference, HttpBody } from '@cutover/core';
import { isJsonContentType } from './http.js';
import { findRule } from './noise.js';
import type { NoiseRule, RouteNoise } from './noise.js';

/** A response reduced to what parity compares. */
export interface ComparableResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string[]>;
  body: HttpBody;
  /** The body's text as received: numbers and repeated keys are compared as written. */
  text?: string;
}

type Segments = (string | number)[];
interface Diff extends Difference {
  segments: Segments;
  /** Both sides of a number difference as doubles, for tolerance rules. */
  numbers?: [number, number];
}

/** A number's literal (when JSON.parse changed it) at `key` of a parsed container. */
function literalAt(container: object, key: string | number): string | undefined {
  return typeof (container as Record<string | number, unknown>)[key] === 'number'
    ? numberLiteral(container, key)
    : undefined;
}

/** A number as written: its literal when JSON.parse changed it, else how JavaScript writes the double. */
function numberText(value: number, literal: string | undefined): string {
  return literal ?? String(value);
}

/** Whether a number is written with a fraction or exponent (`10.0`, `1e2`) rather than as an integer. */
function decimalForm(value: number, literal: string | undefined): boolean {
  return literal === undefined ? !Number.isInteger(value) : /[.eE]/.test(literal);
}

/** Hop-by-hop headers, and headers that differ between any two responses of the same service. */
export const DEFAULT_IGNORED_HEADERS = [
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'date',
  'server',
  'content-length',
  'x-powered-by',
  'etag',
  'age',
  'via',
  'x-request-id',
  'x-response-time',
];

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function show(value: unknown): string {
  return previewValue(value, { max: 60, absent: 'undefined' });
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

interface DiffContext {
  rules: NoiseRule[];
  out: Diff[];
}

function diff(
  kind: Difference['kind'],
  segments: Segments,
  monolith: unknown,
  candidate: unknown,
  message: string,
): Diff {
  return { kind, path: formatJsonPath(segments), segments, monolith, candidate, message };
}

/** Pairs a candidate array with the monolith's under an `unordered` rule; an order change is declared noise. */
function pairUnordered(m: unknown[], c: unknown[], rule: NoiseRule, segments: Segments, ctx: DiffContext): unknown[] {
  const keyOf = (element: unknown): string =>
    rule.key !== undefined && element && typeof element === 'object'
      ? canonical((element as Record<string, unknown>)[rule.key])
      : canonical(element);
  const pool = new Map<string, unknown[]>();
  for (const element of c) {
    const key = keyOf(element);
    const list = pool.get(key);
    if (list) list.push(element);
    else pool.set(key, [element]);
  }
  const slots: unknown[] = new Array<unknown>(m.length);
  const filled = new Set<number>();
  const unmatched: number[] = [];
  m.forEach((element, i) => {
    const list = pool.get(keyOf(element));
    if (list && list.length > 0) {
      slots[i] = list.shift();
      filled.add(i);
    } else unmatched.push(i);
  });
  // Candidate elements without a monolith partner take the free slots, so element diffs still show.
  const rest = [...pool.values()].flat();
  for (const i of unmatched) {
    if (rest.length === 0) break;
    slots[i] = rest.shift();
    filled.add(i);
  }
  const result = [...slots.filter((_, i) => filled.has(i)), ...rest];
  if (canonical(result) !== canonical(c)) {
    const d = diff('array-order', segments, null, null, `Array order differs (declared unordered)`);
    d.noise = 'declared';
    d.monolith = m.map(keyOf);
    d.candidate = c.map(keyOf);
    ctx.out.push(d);
  }
  return result;
}

function diffNumbers(m: number, c: number, segments: Segments, ctx: DiffContext, mLit?: string, cLit?: string): void {
  const mText = numberText(m, mLit);
  const cText = numberText(c, cLit);
  const sameValue = decimalKey(mText) === decimalKey(cText);
  const sameForm = decimalForm(m, mLit) === decimalForm(c, cLit);
  if (sameValue && sameForm) return;
  const at = formatJsonPath(segments);
  const message = sameValue
    ? `${at} is ${mText} on the monolith but ${cText} on the candidate: the same value, written as ${decimalForm(m, mLit) ? 'a decimal' : 'an integer'} on the monolith and as ${decimalForm(c, cLit) ? 'a decimal' : 'an integer'} on the candidate`
    : `${at} is ${mText} on the monolith but ${cText} on the candidate`;
  // Both sides as text when one of them cannot be a double: the report then reads the same on each side.
  const asText = mLit !== undefined || cLit !== undefined;
  const d = diff('value', segments, asText ? mText : m, asText ? cText : c, message);
  d.numbers = [m, c];
  ctx.out.push(d);
}

function diffValues(m: unknown, c: unknown, segments: Segments, ctx: DiffContext, mLit?: string, cLit?: string): void {
  const mt = typeOf(m);
  const ct = typeOf(c);
  const at = formatJsonPath(segments);
  if (mt !== ct) {
    ctx.out.push(
      diff('type', segments, m, c, `${at} is ${mt} ${show(m)} on the monolith but ${ct} ${show(c)} on the candidate`),
    );
    return;
  }
  if (mt === 'number') {
    diffNumbers(m as number, c as number, segments, ctx, mLit, cLit);
    return;
  }
  if (mt === 'object') {
    const mo = m as Record<string, unknown>;
    const co = c as Record<string, unknown>;
    for (const key of new Set([...Object.keys(mo), ...Object.keys(co)])) {
      const mCount = keyCount(mo, key);
      const cCount = keyCount(co, key);
      if (mCount === cCount) continue;
      const child = [...segments, key];
      const times = (n: number) => (n === 1 ? 'once' : `${n} times`);
      ctx.out.push(
        diff(
          'duplicate-key',
          child,
          mCount,
          cCount,
          `${formatJsonPath(child)} is written ${times(cCount)} in one object on the candidate but ${times(mCount)} on the monolith: JSON parsers disagree on which copy counts`,
        ),
      );
    }
    for (const key of Object.keys(mo)) {
      const child = [...segments, key];
      if (!Object.hasOwn(co, key)) {
        ctx.out.push(
          diff(
            'missing',
            child,
            mo[key],
            undefined,
            `${formatJsonPath(child)} is missing on the candidate (monolith: ${show(mo[key])})`,
          ),
        );
      } else diffValues(mo[key], co[key], child, ctx, literalAt(mo, key), literalAt(co, key));
    }
    for (const key of Object.keys(co)) {
      if (!Object.hasOwn(mo, key)) {
        const child = [...segments, key];
        ctx.out.push(
          diff(
            'extra',
            child,
            undefined,
            co[key],
            `${formatJsonPath(child)} is extra on the candidate (${show(co[key])}); the monolith has no such field`,
          ),
        );
      }
    }
    return;
  }
  if (mt === 'array') {
    const ma = m as unknown[];
    let ca = c as unknown[];
    const unordered = findRule(ctx.rules, segments, ['unordered'], false);
    if (unordered) ca = pairUnordered(ma, ca, unordered, segments, ctx);
    if (ma.length !== ca.length) {
      ctx.out.push(
        diff(
          'array-length',
          segments,
          ma.length,
          ca.length,
          `${at} has ${ma.length} elements on the monolith but ${ca.length} on the candidate`,
        ),
      );
    } else if (ma.length > 1 && canonical(ma) !== canonical(ca)) {
      const sortedM = ma.map(canonical).sort().join('\u0000');
      const sortedC = ca.map(canonical).sort().join('\u0000');
      if (sortedM === sortedC) {
        ctx.out.push(diff('array-order', segments, ma, ca, `${at} has the same elements in a different order`));
        return;
      }
    }
    const common = Math.min(ma.length, ca.length);
    for (let i = 0; i < common; i++) {
      diffValues(ma[i], ca[i], [...segments, i], ctx, literalAt(ma, i), ca === c ? literalAt(ca, i) : undefined);
    }
    return;
  }
  if (m !== c) {
    ctx.out.push(diff('value', segments, m, c, `${at} is ${show(m)} on the monolith but ${show(c)} on the candidate`));
  }
}

function bodyIsJson(body: HttpBody, headers: Record<string, string[]>): boolean {
  if (body.kind !== 'present') return false;
  const contentType = body.contentType ?? headers['content-type']?.[0];
  return isJsonContentType(contentType) || (typeof body.content !== 'string' && body.encoded !== 'base64');
}

/** Every structural difference between two responses, noise not yet applied. */
export function diffResponses(monolith: ComparableResponse, candidate: ComparableResponse, noise: RouteNoise): Diff[] {
  const out: Diff[] = [];
  if (monolith.status !== candidate.status) {
    out.push(
      diff(
        'status',
        [],
        monolith.status,
        candidate.status,
        `Status is ${monolith.status} on the monolith but ${candidate.status} on the candidate`,
      ),
    );
    out[out.length - 1]!.path = '$';
  }
  const ignored = (name: string) => DEFAULT_IGNORED_HEADERS.includes(name) || noise.ignoreHeaders.has(name);
  const names = new Set([...Object.keys(monolith.headers), ...Object.keys(candidate.headers)]);
  for (const name of [...names].sort()) {
    if (ignored(name)) continue;
    const m = monolith.headers[name]?.join(', ');
    const c = candidate.headers[name]?.join(', ');
    if (m === c) continue;
    let message: string;
    if (m === undefined) message = `Header ${name} is extra on the candidate (${c})`;
    else if (c === undefined) message = `Header ${name} is missing on the candidate (monolith: ${m})`;
    else if (name === 'content-type') {
      // `application/json` and `application/json; charset=UTF-8` are one media type to a consumer.
      const what = describeMediaTypeDifference(m, c);
      if (what === undefined) continue;
      message = `Header content-type differs: ${what} (${JSON.stringify(m)} on the monolith, ${JSON.stringify(c)} on the candidate)`;
    } else message = `Header ${name} is ${JSON.stringify(m)} on the monolith but ${JSON.stringify(c)} on the candidate`;
    out.push({ kind: 'header', path: name, segments: [], monolith: m, candidate: c, message });
  }
  const mb = monolith.body;
  const cb = candidate.body;
  if (mb.kind === 'absent' && cb.kind === 'absent') return out;
  if (mb.kind === 'absent' || cb.kind === 'absent') {
    out.push(
      diff(
        'body-type',
        [],
        mb.kind === 'present' ? mb.content : undefined,
        cb.kind === 'present' ? cb.content : undefined,
        mb.kind === 'absent'
          ? 'The candidate returned a body; the monolith returned none'
          : 'The monolith returned a body; the candidate returned none',
      ),
    );
    return out;
  }
  const mJson = bodyIsJson(mb, monolith.headers);
  const cJson = bodyIsJson(cb, candidate.headers);
  if (mJson !== cJson) {
    out.push(
      diff(
        'body-type',
        [],
        mb.content,
        cb.content,
        `The monolith returned ${mJson ? 'JSON' : 'non-JSON'} but the candidate returned ${cJson ? 'JSON' : 'non-JSON'}`,
      ),
    );
    return out;
  }
  if (!mJson) {
    if (mb.content !== cb.content) out.push(diff('value', [], mb.content, cb.content, 'The response bodies differ'));
    return out;
  }
  // Byte-identical bodies are identical; otherwise each text is read once more for repeated keys.
  if (monolith.text !== undefined && monolith.text === candidate.text) return out;
  if (monolith.text !== undefined) scanJsonKeys(monolith.text, mb.content);
  if (candidate.text !== undefined) scanJsonKeys(candidate.text, cb.content);
  const ctx = { rules: noise.rules, out };
  if (typeof mb.content === 'number' && typeof cb.content === 'number') {
    // A bare number body: its text is the literal.
    const literal = (r: ComparableResponse) => (r.text === undefined ? undefined : r.text.trim());
    diffNumbers(mb.content, cb.content, [], ctx, literal(monolith), literal(candidate));
    return out;
  }
  diffValues(mb.content, cb.content, [], ctx);
  return out;
}

export type { Diff as RawDifference };
