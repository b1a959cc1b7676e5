import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describeError, UsageError, type ShadowEvidence } from '@cutover/core';
import { Capture, parseUpstream, passThrough, refuseUpgrades } from '@cutover/recorder';
import type { Answer, MirroredRequest } from './compare.js';
import { createRuntime, type ShadowOptions } from './runtime.js';

/** A running shadow proxy or receiver. */
export interface ShadowServer {
  /** Its HTTP server (listening once `startShadowProxy`/`startMirrorReceiver` resolved). */
  server: Server;
  /** The evidence so far: comparisons still running are not in it yet (`settle()` waits for them). */
  evidence(): ShadowEvidence;
  /** Waits until every comparison started so far is done. */
  settle(): Promise<void>;
  /** Stops accepting connections, lets requests in flight finish (up to `graceMs`, default 5000), finishes the comparisons; resolves to the evidence. */
  close(graceMs?: number): Promise<ShadowEvidence>;
}

/**
 * The mirroring proxy: every request goes to the monolith and its answer streams back to the
 * caller unchanged (the recorder's pass-through: status, headers in order and case, body bytes,
 * trailers). Safe requests (sampled by `sampleRate`) are sent to the candidate too, alongside,
 * once the caller's request is read; the two answers are compared off the caller's path. The
 * candidate can be dead, slow or wrong: the caller never waits for it and never sees it.
 *
 * @example
 * const shadow = createShadowProxy({ monolith: 'http://localhost:8000', candidate: 'http://localhost:9000' });
 * shadow.server.listen(8089);
 */
export function createShadowProxy(options: ShadowOptions): ShadowServer {
  const upstream = parseUpstream(options.monolith, 'monolith');
  const runtime = createRuntime(options, 'proxy');
  const { book, comparator, maxBodyBytes } = runtime;
  let inFlight = 0;
  let idle: (() => void) | undefined;

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    inFlight++;
    let done = false;
    res.once('close', () => {
      if (done) return;
      done = true;
      if (--inFlight === 0) idle?.();
    });
    const method = (req.method ?? 'GET').toUpperCase();
    const url = req.url ?? '/';
    const route = book.routeOf(method, url.split('?')[0]!);
    if (!runtime.admit(route, method, false)) {
      passThrough(req, res, upstream, 'cutover shadow');
      return;
    }
    const started = performance.now();
    const reqBody = new Capture(maxBodyBytes);
    const resBody = new Capture(maxBodyBytes);
    let candidate: Promise<Answer | Error> | undefined;
    let settled = false;
    const settle = (monolith: Answer | undefined) => {
      if (settled) return;
      settled = true;
      if (candidate === undefined) comparator.release();
      else void comparator.complete(route, request, monolith, candidate);
    };
    const request: MirroredRequest = { method, url, rawHeaders: req.rawHeaders };
    req.once('end', () => {
      if (settled) return;
      if (reqBody.overflowed) {
        book.count(route, 'errored');
        return settle(undefined);
      }
      request.body = reqBody.bytes();
      // Alongside the monolith, so both latencies are measured under the same conditions.
      candidate = comparator.callCandidate(request, route);
    });
    passThrough(req, res, upstream, 'cutover shadow', {
      requestChunk: (chunk) => reqBody.add(chunk),
      responseChunk: (chunk) => resBody.add(chunk),
      responded: (answer) => {
        const ms = performance.now() - started;
        book.monolithAnswered(route, ms, answer.statusCode ?? 0);
        if (resBody.overflowed || candidate === undefined) {
          if (candidate !== undefined) book.count(route, 'errored');
          void candidate?.then(() => undefined);
          return settle(undefined);
        }
        settle({
          status: answer.statusCode ?? 0,
          headers: answer.headers,
          body: resBody.bytes() ?? Buffer.alloc(0),
          ms,
        });
      },
      failed: () => {
        book.monolithFailed(route);
        if (candidate !== undefined) book.count(route, 'errored');
        settle(undefined);
      },
    });
    // A caller that goes away before the answer ends frees the slot (the candidate's answer is discarded).
    res.once('close', () => {
      if (!res.writableFinished && !settled) {
        book.count(route, 'errored');
        settle(undefined);
      }
    });
  };

  const server = createServer(handle);
  refuseUpgrades(server, 'cutover shadow');
  let closing: Promise<ShadowEvidence> | undefined;
  const shutdown = async (graceMs: number) => {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
      if (!server.listening) resolve();
    });
    if (inFlight > 0)
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, graceMs);
        idle = () => {
          clearTimeout(t);
          resolve();
        };
      });
    server.closeAllConnections();
    upstream.agent.destroy();
    await runtime.close();
    return runtime.evidence();
  };
  const close = (graceMs = 5000) => (closing ??= shutdown(graceMs));
  return { server, evidence: runtime.evidence, settle: () => comparator.idle(), close };
}

/** Listens on `port` (0 picks a free one) at `host` (default 127.0.0.1); rejects with CUTOVER_USAGE_ERROR when it cannot. */
export async function listen<T extends ShadowServer>(
  shadow: T,
  port = 0,
  host = '127.0.0.1',
): Promise<T & { url: string }> {
  await new Promise<void>((resolve, reject) => {
    shadow.server.once('error', reject);
    shadow.server.listen(port, host, () => {
      shadow.server.off('error', reject);
      resolve();
    });
  }).catch((cause: unknown) => {
    throw new UsageError(`cannot listen on ${host}:${port}: ${describeError(cause).message}`, { cause });
  });
  const address = shadow.server.address() as AddressInfo;
  return { ...shadow, url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}` };
}

/**
 * Creates the shadow proxy and listens; resolves with its URL.
 *
 * @example
 * const shadow = await startShadowProxy({ monolith, candidate, port: 0 });
 * await fetch(`${shadow.url}/api/tracking/SHP-1001`);
 * const evidence = await shadow.close();
 */
export async function startShadowProxy(
  options: ShadowOptions & { port?: number; host?: string },
): Promise<ShadowServer & { url: string }> {
  return await listen(createShadowProxy(options), options.port, options.host);
}
