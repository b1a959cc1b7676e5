import type { Difference, ShadowExample } from '@cutover/core';
import { createRedactor, REDACTED, redactHeaderValue, splitUrl, type RedactionOptions } from '@cutover/recorder';

/** Longest text an example value keeps; the rest is cut with its length said. */
const MAX_EXAMPLE_TEXT = 200;

/** Turns a difference on a live request into an example fit for a report: secrets redacted as in the recorder, long values cut. */
export interface ExampleRedactor {
  example(request: { method: string; url: string }, difference: Difference): ShadowExample;
}

function cut(value: unknown): unknown {
  if (typeof value === 'string')
    return value.length > MAX_EXAMPLE_TEXT
      ? `${value.slice(0, MAX_EXAMPLE_TEXT)}… (${value.length} characters)`
      : value;
  if (value !== null && typeof value === 'object') {
    const text = JSON.stringify(value);
    if (text.length > MAX_EXAMPLE_TEXT)
      return `${text.slice(0, MAX_EXAMPLE_TEXT)}… (${text.length} characters of JSON)`;
  }
  return value;
}

/** The last key of a `$.a.b` / `$['a b']` path, if it ends in a key. */
function lastKey(path: string): string | undefined {
  return /(?:\.([^.[\]]+)|\['((?:[^'\\]|\\.)*)'\])$/
    .exec(path)
    ?.slice(1)
    .find((k) => k !== undefined);
}

/** The recorder's redaction (same defaults and options), applied to shadow examples. */
export function createExampleRedactor(options: RedactionOptions = {}): ExampleRedactor {
  const redactor = createRedactor(options);
  /** A side's value with secrets redacted, and whether anything was. */
  const side = (d: Difference, value: unknown): { value: unknown; redacted: boolean } => {
    if (value === undefined) return { value: undefined, redacted: false };
    if (d.kind === 'header')
      return redactor.header(d.path)
        ? { value: redactHeaderValue(String(value)), redacted: true }
        : { value: cut(value), redacted: false };
    const key = lastKey(d.path);
    if (key !== undefined && redactor.key(key)) return { value: REDACTED, redacted: true };
    const clean = redactor.json(value);
    return { value: cut(clean), redacted: JSON.stringify(clean) !== JSON.stringify(value) };
  };
  return {
    example(request, d) {
      const { path, query } = splitUrl(request.url);
      const search = new URLSearchParams();
      for (const [name, values] of Object.entries(query))
        for (const value of values) search.append(name, redactor.query(name) ? REDACTED : value);
      const text = search.toString();
      const monolith = side(d, d.monolith);
      const candidate = side(d, d.candidate);
      // The message quotes both values: when either held a secret, it is rebuilt without them.
      const message =
        monolith.redacted || candidate.redacted ? `${d.kind} difference at ${d.path} (values redacted)` : d.message;
      const out: ShadowExample = {
        request: { method: request.method, path: text === '' ? path : `${path}?${text}` },
        message,
      };
      if (monolith.value !== undefined) out.monolith = monolith.value;
      if (candidate.value !== undefined) out.candidate = candidate.value;
      return out;
    },
  };
}
