import { redactUrl } from '@cutover/core';

/** The request part of a stored webhook, as the Pact Broker defines it. */
export interface WebhookRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  username?: string;
  password?: string;
}

/** Template variables of one event: the Pact Broker's `pactbroker.*` and cutover's `cutover.*`. */
export type Variables = Record<string, string>;

const PLACEHOLDER = /\$\{((?:pactbroker|cutover)\.[A-Za-z]+)\}/g;

/**
 * Replaces `${pactbroker.x}` and `${cutover.x}` with the event's values. Unknown names become empty
 * (the Pact Broker does the same), so a typo shows as a missing value rather than a literal `${…}`.
 */
export function substitute(template: string, vars: Variables, encode: (v: string) => string = (v) => v): string {
  return template.replace(PLACEHOLDER, (_m, key: string) => encode(vars[key] ?? ''));
}

function substituteDeep(value: unknown, vars: Variables): unknown {
  if (typeof value === 'string') return substitute(value, vars);
  if (Array.isArray(value)) return value.map((v) => substituteDeep(v, vars));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteDeep(v, vars)]));
  return value;
}

export interface RenderedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
}

/**
 * The request to send for one event. Values inserted into the URL are percent-encoded (a consumer
 * name cannot add a path segment or a query); a JSON body gets values inside its strings, so they
 * stay JSON strings; header values lose CR and LF, so a value cannot add a header.
 */
export function renderRequest(request: WebhookRequest, vars: Variables): RenderedRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers ?? {}))
    headers[name] = substitute(value, vars).replace(/[\r\n]+/g, ' ');
  if (request.username !== undefined) {
    const basic = Buffer.from(`${request.username}:${request.password ?? ''}`).toString('base64');
    headers.Authorization = `Basic ${basic}`;
  }
  let body: string | undefined;
  if (typeof request.body === 'string') body = substitute(request.body, vars);
  else if (request.body !== undefined && request.body !== null)
    body = JSON.stringify(substituteDeep(request.body, vars));
  return {
    method: request.method.toUpperCase(),
    url: substitute(request.url, vars, encodeURIComponent),
    headers,
    body,
  };
}

/** The mask core's `redactUrl` uses, so a secret looks the same wherever it is hidden. */
export const MASK = '***';

const SECRET_NAME = /authorization|token|secret|passw|api[-_]?key|cookie|signature|credential|session/i;

/** Whether a header or query parameter name says its value is a credential. */
export const isSecretName = (name: string) => SECRET_NAME.test(name);

/** A URL with its user info and credential-named query values masked (core's `redactUrl`), placeholders kept readable. */
export function maskUrl(url: string): string {
  // `URL` encodes `${` in a template; the stored form is what the operator wrote, so put it back.
  return redactUrl(url).replace(/\$%7B([A-Za-z.]+)%7D/g, '${$1}');
}

export function maskHeaders(headers: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!headers) return headers;
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, isSecretName(k) ? MASK : v]));
}

/** What the API and the pages show of a webhook request: no password, no credential header or URL part. */
export function maskRequest<T extends Partial<WebhookRequest>>(request: T): Omit<T, 'password'> {
  const { password: _password, ...shown } = request;
  return {
    ...shown,
    ...(shown.url !== undefined ? { url: maskUrl(shown.url) } : {}),
    ...(shown.headers !== undefined ? { headers: maskHeaders(shown.headers) } : {}),
  };
}

/**
 * An update that sends back what the API showed keeps the stored secrets: a masked header value,
 * a masked URL password and an absent password mean "unchanged".
 */
export function keepMaskedSecrets(next: WebhookRequest, previous: WebhookRequest | undefined): WebhookRequest {
  if (!previous) return next;
  const headers = next.headers
    ? Object.fromEntries(
        Object.entries(next.headers).map(([k, v]) => [
          k,
          v === MASK && previous.headers?.[k] ? previous.headers[k] : v,
        ]),
      )
    : next.headers;
  const url = next.url === maskUrl(previous.url) ? previous.url : next.url;
  const password =
    next.password === undefined && next.username === previous.username ? previous.password : next.password;
  return {
    ...next,
    url,
    ...(headers ? { headers } : {}),
    ...(password !== undefined ? { password } : {}),
  };
}
