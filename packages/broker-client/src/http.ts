import { CutoverError, ErrorCodes, redactUrl, UsageError } from '@cutover/core';
import type * as Undici from 'undici';

/** Pact Broker credentials: a bearer token, or basic auth. */
export type BrokerAuth = { token: string } | { username: string; password?: string };

export interface BrokerClientOptions {
  /** The broker's base URL. Credentials in it (`https://user:pass@broker`) are used as basic auth. */
  url: string;
  auth?: BrokerAuth;
  /** One deadline per request, covering connect, headers and the whole body; default 30,000 ms. */
  timeoutMs?: number;
}

// Core's one URL redaction, re-exported where the client's users have always found it.
export { redactUrl };

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Default per-request deadline: a broker computing pacts-for-verification or a matrix may take seconds. */
export const DEFAULT_BROKER_TIMEOUT_MS = 30_000;

const REDACTED = '***';

/** A broker request failed: unreachable, timed out, refused, or answered something other than the expected JSON. */
export class BrokerError extends CutoverError {
  /** The HTTP status the broker answered, when it answered. */
  readonly status: number | undefined;
  /** The request URL, credentials redacted. */
  readonly url: string;

  constructor(
    method: HttpMethod,
    url: string,
    problem: string,
    options: { status?: number; cause?: unknown; secrets?: readonly string[] } = {},
  ) {
    const safeUrl = redactUrl(url);
    super(ErrorCodes.BROKER_FAILED, redactSecrets(`Broker ${method} ${safeUrl}: ${problem}`, options.secrets ?? []), {
      cause: options.cause,
      details: { method, url: safeUrl, ...(options.status !== undefined ? { status: options.status } : {}) },
    });
    this.status = options.status;
    this.url = safeUrl;
  }
}

// Shorter values would blank out ordinary words of the message; a credential that short protects nothing anyway.
const MIN_REDACTED_LENGTH = 4;

function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= MIN_REDACTED_LENGTH) out = out.split(secret).join(REDACTED);
  return out;
}

function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && !code.startsWith('UND_ERR_ABORTED')) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** What the broker answered: the parsed JSON body (undefined when empty) and the Location header. */
export interface BrokerResponse {
  status: number;
  json: unknown;
  location?: string;
}

/**
 * The broker's HTTP layer: one base URL, one set of credentials, one deadline per request, and one
 * error ({@link BrokerError}, `CUTOVER_BROKER_FAILED`) naming the method, the URL (credentials
 * redacted) and the status, with the cause kept. Every operation in this package goes through it.
 *
 * @example
 * const client = new BrokerClient({ url: 'https://broker.example', auth: { token: process.env.PACT_BROKER_TOKEN! } });
 * const index = await client.get(client.baseUrl);
 */
export class BrokerClient {
  /** The base URL without credentials and without a trailing slash. */
  readonly baseUrl: string;
  readonly timeoutMs: number;
  private readonly origin: string;
  private readonly authorization: string | undefined;
  private readonly secrets: string[];

  constructor(options: BrokerClientOptions) {
    let parsed: URL;
    try {
      parsed = new URL(options.url);
    } catch (cause) {
      throw new UsageError(`Broker URL ${JSON.stringify(redactUrl(options.url))} is not a valid URL`, { cause });
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
      throw new UsageError(`Broker URL ${redactUrl(options.url)} must be http:// or https://`);
    let auth = options.auth;
    if (auth === undefined && parsed.username !== '')
      auth = { username: decodeURIComponent(parsed.username), password: decodeURIComponent(parsed.password) };
    parsed.username = '';
    parsed.password = '';
    this.baseUrl = parsed.href.replace(/\/+$/, '');
    this.origin = parsed.origin;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_BROKER_TIMEOUT_MS;
    if (auth && 'token' in auth) {
      this.authorization = `Bearer ${auth.token}`;
      this.secrets = [auth.token];
    } else if (auth) {
      const encoded = Buffer.from(`${auth.username}:${auth.password ?? ''}`).toString('base64');
      this.authorization = `Basic ${encoded}`;
      this.secrets = [encoded, ...(auth.password ? [auth.password] : [])];
    } else {
      this.secrets = [];
    }
  }

  /** An href from the broker (absolute, or relative to the base URL) as an absolute URL. */
  resolve(href: string): string {
    try {
      return new URL(href, `${this.baseUrl}/`).href;
    } catch (cause) {
      throw this.unexpected('GET', this.baseUrl, `the link ${JSON.stringify(href)} is not a URL`, { cause });
    }
  }

  /**
   * An href as the absolute URL a request may go to: on the broker's origin only. Links come from
   * pacts and broker answers, which others can write; the credentials (and the results) must not
   * follow one elsewhere.
   */
  target(href: string, method: HttpMethod = 'GET'): string {
    const url = this.resolve(href);
    if (new URL(url).origin !== this.origin)
      throw this.unexpected(
        method,
        url,
        `refused: not on the broker's origin ${this.origin} (a link pointing elsewhere; if the broker is behind a proxy, set its base URL)`,
      );
    return url;
  }

  /** A {@link BrokerError} for an answer that is not what the operation expected. */
  unexpected(
    method: HttpMethod,
    url: string,
    problem: string,
    options: { status?: number; cause?: unknown } = {},
  ): BrokerError {
    return new BrokerError(method, url, problem, { ...options, secrets: this.secrets });
  }

  get(url: string): Promise<BrokerResponse> {
    return this.send('GET', url);
  }

  /**
   * Sends one JSON request to the broker's origin; anything but a 2xx with an empty or JSON body is a
   * {@link BrokerError}.
   */
  async send(method: HttpMethod, url: string, body?: unknown): Promise<BrokerResponse> {
    const target = this.target(url, method);
    const headers: Record<string, string> = { accept: 'application/hal+json, application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.authorization) headers.authorization = this.authorization;
    let status: number;
    let text: string;
    let location: string | undefined;
    try {
      // Loaded on first use: commands that never talk to a broker (most gate runs) skip undici.
      // undici is CommonJS: its exports object is the default export under Node and in the CLI's
      // bundle alike (the bundle's lazily loaded CommonJS chunk has no named exports).
      const undici = (await import('undici')) as typeof Undici & { default?: typeof Undici };
      const { request } = undici.default ?? undici;
      const response = await request(target, {
        method,
        headers,
        body: body === undefined ? null : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      status = response.statusCode;
      const header = response.headers.location;
      location = Array.isArray(header) ? header[0] : header;
      text = await response.body.text();
    } catch (cause) {
      const timedOut = (cause as Error).name === 'TimeoutError' || (cause as Error).name === 'AbortError';
      const why = timedOut ? `no answer within ${this.timeoutMs} ms` : (causeCode(cause) ?? (cause as Error).message);
      throw new BrokerError(method, target, `the broker cannot be reached (${why})`, { cause, secrets: this.secrets });
    }
    if (status < 200 || status > 299) {
      const snippet = text.trim().slice(0, 300);
      const redirect = status >= 300 && status < 400 && location ? ` (redirect to ${redactUrl(location)})` : '';
      throw new BrokerError(
        method,
        target,
        `the broker answered HTTP ${status}${redirect}${snippet ? `: ${snippet}` : ''}`,
        {
          status,
          secrets: this.secrets,
        },
      );
    }
    let json: unknown;
    if (text.trim() !== '') {
      try {
        json = JSON.parse(text);
      } catch (cause) {
        throw new BrokerError(method, target, `the broker answered HTTP ${status} with a body that is not JSON`, {
          status,
          cause,
          secrets: this.secrets,
        });
      }
    }
    return { status, json, ...(location ? { location: this.resolve(location) } : {}) };
  }
}
