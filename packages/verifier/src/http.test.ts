import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TargetError, type HttpRequest } from '@cutover/core';
import { TargetClient, toOutgoing } from './http.js';
import type { TargetClientOptions } from './http.js';

function request(overrides: Partial<HttpRequest>): HttpRequest {
  return {
    method: 'post',
    path: '/shipments',
    query: {},
    headers: {},
    body: { kind: 'absent' },
    matchingRules: {},
    generators: {},
    ...overrides,
  };
}

describe('toOutgoing', () => {
  it('serialises a JSON body, keeps the pact headers and drops recorded framing headers', () => {
    const out = toOutgoing(
      request({
        headers: { 'Content-Type': ['application/json'], 'Content-Length': ['999'], 'X-Trace': ['a', 'b'] },
        body: { kind: 'present', content: { weight: 2 } },
        query: { full: ['true'], tag: ['a b', 'c'] },
      }),
    );
    expect(out).toEqual({
      method: 'POST',
      path: '/shipments?full=true&tag=a%20b&tag=c',
      headers: { 'content-type': 'application/json', 'x-trace': 'a, b' },
      body: Buffer.from('{"weight":2}'),
    });
  });

  it('sends text and base64 bodies as their bytes', () => {
    const text = toOutgoing(
      request({ headers: { 'Content-Type': ['text/plain'] }, body: { kind: 'present', content: 'hello' } }),
    );
    expect(text.body?.toString()).toBe('hello');
    const binary = toOutgoing(
      request({
        body: { kind: 'present', content: 'AAEC', encoded: 'base64', contentType: 'application/octet-stream' },
      }),
    );
    expect([...binary.body!]).toEqual([0, 1, 2]);
    expect(binary.headers['content-type']).toBe('application/octet-stream');
  });
});

describe('TargetClient', () => {
  const servers: Server[] = [];
  const clients: TargetClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await Promise.all(
      servers.splice(0).map((s) => {
        s.closeAllConnections();
        return new Promise((resolve) => s.close(resolve));
      }),
    );
  });

  async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
    const server = createServer(handler);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  function client(url: string, options: Partial<TargetClientOptions> = {}) {
    const created = new TargetClient(url, { connections: 2, timeoutMs: 2000, retries: 0, ...options });
    clients.push(created);
    return created;
  }

  it('captures status, headers and a body sent in several chunks, under the base path', async () => {
    const url = await serve((req, res) => {
      res.writeHead(201, { 'content-type': 'text/plain', 'x-path': req.url ?? '' });
      res.write('one ');
      setTimeout(() => res.end('two'), 20);
    });
    const response = await client(`${url}/base`).send({ method: 'GET', path: '/items/1', headers: {} });
    expect(response.status).toBe(201);
    expect(response.headers['x-path']).toBe('/base/items/1');
    expect(response.body.toString()).toBe('one two');
    expect(response.timingMs).toBeGreaterThan(0);
  });

  it('keeps every value of a repeated response header, in order, under its lower-case name', async () => {
    const url = await serve((_req, res) => {
      res.setHeader('Set-Cookie', ['a=1', 'b=2']);
      res.setHeader('X-One', 'only');
      res.end();
    });
    const response = await client(url).send({ method: 'GET', path: '/', headers: {} });
    expect(response.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(response.headers['x-one']).toBe('only');
  });

  it('sends the request body and headers, and reuses one kept-alive connection for sequential requests', async () => {
    const seen: { body: string; header?: string; socket: unknown }[] = [];
    const url = await serve((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk));
      req.on('end', () => {
        seen.push({ body, header: req.headers['x-test'] as string | undefined, socket: req.socket });
        res.end('ok');
      });
    });
    const target = client(url);
    for (const n of [1, 2, 3]) {
      const response = await target.send({
        method: 'POST',
        path: '/',
        headers: { 'x-test': `h${n}`, 'content-type': 'text/plain' },
        body: Buffer.from(`body ${n}`),
      });
      expect(response.body.toString()).toBe('ok');
    }
    expect(seen.map((s) => [s.body, s.header])).toEqual([
      ['body 1', 'h1'],
      ['body 2', 'h2'],
      ['body 3', 'h3'],
    ]);
    expect(new Set(seen.map((s) => s.socket)).size).toBe(1);
  });

  it('retries a request whose kept-alive connection the server closed while it was idle', async () => {
    const url = await serve((_req, res) => res.end('ok'));
    const target = client(url, { retries: 2 });
    expect((await target.send({ method: 'GET', path: '/', headers: {} })).status).toBe(200);
    // The server drops the idle connection; the next request may find it dead and must not fail.
    servers[servers.length - 1]!.closeIdleConnections();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await target.send({ method: 'GET', path: '/', headers: {} })).status).toBe(200);
  });

  it('fails at once on a header value it cannot send, without waiting for the deadline', async () => {
    const url = await serve((_req, res) => res.end('ok'));
    const started = performance.now();
    const error = await client(url, { timeoutMs: 5000 })
      .send({ method: 'GET', path: '/', headers: { 'x-bad': 'a\r\nb' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TargetError);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('times out a request still queued behind a hanging one, from when it was sent', async () => {
    const url = await serve(() => {
      // never answers
    });
    const target = client(url, { connections: 1, timeoutMs: 300 });
    const started = performance.now();
    const outcomes = await Promise.all(
      [1, 2].map((n) => target.send({ method: 'GET', path: `/${n}`, headers: {} }).catch((e: unknown) => e)),
    );
    for (const outcome of outcomes) {
      expect(outcome).toBeInstanceOf(TargetError);
      expect((outcome as Error).message).toMatch(/timed out after 300 ms/);
    }
    expect(performance.now() - started).toBeLessThan(1500);
  });

  it('stops reading a streamed body once it passes maxBodyBytes, with CUTOVER_LIMIT_EXCEEDED naming size and limit', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let written = 0;
    let closed!: () => void;
    const serverDone = new Promise<void>((resolve) => (closed = resolve));
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      // 64 MiB offered, without a Content-Length; the client must give up after about 1 MiB.
      const pump = (): void => {
        while (written < 64 * 2 ** 20) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', closed);
      pump();
    });
    const error = await client(url, { maxBodyBytes: 2 ** 20 })
      .send({ method: 'GET', path: '/big', headers: {} })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'CUTOVER_LIMIT_EXCEEDED',
      details: { url: `${url}/big`, limit: 2 ** 20 },
    });
    expect((error as Error).message).toMatch(
      new RegExp(`^GET ${url}/big answered a body of at least \\d+ bytes, over the 1 MiB body limit`),
    );
    await serverDone;
    expect(written).toBeLessThan(16 * 2 ** 20);
  });

  it('refuses a body whose Content-Length is over the limit before reading it, and never retries it', async () => {
    let requests = 0;
    const url = await serve((_req, res) => {
      requests++;
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(150 * 2 ** 20) });
      res.write('[');
    });
    const error = await client(url, { maxBodyBytes: 10 * 2 ** 20, retries: 2 })
      .send({ method: 'GET', path: '/', headers: {} })
      .catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      `GET ${url}/ answered a body of ${150 * 2 ** 20} bytes (Content-Length), over the 10 MiB body limit (raise it with --max-body or maxBodyBytes)`,
    );
    expect(requests).toBe(1);
  });

  it('accepts a HEAD answer whose Content-Length is over the limit: it sends no body', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': String(150 * 2 ** 20) });
      res.end();
    });
    const response = await client(url, { maxBodyBytes: 1024 }).send({ method: 'HEAD', path: '/', headers: {} });
    expect(response.status).toBe(200);
    expect(response.body.length).toBe(0);
  });

  it('reads a body of exactly maxBodyBytes', async () => {
    const url = await serve((_req, res) => res.end(Buffer.alloc(1000, 'x')));
    const response = await client(url, { maxBodyBytes: 1000 }).send({ method: 'GET', path: '/', headers: {} });
    expect(response.body.length).toBe(1000);
  });
});
