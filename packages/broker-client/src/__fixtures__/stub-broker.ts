import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the stub received. */
export interface Received {
  method: string;
  path: string;
  search: URLSearchParams;
  rawUrl: string;
  headers: IncomingMessage['headers'];
  json?: unknown;
}

export interface StubAnswer {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Never answer (to test deadlines). */
  hang?: boolean;
}

export type StubRoutes = Record<string, (request: Received, base: string) => StubAnswer>;

export interface StubBroker {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

/**
 * A stand-in for a Pact Broker on a real HTTP server on port 0: routes keyed `'METHOD /path'`,
 * everything else 404 with a Pact-Broker-like JSON body; every request recorded.
 */
export async function startStubBroker(routes: StubRoutes): Promise<StubBroker> {
  const received: Received[] = [];
  let base = '';
  const handle = (req: IncomingMessage, res: ServerResponse, text: string) => {
    const url = new URL(req.url ?? '/', base);
    const request: Received = {
      method: req.method ?? '',
      path: url.pathname,
      search: url.searchParams,
      rawUrl: req.url ?? '',
      headers: req.headers,
      ...(text ? { json: JSON.parse(text) as unknown } : {}),
    };
    received.push(request);
    const route = routes[`${request.method} ${url.pathname}`];
    const answer = route
      ? route(request, base)
      : { status: 404, body: { error: 'The requested document was not found on this server.' } };
    if (answer.hang) return;
    res.writeHead(answer.status ?? 200, { 'content-type': 'application/hal+json', ...answer.headers });
    res.end(
      answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body),
    );
  };
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => handle(req, res, text));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
