/**
 * Real HTTP servers on port 0 for tests and the benchmark: fixture monoliths and candidates with
 * known divergences, state-change endpoints, and misbehaving targets.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import type { AddressInfo, Server as TcpServer, Socket } from 'node:net';

export interface Running {
  url: string;
  close(): Promise<void>;
}

export interface FixtureRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
  json?: unknown;
}

export interface FixtureResponse {
  status?: number;
  headers?: Record<string, string>;
  /** Objects and arrays are sent as JSON; strings as they are. */
  body?: unknown;
}

export type FixtureHandler = (request: FixtureRequest) => FixtureResponse | Promise<FixtureResponse>;

function listening(server: Server | TcpServer, sockets: Set<Socket>): Promise<Running> {
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

/** An HTTP server answering `METHOD /path` routes (`*` matches one segment), 404 otherwise. */
export function startServer(routes: Record<string, FixtureHandler>): Promise<Running> {
  const compiled = Object.entries(routes).map(([key, handler]) => {
    const [method, path] = key.split(' ') as [string, string];
    const pattern = new RegExp(`^${path.replace(/\*/g, '[^/]+')}$`);
    return { method, pattern, handler };
  });
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const url = new URL(req.url ?? '/', 'http://x');
        const body = Buffer.concat(chunks).toString('utf8');
        const request: FixtureRequest = {
          method: req.method ?? 'GET',
          path: url.pathname,
          query: url.searchParams,
          headers: req.headers,
          body,
        };
        if (body && /json/.test(req.headers['content-type'] ?? '')) request.json = JSON.parse(body);
        const route = compiled.find((r) => r.method === request.method && r.pattern.test(request.path));
        const answer: FixtureResponse = route
          ? await route.handler(request)
          : { status: 404, body: { error: 'not found' } };
        const headers: Record<string, string> = { ...answer.headers };
        let payload: string | undefined;
        if (answer.body !== undefined) {
          if (typeof answer.body === 'string') payload = answer.body;
          else {
            payload = JSON.stringify(answer.body);
            headers['content-type'] ??= 'application/json';
          }
        }
        res.writeHead(answer.status ?? 200, headers);
        res.end(payload);
      })();
    });
  });
  return listening(server, new Set());
}

/** A server that accepts requests and never answers. */
export function startHangingServer(): Promise<Running> {
  return listening(
    createServer(() => undefined),
    new Set(),
  );
}

/** A server that sends its headers at once, then one body byte every `everyMs`, never finishing. */
export function startTricklingServer(everyMs: number): Promise<Running> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    const timer = setInterval(() => res.write('.'), everyMs);
    res.on('close', () => clearInterval(timer));
  });
  return listening(server, new Set());
}

/** A TCP server that answers every connection with bytes that are not HTTP. */
export function startGarbageServer(): Promise<Running> {
  const server = createTcpServer((socket) => {
    socket.once('data', () => socket.end('SMTP READY\r\n\u0000\u0001garbage\r\n\r\n'));
  });
  return listening(server, new Set());
}

/** A TCP server that resets every connection as soon as a request arrives. */
export function startResettingServer(): Promise<Running> {
  const server = createTcpServer((socket) => {
    socket.once('data', () => socket.resetAndDestroy());
  });
  return listening(server, new Set());
}

/** A URL where nothing listens (a port that was just freed). */
export async function deadUrl(): Promise<string> {
  const server = await startServer({});
  await server.close();
  return server.url;
}

/** Records Pact state-change calls and answers setup with `values(state)`. */
export function startStateServer(
  values: (state: string, params: Record<string, unknown>) => Record<string, unknown> = () => ({}),
) {
  const calls: { state: string; params: Record<string, unknown>; action: string }[] = [];
  const running = startServer({
    'POST /_pact/state': (req) => {
      const { state, params, action } = req.json as { state: string; params?: Record<string, unknown>; action: string };
      calls.push({ state, params: params ?? {}, action });
      return { status: 200, body: action === 'setup' ? values(state, params ?? {}) : {} };
    },
  });
  return { calls, running };
}
