import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadPact } from '@cutover/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startRecorder, type Recorder, type RecorderEvent } from './proxy.js';

const large = randomBytes(3 * 1024 * 1024);
const bomb = gzipSync(Buffer.alloc(8 * 1024 * 1024));
const gzipped = gzipSync(JSON.stringify({ id: 'SHP-1', status: 'delivered', at: '2026-11-18T07:30:00Z' }));

/** A real upstream on port 0: fixed headers (no Date), a JSON, a chunked, a gzip and a large body, an echo. */
let upstream: Server;
let upstreamUrl: string;
beforeAll(async () => {
  upstream = createServer((req, res) => {
    res.sendDate = false;
    if (req.url === '/json') {
      const body = JSON.stringify({ id: 7, name: 'Ann', tags: ['a', 'b'] });
      res.writeHead(200, 'Fine', [
        'Content-Type',
        'application/json; charset=utf-8',
        'X-Custom',
        'one',
        'x-custom',
        'two',
        'Content-Length',
        String(Buffer.byteLength(body)),
      ]);
      res.end(body);
    } else if (req.url === '/chunked') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"parts":[');
      setTimeout(() => {
        res.write('1,2,');
        setTimeout(() => res.end('3]}'), 20);
      }, 20);
    } else if (req.url === '/gzip') {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip', Vary: 'Accept-Encoding' });
      res.end(gzipped);
    } else if (req.url === '/bomb') {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
      res.end(bomb);
    } else if (req.url === '/large') {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(large.length) });
      res.end(large);
    } else if (req.url?.startsWith('/echo')) {
      const hash = createHash('sha256');
      req.on('data', (c: Buffer) => hash.update(c));
      req.on('end', () => {
        res.writeHead(201, { 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify({
            sha256: hash.digest('hex'),
            host: req.headers.host,
            authorized: req.headers.authorization === 'Bearer real-token',
          }),
        );
      });
    } else {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('no');
    }
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => upstream.close(() => resolve())));

const dirs: string[] = [];
const recorders: Recorder[] = [];
afterEach(async () => {
  await Promise.all(recorders.splice(0).map((r) => r.close().catch(() => undefined)));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function recorder(options: { outDir?: string; maxBodyBytes?: number; target?: string } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-recorder-'));
  dirs.push(dir);
  const events: RecorderEvent[] = [];
  const started = await startRecorder({
    target: options.target ?? upstreamUrl,
    provider: 'upstream',
    outDir: options.outDir ?? dir,
    flushIntervalMs: 60_000,
    onEvent: (e) => events.push(e),
    ...(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }),
  });
  recorders.push(started);
  return { ...started, dir, events };
}

interface Raw {
  status: number;
  message: string;
  headers: string[];
  body: Buffer;
  response: IncomingMessage;
}

function get(
  base: string,
  path: string,
  init: { method?: string; body?: Buffer; headers?: Record<string, string> } = {},
) {
  return new Promise<Raw>((resolve, reject) => {
    const req = request(`${base}${path}`, { method: init.method ?? 'GET', headers: init.headers ?? {} }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (c: Buffer) => chunks.push(c));
      response.on('end', () =>
        resolve({
          status: response.statusCode!,
          message: response.statusMessage!,
          headers: response.rawHeaders,
          body: Buffer.concat(chunks),
          response,
        }),
      );
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

/** Raw headers without the connection's own (Connection, Keep-Alive), which each hop sets for itself. */
const endToEnd = (raw: string[]) =>
  raw.flatMap((v, i) => (i % 2 === 0 && !/^(connection|keep-alive)$/i.test(v) ? [[v, raw[i + 1]]] : []));

describe('the recording proxy passes traffic through unchanged', () => {
  it.each(['/json', '/chunked', '/gzip', '/large', '/missing'])(
    'gives %s the same status, headers (names, case, order, repeats) and body bytes as the target',
    async (path) => {
      const proxy = await recorder();
      const direct = await get(upstreamUrl, path);
      const proxied = await get(proxy.url, path, { headers: { 'Accept-Encoding': 'gzip' } });
      expect(proxied.status).toBe(direct.status);
      expect(proxied.message).toBe(direct.message);
      expect(endToEnd(proxied.headers)).toEqual(endToEnd(direct.headers));
      expect(proxied.body.equals(direct.body)).toBe(true);
    },
  );

  it('streams a chunked response as chunked, and records the gzip body decoded', async () => {
    const proxy = await recorder();
    const chunked = await get(proxy.url, '/chunked');
    expect(chunked.response.headers['transfer-encoding']).toBe('chunked');
    const gz = await get(proxy.url, '/gzip');
    expect(gz.body.equals(gzipped)).toBe(true);
    await proxy.close();
    const pact = await loadPact(join(proxy.dir, 'unknown-consumer-upstream.json'));
    const bodies = pact.interactions.map((i) => (i.replayable ? i.response.body : undefined));
    expect(bodies).toContainEqual(expect.objectContaining({ content: { parts: [1] } }));
    expect(bodies).toContainEqual(
      expect.objectContaining({ content: { id: 'SHP-1', status: 'delivered', at: '2026-11-18T07:30:00Z' } }),
    );
  });

  it('forwards a request body byte for byte, with the target as Host and the credentials untouched', async () => {
    const proxy = await recorder();
    const body = randomBytes(200_000);
    const answer = await get(proxy.url, '/echo?x=1', {
      method: 'POST',
      body,
      headers: { Authorization: 'Bearer real-token', 'Content-Type': 'application/octet-stream' },
    });
    expect(JSON.parse(answer.body.toString())).toEqual({
      sha256: createHash('sha256').update(body).digest('hex'),
      host: new URL(upstreamUrl).host,
      authorized: true,
    });
    await proxy.close();
    const written = readFileSync(join(proxy.dir, 'unknown-consumer-upstream.json'), 'utf8');
    expect(written).not.toContain('real-token');
    expect(JSON.parse(written).interactions[0].request.headers.Authorization).toEqual(['Bearer <redacted>']);
  });

  it('passes a body over the size limit through whole but does not record it', async () => {
    const proxy = await recorder({ maxBodyBytes: 1024 * 1024 });
    const answer = await get(proxy.url, '/large');
    expect(answer.body.equals(large)).toBe(true);
    await proxy.close();
    expect(proxy.events).toContainEqual(
      expect.objectContaining({ type: 'skipped', reason: 'body-too-large', path: '/large' }),
    );
    expect(readdirSync(proxy.dir)).toEqual([]);
  });

  it('passes a small compressed body that inflates past the limit through whole, without recording it', async () => {
    const proxy = await recorder({ maxBodyBytes: 1024 * 1024 });
    const answer = await get(proxy.url, '/bomb');
    expect(bomb.length).toBeLessThan(1024 * 1024);
    expect(answer.body.equals(bomb)).toBe(true);
    await proxy.close();
    expect(proxy.events).toContainEqual(
      expect.objectContaining({ type: 'skipped', reason: 'undecodable-body', path: '/bomb' }),
    );
    expect(readdirSync(proxy.dir)).toEqual([]);
  });

  it('refuses an upgrade (WebSocket) request with 501 and a sentence saying why', async () => {
    const proxy = await recorder();
    const { port } = new URL(proxy.url);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () =>
        socket.write(
          'GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
        ),
      );
      let text = '';
      socket.on('data', (d) => (text += d.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 501 Not Implemented/);
    expect(answer).toContain('cutover record does not proxy upgrade (websocket) requests');
    expect(proxy.events).toContainEqual({ type: 'refused-upgrade', method: 'GET', path: '/ws' });
  });

  it('answers 502 naming the target when it cannot be reached, and records nothing', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const proxy = await recorder({ target: `http://127.0.0.1:${port}` });
    const answer = await get(proxy.url, '/json');
    expect(answer.status).toBe(502);
    expect(answer.body.toString()).toContain('CUTOVER_TARGET_UNREACHABLE');
    expect(proxy.events[0]).toMatchObject({ type: 'target-error', error: { code: 'CUTOVER_TARGET_UNREACHABLE' } });
  });
});

describe('pact writes', () => {
  it('keeps traffic flowing when the pacts cannot be written, and says so loudly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cutover-recorder-'));
    dirs.push(dir);
    const blocker = join(dir, 'not-a-folder');
    writeFileSync(blocker, 'a file where the pact folder should be');
    const proxy = await recorder({ outDir: join(blocker, 'pacts') });
    expect((await get(proxy.url, '/json')).status).toBe(200);
    await expect(proxy.flush()).rejects.toMatchObject({ code: 'CUTOVER_OUTPUT_FAILED' });
    expect((await get(proxy.url, '/gzip')).status).toBe(200);
    await expect(proxy.flush()).rejects.toMatchObject({ code: 'CUTOVER_OUTPUT_FAILED' });
    expect(proxy.events).toContainEqual(
      expect.objectContaining({
        type: 'write-failed',
        error: expect.objectContaining({ code: 'CUTOVER_OUTPUT_FAILED' }),
      }),
    );
    expect(proxy.stats).toMatchObject({ forwarded: 2, recorded: 2, writeFailures: 2 });
    await expect(proxy.close()).rejects.toMatchObject({ code: 'CUTOVER_OUTPUT_FAILED' });
  });

  it('writes on close a pact cutover loads, leaving no temporary file, and rewrites only what changed', async () => {
    const proxy = await recorder();
    await get(proxy.url, '/json');
    expect(await proxy.flush()).toEqual([join(proxy.dir, 'unknown-consumer-upstream.json')]);
    expect(await proxy.flush()).toEqual([]);
    await get(proxy.url, '/gzip');
    await proxy.close();
    expect(readdirSync(proxy.dir)).toEqual(['unknown-consumer-upstream.json']);
    const pact = await loadPact(join(proxy.dir, 'unknown-consumer-upstream.json'));
    expect(pact.interactions.map((i) => i.description)).toEqual(['GET /gzip → 200', 'GET /json → 200']);
  });
});
