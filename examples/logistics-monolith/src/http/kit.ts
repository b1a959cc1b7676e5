import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DomainError } from '../domain/errors.js';

/**
 * The little HTTP kit both example services use: a path-pattern router, JSON bodies in and out,
 * request ids, and one error shape. Plain node:http is all these services need.
 */
export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  params: Record<string, string>;
  query: URLSearchParams;
  requestId: string;
  /** The parsed JSON body; throws a 400/415 DomainError when it is not JSON. */
  body(): Promise<unknown>;
}

export type Handler = (ctx: RequestContext) => Promise<void> | void;

interface Route {
  method: string;
  segments: string[];
  handler: Handler;
}

export class Router {
  private readonly routes: Route[] = [];

  on(method: string, pattern: string, handler: Handler): this {
    this.routes.push({ method, segments: pattern.split('/').filter(Boolean), handler });
    return this;
  }

  /** Finds the handler for a request: `undefined` path → 404, known path but other method → 405. */
  match(method: string, path: string): { handler: Handler; params: Record<string, string> } | { allowed: string[] } {
    const parts = path.split('/').filter(Boolean);
    const allowed: string[] = [];
    for (const route of this.routes) {
      const params = matchSegments(route.segments, parts);
      if (!params) continue;
      if (route.method === method) return { handler: route.handler, params };
      allowed.push(route.method);
    }
    return { allowed };
  }
}

function matchSegments(pattern: string[], parts: string[]): Record<string, string> | undefined {
  if (pattern.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const want = pattern[i]!;
    const got = parts[i]!;
    if (want.startsWith(':')) {
      try {
        params[want.slice(1)] = decodeURIComponent(got);
      } catch {
        return undefined;
      }
    } else if (want !== got) return undefined;
  }
  return params;
}

const MAX_BODY = 1 << 20;

async function readJson(req: IncomingMessage): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new DomainError(422, 'BODY_TOO_LARGE', `request body exceeds ${MAX_BODY} bytes`);
    chunks.push(chunk);
  }
  if (size === 0) return undefined;
  if (!/^application\/(.+\+)?json\b/i.test(type)) {
    throw new DomainError(422, 'UNSUPPORTED_MEDIA_TYPE', `expected a JSON body, got content-type "${type}"`);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (error) {
    throw new DomainError(400, 'MALFORMED_JSON', `request body is not valid JSON: ${(error as Error).message}`);
  }
}

export function sendJson(
  ctx: Pick<RequestContext, 'res' | 'requestId'>,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  ctx.res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'X-Request-Id': ctx.requestId,
    ...headers,
  });
  ctx.res.end(text);
}

/** The error body every endpoint uses: `{ error: { code, message, details? }, requestId }`. */
export function sendError(
  ctx: Pick<RequestContext, 'res' | 'requestId'>,
  status: number,
  code: string,
  message: string,
  details?: Record<string, unknown>,
  headers: Record<string, string> = {},
): void {
  const error = details && Object.keys(details).length > 0 ? { code, message, details } : { code, message };
  sendJson(ctx, status, { error, requestId: ctx.requestId }, headers);
}

/**
 * A timestamp with microseconds: responses carry it as `generatedAt`, so two reads of the same
 * resource never carry the same value (the kind of volatile field parity checks must tolerate).
 */
export function preciseNow(): string {
  const iso = new Date().toISOString();
  const micros = (process.hrtime.bigint() / 1000n) % 1000n;
  return `${iso.slice(0, -1)}${micros.toString().padStart(3, '0')}Z`;
}

export interface Dispatch {
  router: Router;
  log?: (line: string) => void;
}

/** The node:http request listener: routing, request ids, and error mapping (never a crash). */
export function createListener({ router, log }: Dispatch) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const incoming = req.headers['x-request-id'];
    const requestId = typeof incoming === 'string' && /^[\w-]{8,64}$/.test(incoming) ? incoming : randomUUID();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const found = router.match(req.method ?? 'GET', url.pathname);
    const base = { res, requestId };
    if ('allowed' in found) {
      if (found.allowed.length > 0) {
        sendError(base, 405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${url.pathname}`, undefined, {
          Allow: found.allowed.join(', '),
        });
      } else {
        sendError(base, 404, 'ROUTE_NOT_FOUND', `no route for ${req.method} ${url.pathname}`);
      }
      req.resume();
      return;
    }
    let bodyPromise: Promise<unknown> | undefined;
    const ctx: RequestContext = {
      req,
      res,
      params: found.params,
      query: url.searchParams,
      requestId,
      body: () => (bodyPromise ??= readJson(req)),
    };
    Promise.resolve()
      .then(() => found.handler(ctx))
      .catch((error: unknown) => {
        if (res.headersSent) {
          res.destroy();
          return;
        }
        if (error instanceof DomainError) {
          const headers: Record<string, string> = error.status === 401 ? { 'WWW-Authenticate': 'Bearer' } : {};
          sendError(ctx, error.status, error.code, error.message, error.details, headers);
          return;
        }
        log?.(`error ${req.method} ${url.pathname} [${requestId}]: ${(error as Error).stack ?? String(error)}`);
        sendError(ctx, 500, 'INTERNAL_ERROR', 'internal error');
      });
  };
}
