/** The core model's requests and responses (from a pact, or observed) as the validator takes them. */
import type { HttpBody, HttpRequest, HttpResponse } from '@cutover/core';
import type { RequestToValidate, ResponseToValidate } from './document.js';

function bodyValue(body: HttpBody): unknown {
  if (body.kind === 'absent') return undefined;
  if (body.encoded === 'base64' && typeof body.content === 'string') return Buffer.from(body.content, 'base64');
  // JSON given as text: raw bytes, so the validator parses it (and reports it when it does not parse).
  if (body.encoded === 'json' && typeof body.content === 'string') return Buffer.from(body.content, 'utf8');
  return body.content;
}

function headerValue(headers: Record<string, string[]>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key]?.[0];
}

/**
 * The model's request as something {@link OpenApiDocument.validateRequest} checks.
 *
 * @example
 * doc.validateRequest(fromHttpRequest(interaction.request))
 */
export function fromHttpRequest(request: HttpRequest): RequestToValidate {
  const body = bodyValue(request.body);
  const contentType =
    (request.body.kind === 'present' ? request.body.contentType : undefined) ??
    headerValue(request.headers, 'content-type');
  return {
    method: request.method,
    path: request.path,
    query: request.query,
    headers: request.headers,
    ...(body === undefined ? {} : { body }),
    ...(contentType === undefined ? {} : { contentType }),
  };
}

/** The model's response (from a pact, or `observedResponse` of live traffic) for {@link OpenApiDocument.validateResponse}. */
export function fromHttpResponse(response: HttpResponse): ResponseToValidate {
  const body = bodyValue(response.body);
  const contentType =
    (response.body.kind === 'present' ? response.body.contentType : undefined) ??
    headerValue(response.headers, 'content-type');
  return {
    status: response.status,
    headers: response.headers,
    ...(body === undefined ? {} : { body }),
    ...(contentType === undefined ? {} : { contentType }),
  };
}
