import { Agent, errors as undiciErrors } from 'undici';
import type { Dispatcher } from 'undici';
import { CutoverError, ErrorCodes, LimitExceededError, stringifyJsonKeepingNumbers } from '@cutover/core';
import type { HttpRequest } from '@cutover/core';
import { formatByteSize, VERIFY_LIMITS } from './limits.js';
import type { OutgoingRequest } from './options.js';

/** What a target answered, before it is turned into the pact model. */
export interface CapturedResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  timingMs: number;
}

/** A target could not be reached, timed out, reset or answered something that is not HTTP. */
export class TargetError extends CutoverError {
  constructor(message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(ErrorCodes.TARGET_UNREACHABLE, message, options);
  }
}

// Failures where the request never reached a server that answered: safe to retry.
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'EAI_AGAIN']);

function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

function isConnectionFailure(error: unknown): boolean {
  return errorCodes(error).some((code) => CONNECTION_CODES.has(code));
}

function describeCause(error: unknown): string {
  const code = errorCodes(error)[0];
  const message = error instanceof Error ? error.message : String(error);
  return code ? `${code}: ${message}` : message;
}

/** Options of a {@link TargetClient}. */
export interface TargetClientOptions {
  connections: number;
  timeoutMs: number;
  retries: number;
  /** A larger body is a LimitExceededError, and the client stops reading it (default 10 MiB). */
  maxBodyBytes?: number;
}

/**
 * An HTTP client for one target: keep-alive connection pool, a per-request timeout, a body size
 * limit, and retries for connection failures only (never for a received response).
 *
 * @example
 * const target = new TargetClient('http://localhost:8080', { connections: 8, timeoutMs: 5000, retries: 2 });
 * const response = await target.send({ method: 'GET', path: '/health', headers: {} });
 */
export class TargetClient {
  readonly url: string;
  private readonly origin: string;
  private readonly basePath: string;
  private readonly agent: Agent;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly maxBodyBytes: number;

  constructor(url: string, options: TargetClientOptions) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch (cause) {
      throw new CutoverError(ErrorCodes.USAGE, `Target URL ${JSON.stringify(url)} is not a valid URL`, { cause });
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new CutoverError(ErrorCodes.USAGE, `Target URL ${url} must be http:// or https://`);
    }
    this.url = url;
    this.origin = parsed.origin;
    this.basePath = parsed.pathname.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs;
    this.retries = options.retries;
    this.maxBodyBytes = options.maxBodyBytes ?? VERIFY_LIMITS.maxBodyBytes.default;
    this.agent = new Agent({
      connections: options.connections,
      keepAliveTimeout: 10_000,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      connect: { timeout: options.timeoutMs },
    });
  }

  /** Sends a request to `<target base path><request.path>`; throws {@link TargetError} on any transport fault. */
  async send(request: OutgoingRequest): Promise<CapturedResponse> {
    const url = this.origin + this.basePath + request.path;
    for (let attempt = 0; ; attempt++) {
      const started = performance.now();
      try {
        return await this.once(request, started);
      } catch (error) {
        if (attempt < this.retries && isConnectionFailure(error) && !(error instanceof CutoverError)) {
          await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
          continue;
        }
        if (error instanceof CutoverError) throw error;
        const timedOut =
          error instanceof undiciErrors.HeadersTimeoutError ||
          error instanceof undiciErrors.BodyTimeoutError ||
          error instanceof undiciErrors.ConnectTimeoutError;
        throw new TargetError(
          `${request.method} ${url} failed${attempt > 0 ? ` after ${attempt + 1} attempts` : ''}: ${
            timedOut ? `timed out after ${this.timeoutMs} ms` : describeCause(error)
          }`,
          { cause: error, details: { url } },
        );
      }
    }
  }

  private once(request: OutgoingRequest, started: number): Promise<CapturedResponse> {
    // A bare dispatch handler rather than `agent.request()`: no body stream and no AbortSignal
    // per request, which at six requests per interaction was a tenth of verify's CPU.
    // The agent's headers/body timeouts only measure idle time: a target that trickles one byte
    // at a time would never time out. One deadline covers connect, headers and the whole body.
    return new Promise<CapturedResponse>((resolve, reject) => {
      let settled = false;
      let controller: Dispatcher.DispatchController | undefined;
      let status = 0;
      let headers: CapturedResponse['headers'] = {};
      const chunks: Buffer[] = [];
      let received = 0;
      const url = this.origin + this.basePath + request.path;
      const tooLarge = (size: string): LimitExceededError =>
        new LimitExceededError(
          `${request.method} ${url} answered a body of ${size}, over the ${formatByteSize(this.maxBodyBytes)} body limit (raise it with --max-body or maxBodyBytes)`,
          { details: { url, limit: this.maxBodyBytes } },
        );
      // Given up as soon as the body is known to be too large: the rest is never read into memory.
      const refuse = (c: Dispatcher.DispatchController, error: Error): void => {
        settle(() => reject(error));
        c.abort(error);
      };
      const settle = (outcome: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        outcome();
      };
      const deadline = setTimeout(() => {
        const error = new TargetError(`${request.method} ${url} failed: timed out after ${this.timeoutMs} ms`, {
          details: { url },
        });
        // Settled at once, even while the request still waits for a connection in the pool.
        settle(() => reject(error));
        controller?.abort(error);
      }, this.timeoutMs);
      const options: Dispatcher.DispatchOptions = {
        origin: this.origin,
        path: this.basePath + request.path,
        method: request.method as Dispatcher.HttpMethod,
        headers: request.headers,
      };
      if (request.body !== undefined) options.body = request.body;
      try {
        this.agent.dispatch(options, {
          onRequestStart: (c) => {
            controller = c;
            if (settled) c.abort(new Error('the request was given up before it started'));
          },
          onResponseStart: (c, statusCode, responseHeaders) => {
            status = statusCode;
            headers = responseHeaders;
            // A HEAD, 204 or 304 answer states the size of a body it does not send.
            if (request.method === 'HEAD' || statusCode === 204 || statusCode === 304) return;
            const name = Object.keys(responseHeaders).find((key) => key.toLowerCase() === 'content-length');
            const length = name === undefined ? 0 : Number(responseHeaders[name]);
            if (length > this.maxBodyBytes) refuse(c, tooLarge(`${length} bytes (Content-Length)`));
          },
          onResponseData: (c, chunk) => {
            if (settled) return;
            received += chunk.length;
            if (received > this.maxBodyBytes) refuse(c, tooLarge(`at least ${received} bytes`));
            else chunks.push(chunk);
          },
          onResponseEnd: () =>
            settle(() =>
              resolve({
                status,
                headers,
                body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks),
                timingMs: Math.round((performance.now() - started) * 100) / 100,
              }),
            ),
          onResponseError: (_c, error) => settle(() => reject(error)),
        });
      } catch (error) {
        // Bad input (a header value with a line break from a request hook, say) must not wait for the deadline.
        settle(() => reject(error as Error));
      }
    });
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

function isJsonContentType(contentType: string | undefined): boolean {
  return contentType !== undefined && /(^|\/|\+)json\b/i.test(contentType.split(';')[0] ?? '');
}

function headerValue(headers: Record<string, string[]>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key]?.join(', ');
}

const FRAMING_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'host', 'upgrade']);

/** Turns a pact request (generators already applied) into the bytes to send. */
export function toOutgoing(request: HttpRequest): OutgoingRequest {
  const headers: Record<string, string> = {};
  for (const [name, values] of Object.entries(request.headers)) {
    const lower = name.toLowerCase();
    // Framing and connection headers belong to this connection, not to the recorded one.
    if (!FRAMING_HEADERS.has(lower)) headers[lower] = values.join(', ');
  }
  const query = Object.entries(request.query)
    .flatMap(([name, values]) =>
      values.length === 0
        ? [encodeURIComponent(name)]
        : values.map((v) => `${encodeURIComponent(name)}=${encodeURIComponent(v)}`),
    )
    .join('&');
  const path = (request.path.startsWith('/') ? request.path : `/${request.path}`) + (query ? `?${query}` : '');
  const out: OutgoingRequest = { method: request.method.toUpperCase(), path, headers };
  const body = request.body;
  if (body.kind === 'present') {
    const contentType = headerValue(request.headers, 'content-type') ?? body.contentType;
    if (body.encoded === 'base64' && typeof body.content === 'string') {
      out.body = Buffer.from(body.content, 'base64');
    } else if (typeof body.content === 'string' && (body.encoded === 'json' || !isJsonContentType(contentType))) {
      out.body = Buffer.from(body.content);
    } else {
      out.body = Buffer.from(stringifyJsonKeepingNumbers(body.content));
    }
    if (!headers['content-type'] && contentType) headers['content-type'] = contentType;
    else if (!headers['content-type'] && typeof body.content !== 'string') headers['content-type'] = 'application/json';
  }
  return out;
}

export { isJsonContentType };
