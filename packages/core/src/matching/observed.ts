import { isCutoverError } from '../errors.js';
import type { HttpResponse } from '../model.js';
import { parseJsonKeepingNumbers } from './body/numbers.js';
import { contentFamily, sniffContentType } from './matchers/apply.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Turns what a real HTTP server answered into the model: header values as lists, the body parsed
 * as JSON when the content type says JSON (kept as JSON text to fail matching loudly when it does
 * not parse), text otherwise (base64 when the bytes are not UTF-8); an empty body is absent.
 * JSON nested deeper than MAX_JSON_DEPTH throws a LimitExceededError (`CUTOVER_LIMIT_EXCEEDED`).
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
  const base = { status, headers: normalized, matchingRules: {}, generators: {} };
  if (body === undefined || body.length === 0) return { ...base, body: { kind: 'absent' } };
  let text: string;
  if (typeof body === 'string') {
    text = body;
  } else {
    try {
      text = utf8.decode(body);
    } catch {
      // Not text: keep the bytes exactly, as base64 (the model's encoding for binary bodies).
      const binary = { kind: 'present', content: body.toString('base64'), encoded: 'base64' } as const;
      return { ...base, body: contentType ? { ...binary, contentType } : binary };
    }
  }
  // Without a Content-Type, a body that reads as JSON is JSON (matching then sniffs the same way).
  const json = contentType ? contentFamily(contentType) === 'json' : sniffContentType(text) === 'application/json';
  if (json) {
    try {
      return {
        ...base,
        body: {
          kind: 'present',
          content: parseJsonKeepingNumbers(text),
          ...(contentType ? { contentType } : {}),
          encoded: false,
        },
      };
    } catch (error) {
      if (isCutoverError(error)) throw error;
      return {
        ...base,
        body: { kind: 'present', content: text, ...(contentType ? { contentType } : {}), encoded: 'json' },
      };
    }
  }
  return { ...base, body: { kind: 'present', content: text, ...(contentType ? { contentType } : {}), encoded: false } };
}
