import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { UsageError, type ShadowEvidence } from '@cutover/core';
import { Capture, refuseUpgrades } from '@cutover/recorder';
import type { Answer, MirroredRequest } from './compare.js';
import { listen, type ShadowServer } from './proxy.js';
import { createRuntime, type ShadowOptions } from './runtime.js';

/** The receiver of a gateway's mirrored requests. */
export interface MirrorReceiver extends ShadowServer {
  /**
   * Compares the monolith's and the candidate's answers to one mirrored request: both are asked
   * by cutover, at the same moment. Resolves once the comparison is recorded (or dropped, sampled
   * out, or refused as unsafe).
   */
  compareMirrored(request: MirroredRequest): Promise<void>;
}

/**
 * Gateway-fed shadowing, for teams that will not put another hop in the path: nginx's `mirror`
 * or Envoy's `request_mirror_policies` send cutover a copy of each request, whose answer the
 * gateway discards. The gateway does not pass on the answer the caller got, so cutover asks the
 * monolith itself, alongside the candidate, and compares the two answers to the same request: the
 * monolith serves each mirrored safe request once more (twice when a difference calls for a
 * noise sample). Unsafe methods are never compared in this mode: replaying a write on the
 * monolith would repeat it. The receiver answers 204 as soon as it has read the copy, so a
 * gateway that waits for its mirror subrequests (nginx does, before the next request on that
 * connection) is never held up by the comparison.
 *
 * @example
 * const receiver = createMirrorReceiver({ monolith: 'http://monolith:8000', candidate: 'http://tracking:9000' });
 * receiver.server.listen(8090); // nginx: mirror /_cutover_mirror; → proxy_pass http://127.0.0.1:8090$request_uri;
 */
export function createMirrorReceiver(options: ShadowOptions): MirrorReceiver {
  if (options.mirrorUnsafe === true)
    throw new UsageError(
      'mirroring unsafe methods needs the proxy mode: fed by the gateway, cutover would have to replay each write on the monolith to compare',
    );
  const runtime = createRuntime(options, 'gateway');
  const { book, comparator, maxBodyBytes } = runtime;

  const compareMirrored = async (request: MirroredRequest): Promise<void> => {
    const method = request.method.toUpperCase();
    const route = book.routeOf(method, request.url.split('?')[0]!);
    if (!runtime.admit(route, method, true)) return;
    const candidate = comparator.callCandidate({ ...request, method }, route);
    let monolith: Answer | undefined;
    try {
      monolith = await comparator.callMonolith({ ...request, method });
      book.monolithAnswered(route, monolith.ms, monolith.status);
    } catch {
      book.monolithFailed(route);
    }
    await comparator.complete(route, { ...request, method }, monolith, candidate);
  };

  /** Copies whose services are still being asked: `settle()` and `close()` wait for them too. */
  const inFlight = new Set<Promise<void>>();
  const settle = async () => {
    while (inFlight.size > 0) await Promise.all(inFlight);
    await comparator.idle();
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const body = new Capture(maxBodyBytes);
    req.on('data', (chunk: Buffer) => body.add(chunk));
    req.once('end', () => {
      res.writeHead(204).end();
      const request: MirroredRequest = { method: req.method ?? 'GET', url: req.url ?? '/', rawHeaders: req.rawHeaders };
      if (body.overflowed) {
        const route = book.routeOf(request.method, request.url.split('?')[0]!);
        book.count(route, 'seen');
        book.count(route, 'errored');
        return;
      }
      request.body = body.bytes();
      const job = compareMirrored(request).finally(() => inFlight.delete(job));
      inFlight.add(job);
    });
    req.once('error', () => res.destroy());
  };

  const server = createServer(handle);
  refuseUpgrades(server, 'cutover shadow');
  let closing: Promise<ShadowEvidence> | undefined;
  const shutdown = async () => {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
      if (!server.listening) resolve();
    });
    server.closeAllConnections();
    await settle();
    await runtime.close();
    return runtime.evidence();
  };
  return {
    server,
    compareMirrored,
    evidence: runtime.evidence,
    settle,
    close: () => (closing ??= shutdown()),
  };
}

/** Creates the receiver and listens (`port` 0 picks a free one); resolves with its URL. */
export async function startMirrorReceiver(
  options: ShadowOptions & { port?: number; host?: string },
): Promise<MirrorReceiver & { url: string }> {
  return await listen(createMirrorReceiver(options), options.port, options.host);
}
