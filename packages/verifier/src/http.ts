import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { CutoverError, LimitExceededError, stringifyJsonKeepingNumbers, TargetError, UsageError } from '@cutover/core';
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

// Failures where the request never reached a server that answered: safe to retry.
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EAI_AGAIN']);

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
  private readonly hostname: string;
  private readonly port: string;
  private readonly basePath: string;
  private readonly agent: HttpAgent;
  private readonly request: typeof httpRequest;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly maxBodyBytes: number;

  constructor(url: string, options: TargetClientOptions) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch (cause) {
      throw new UsageError(`Target URL ${JSON.stringify(url)} is not a valid URL`, { cause });
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new UsageError(`Target URL ${url} must be http:// or https://`);
    }
    this.url = url;
    this.origin = parsed.origin;
    this.basePath = parsed.pathname.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs;
    this.retries = options.retries;
    this.maxBodyBytes = options.maxBodyBytes ?? VERIFY_LIMITS.maxBodyBytes.default;
    // node:http rather than undici: its HTTP parser is native, where undici compiles a WebAssembly
    // one on first use (a fifth of a small verify's CPU) and V8 tiers it up on background threads
    // that the process waits for at exit.
    // node:https (and TLS with it) is taken for an https:// target only: most targets are local.
    const https = parsed.protocol === 'https:' ? process.getBuiltinModule('node:https') : undefined;
    this.hostname = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
    this.port = parsed.port;
    this.request = https ? https.request : httpRequest;
    this.agent = new (https ? https.Agent : HttpAgent)({
      keepAlive: true,
      maxSockets: options.connections,
      // Idle connections are dropped after 4 s, before the 5 s that servers (Node's default) keep them.
      timeout: 4_000,
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
        throw new TargetError(
          `${request.method} ${url} failed${attempt > 0 ? ` after ${attempt + 1} attempts` : ''}: ${describeCause(error)}`,
          { cause: error, details: { url } },
        );
      }
    }
  }

  private once(request: OutgoingRequest, started: number): Promise<CapturedResponse> {
    // The agent's socket timeouts would only measure idle time: a target that trickles one byte
    // at a time would never time out. One deadline covers the wait for a pooled connection,
    // connect, headers and the whole body.
    return new Promise<CapturedResponse>((resolve, reject) => {
      let settled = false;
      let outgoing: ClientRequest | undefined;
      const chunks: Buffer[] = [];
      let received = 0;
      const url = this.origin + this.basePath + request.path;
      const tooLarge = (size: string): LimitExceededError =>
        new LimitExceededError(
          `${request.method} ${url} answered a body of ${size}, over the ${formatByteSize(this.maxBodyBytes)} body limit (raise it with --max-body or maxBodyBytes)`,
          { details: { url, limit: this.maxBodyBytes } },
        );
      const settle = (outcome: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        outcome();
      };
      // Given up (too large, timed out): the rest is never read, and the socket is not reused.
      const giveUp = (error: Error): void => {
        settle(() => reject(error));
        outgoing?.destroy();
      };
      const deadline = setTimeout(
        () =>
          giveUp(
            new TargetError(`${request.method} ${url} failed: timed out after ${this.timeoutMs} ms`, {
              details: { url },
            }),
          ),
        this.timeoutMs,
      );
      try {
        outgoing = this.request({
          agent: this.agent,
          hostname: this.hostname,
          port: this.port,
          path: this.basePath + request.path,
          method: request.method,
          headers: request.headers,
        });
      } catch (error) {
        // Bad input (a header value with a line break from a request hook, say) must not wait for the deadline.
        settle(() => reject(error as Error));
        return;
      }
      outgoing.on('error', (error) => settle(() => reject(error)));
      outgoing.on('response', (response: IncomingMessage) => {
        // A HEAD, 204 or 304 answer states the size of a body it does not send.
        const bodiless = request.method === 'HEAD' || response.statusCode === 204 || response.statusCode === 304;
        const length = Number(response.headers['content-length'] ?? 0);
        if (!bodiless && length > this.maxBodyBytes) {
          giveUp(tooLarge(`${length} bytes (Content-Length)`));
          return;
        }
        response.on('data', (chunk: Buffer) => {
          if (settled) return;
          received += chunk.length;
          if (received > this.maxBodyBytes) giveUp(tooLarge(`at least ${received} bytes`));
          else chunks.push(chunk);
        });
        response.on('error', (error) => settle(() => reject(error)));
        response.on('end', () =>
          settle(() =>
            resolve({
              status: response.statusCode ?? 0,
              headers: headersOf(response.rawHeaders),
              body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks),
              timingMs: Math.round((performance.now() - started) * 100) / 100,
            }),
          ),
        );
      });
      outgoing.end(request.body);
    });
  }

  async close(): Promise<void> {
    this.agent.destroy();
  }
}

/** Response headers as received: lower-case names, a repeated header as the list of its values. */
function headersOf(raw: string[]): CapturedResponse['headers'] {
  const headers: CapturedResponse['headers'] = {};
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    const value = raw[i + 1]!;
    const seen = headers[name];
    if (seen === undefined) headers[name] = value;
    else if (Array.isArray(seen)) seen.push(value);
    else headers[name] = [seen, value];
  }
  return headers;
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
