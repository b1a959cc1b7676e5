import { ConfigError } from '@cutover/core';
import type { Exchange } from './exchange.js';

/** The string every redacted value becomes: it matches no inferred format and never looks like an enum. */
export const REDACTED = '<redacted>';

/**
 * What is redacted. Header and query names and JSON keys are compared case-insensitively, ignoring
 * `-` and `_` (`api_key` = `apiKey` = `API-KEY`).
 */
export interface RedactionOptions {
  /** Header names whose values never reach a pact (added to {@link DEFAULT_REDACTION}'s). */
  headers?: readonly string[];
  /** Query parameter names. */
  query?: readonly string[];
  /** JSON keys redacted wherever they appear in a request or response body. */
  jsonKeys?: readonly string[];
  /** JSON paths (`$.user.ssn`, `$.items[*].card`) redacted in request and response bodies. */
  jsonPaths?: readonly string[];
  /** Replace the defaults instead of adding to them. */
  replaceDefaults?: boolean;
}

/** Redacted unless configured otherwise (`replaceDefaults`). */
export const DEFAULT_REDACTION = {
  headers: [
    'authorization',
    'proxy-authorization',
    'cookie',
    'set-cookie',
    'x-api-key',
    'api-key',
    'apikey',
    'x-auth-token',
    'x-access-token',
    'x-csrf-token',
    'x-xsrf-token',
    'x-amz-security-token',
  ],
  query: [
    'access_token',
    'token',
    'api_key',
    'apikey',
    'key',
    'password',
    'secret',
    'client_secret',
    'signature',
    'sig',
    'code',
  ],
  jsonKeys: [
    'password',
    'passwd',
    'secret',
    'client_secret',
    'token',
    'access_token',
    'refresh_token',
    'id_token',
    'api_key',
    'apikey',
    'private_key',
    'card_number',
    'cvv',
  ],
} as const;

const fold = (name: string) => name.toLowerCase().replace(/[-_]/g, '');

/** A compiled redaction policy. */
export interface Redactor {
  header(name: string): boolean;
  query(name: string): boolean;
  /** A JSON key (or form field) whose value is redacted. */
  key(name: string): boolean;
  /** Redacts a parsed JSON body in place of a copy; `path` steps are keys and indexes. */
  json(value: unknown): unknown;
}

/** Builds the redactor for the given options (the defaults included unless `replaceDefaults`). */
export function createRedactor(options: RedactionOptions = {}): Redactor {
  const base = options.replaceDefaults ? { headers: [], query: [], jsonKeys: [] } : DEFAULT_REDACTION;
  const headers = new Set([...base.headers, ...(options.headers ?? [])].map(fold));
  const query = new Set([...base.query, ...(options.query ?? [])].map(fold));
  const keys = new Set([...base.jsonKeys, ...(options.jsonKeys ?? [])].map(fold));
  const paths = (options.jsonPaths ?? []).map(parseSimplePath);
  const redactValue = (value: unknown): unknown => {
    if (typeof value === 'string') return REDACTED;
    if (typeof value === 'number') return 0;
    if (typeof value === 'boolean' || value === null) return value;
    if (Array.isArray(value)) return value.map(redactValue);
    return Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, redactValue(v)]));
  };
  const walk = (value: unknown, at: (string | number)[]): unknown => {
    if (paths.some((p) => pathEquals(p, at))) return redactValue(value);
    if (Array.isArray(value)) return value.map((v, i) => walk(v, [...at, i]));
    if (value !== null && typeof value === 'object')
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, keys.has(fold(k)) ? redactValue(v) : walk(v, [...at, k])]),
      );
    return value;
  };
  return {
    header: (name) => headers.has(fold(name)),
    query: (name) => query.has(fold(name)),
    key: (name) => keys.has(fold(name)) || query.has(fold(name)),
    json: (value) => walk(value, []),
  };
}

/** The placeholder for a redacted header value: the authentication scheme is kept (`Bearer <redacted>`). */
export function redactHeaderValue(value: string): string {
  const scheme = /^([A-Za-z][\w-]*) +\S/.exec(value);
  return scheme ? `${scheme[1]} ${REDACTED}` : REDACTED;
}

/** Redacts the headers and query parameters of an exchange (bodies are redacted once parsed). */
export function redactExchange(exchange: Exchange, redactor: Redactor): Exchange {
  const headers = (h: Record<string, string[]>) =>
    Object.fromEntries(Object.entries(h).map(([k, v]) => [k, redactor.header(k) ? v.map(redactHeaderValue) : v]));
  return {
    ...exchange,
    query: Object.fromEntries(
      Object.entries(exchange.query).map(([k, v]) => [k, redactor.query(k) ? v.map(() => REDACTED) : v]),
    ),
    requestHeaders: headers(exchange.requestHeaders),
    responseHeaders: headers(exchange.responseHeaders),
  };
}

type Step = string | number | '*';

/** `$.a.b[0]['c d'][*]` as steps; anything else in the expression is a configuration mistake. */
export function parseSimplePath(expression: string): Step[] {
  const steps: Step[] = [];
  const re = /\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\[\*\]|\['((?:[^'\\]|\\.)*)'\]|\.\*/y;
  if (!expression.startsWith('$')) throw new ConfigError(`redaction JSON path "${expression}" must start with "$"`);
  re.lastIndex = 1;
  while (re.lastIndex < expression.length) {
    const start = re.lastIndex;
    const m = re.exec(expression);
    if (!m) throw new ConfigError(`redaction JSON path "${expression}": cannot read it from character ${start + 1}`);
    if (m[1] !== undefined) steps.push(m[1]);
    else if (m[2] !== undefined) steps.push(Number(m[2]));
    else if (m[3] !== undefined) steps.push(m[3].replace(/\\(.)/g, '$1'));
    else steps.push('*');
  }
  return steps;
}

function pathEquals(pattern: readonly Step[], at: readonly (string | number)[]): boolean {
  return pattern.length === at.length && pattern.every((step, i) => step === '*' || step === at[i]);
}
