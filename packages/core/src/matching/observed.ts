import type { HttpResponse } from '../model.js';
import { contentFamily } from './matchers/apply.js';

/**
 * Turns what a real HTTP server answered into the model: header values as lists, the body parsed
 * as JSON when the content type says JSON (kept as JSON text to fail matching loudly when it does
 * not parse), text otherwise; an empty body is absent.
 *
 * @example
 * observedResponse({ status: res.statusCode, headers: res.headers, body: await readBody(res) })
 */
export function observedResponse({
  status,
  headers,
  body,
}: {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body?: Buffer | string;
}): HttpResponse {
  const normalized: Record<string, string[]> = {};
  let contentType: string | undefined;
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    normalized[name] = Array.isArray(value) ? value.map(String) : [String(value)];
    if (name.toLowerCase() === 'content-type') contentType = normalized[name][0];
  }
  const text = body === undefined ? '' : typeof body === 'string' ? body : body.toString('utf8');
  const base = { status, headers: normalized, matchingRules: {}, generators: {} };
  if (text === '') return { ...base, body: { kind: 'absent' } };
  if (contentType && contentFamily(contentType) === 'json') {
    try {
      return { ...base, body: { kind: 'present', content: JSON.parse(text), contentType, encoded: false } };
    } catch {
      return { ...base, body: { kind: 'present', content: text, contentType, encoded: 'json' } };
    }
  }
  return { ...base, body: { kind: 'present', content: text, ...(contentType ? { contentType } : {}), encoded: false } };
}
