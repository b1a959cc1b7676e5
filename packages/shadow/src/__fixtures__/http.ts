import { createServer, request, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';

export interface Running {
  url: string;
  close(): Promise<void>;
}

function track(server: Server | ReturnType<typeof createTcpServer>): Running {
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return {
    get url() {
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** An HTTP server on a free port. */
export async function serve(handler: RequestListener): Promise<Running> {
  const server = createServer((req, res) => {
    res.sendDate = false;
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return track(server);
}

/** A TCP server that answers every connection with bytes that are not HTTP, then hangs up. */
export async function garbage(): Promise<Running> {
  const server = createTcpServer((socket) => socket.end('SSH-2.0-OpenSSH\r\n\u0000\u0001'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return track(server);
}

/** A URL nothing listens on. */
export async function deadUrl(): Promise<string> {
  const running = await serve(() => undefined);
  const url = running.url;
  await running.close();
  return url;
}

/** An HTTP response as a caller sees it: status line, raw header list (order and case), body bytes, raw trailers. */
export interface Seen {
  status: number;
  statusMessage: string;
  rawHeaders: string[];
  body: Buffer;
  rawTrailers: string[];
  ms: number;
}

/** Sends a request and reads the whole answer; hop-by-hop headers of the connection are left out of the comparison. */
export function fetchRaw(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Seen> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: options.method ?? 'GET', headers: options.headers ?? {}, agent: false },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const rawHeaders: string[] = [];
          for (let i = 0; i < res.rawHeaders.length; i += 2)
            if (!['connection', 'keep-alive'].includes(res.rawHeaders[i]!.toLowerCase()))
              rawHeaders.push(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
          resolve({
            status: res.statusCode ?? 0,
            statusMessage: res.statusMessage ?? '',
            rawHeaders,
            body: Buffer.concat(chunks),
            rawTrailers: res.rawTrailers,
            ms: performance.now() - started,
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}
