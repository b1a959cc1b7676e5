import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UsageError, describeError, type CutoverError } from '@cutover/core';
import { PactBook, type BookOptions } from './book.js';
import { createConsumerResolver, type ConsumerRule } from './consumers.js';
import { decodeBody } from './decode.js';
import { headersFromRaw, splitUrl } from './exchange.js';
import { Capture, parseUpstream, passThrough, refuseUpgrades } from './passthrough.js';
import { writePactFile } from './write.js';

export interface RecorderOptions extends BookOptions {
  /** The service traffic goes to, e.g. `http://monolith:8000` (a path prefixes every request's). */
  target: string;
  /** The folder the pacts are written to. */
  outDir: string;
  /** How consumers are told apart. */
  consumers?: ConsumerRule;
  /** Requests or responses with a larger body (as sent, before decompression) pass through unrecorded; default 1 MiB. */
  maxBodyBytes?: number;
  /** Pacts that changed are written this often (ms); default 2000. `close()` writes them too. */
  flushIntervalMs?: number;
  /** Everything the recorder has to say. Without it, a failed write is a process warning. */
  onEvent?: (event: RecorderEvent) => void;
}

export type SkipReason = 'body-too-large' | 'group-capped' | 'consumer-capped' | 'undecodable-body' | 'record-failed';

export type RecorderEvent =
  | { type: 'recorded'; consumer: string; group: string; newInteraction: boolean }
  | { type: 'skipped'; reason: SkipReason; method: string; path: string; detail?: string }
  | { type: 'refused-upgrade'; method: string; path: string }
  | { type: 'target-error'; method: string; path: string; error: CutoverError }
  | { type: 'written'; files: string[] }
  | { type: 'write-failed'; error: CutoverError };

export interface Recorder {
  /** The proxy's HTTP server (not listening yet when made by `createRecorder`). */
  server: Server;
  book: PactBook;
  /** Counts since the start. */
  stats: { forwarded: number; recorded: number; skipped: number; writeFailures: number };
  /** Writes every pact that changed since the last write; resolves to the files written. Rejects with CUTOVER_OUTPUT_FAILED. */
  flush(): Promise<string[]>;
  /** Stops accepting connections, lets requests in flight finish (up to `graceMs`, default 5000), writes the pacts. */
  close(graceMs?: number): Promise<void>;
}

/**
 * The recording reverse proxy: every request is forwarded to `target` and its response streamed
 * back unchanged (status, headers, body bytes, chunked or compressed); meanwhile the exchange is
 * recorded into pacts, one per consumer, written atomically to `outDir`. Recording never holds
 * traffic back: bodies over `maxBodyBytes` pass unrecorded, and a failed pact write is reported
 * (`write-failed`) while traffic keeps flowing. Upgrade (WebSocket) and CONNECT requests are
 * refused with 501 and a sentence saying why.
 *
 * @example
 * const recorder = createRecorder({ target: 'http://localhost:8000', provider: 'logistics', outDir: 'pacts' });
 * recorder.server.listen(8088);
 */
export function createRecorder(options: RecorderOptions): Recorder {
  const upstream = parseUpstream(options.target, 'target');
  const book = new PactBook(options);
  const consumerOf = createConsumerResolver(options.consumers);
  const limit = options.maxBodyBytes ?? 1024 * 1024;
  const emit =
    options.onEvent ??
    ((event: RecorderEvent) => {
      if (event.type === 'write-failed') process.emitWarning(event.error.message, { code: event.error.code });
    });
  const stats = { forwarded: 0, recorded: 0, skipped: 0, writeFailures: 0 };
  let inFlight = 0;
  /** Recordings still decoding: a flush waits for them, so what the callers got is in the pact. */
  const pending = new Set<Promise<unknown>>();
  let idle: (() => void) | undefined;

  const record = async (req: IncomingMessage, reqBody: Capture, upstream: IncomingMessage, resBody: Capture) => {
    const { path, query } = splitUrl(req.url ?? '/');
    const method = req.method ?? 'GET';
    const skip = (reason: SkipReason, detail?: string) => {
      stats.skipped++;
      emit({ type: 'skipped', reason, method, path, ...(detail === undefined ? {} : { detail }) });
    };
    if (reqBody.overflowed || resBody.overflowed)
      return skip('body-too-large', `${Math.max(reqBody.size, resBody.size)} bytes > ${limit}`);
    const requestHeaders = headersFromRaw(req.rawHeaders);
    const responseHeaders = headersFromRaw(upstream.rawHeaders);
    let requestBody: Uint8Array | undefined;
    let responseBody: Uint8Array | undefined;
    try {
      requestBody = await decodeBody(reqBody.bytes(), requestHeaders, limit);
      responseBody = await decodeBody(resBody.bytes(), responseHeaders, limit);
    } catch (error) {
      return skip('undecodable-body', describeError(error).message);
    }
    const consumer = consumerOf(requestHeaders);
    const outcome = book.add(
      {
        method,
        path,
        query,
        requestHeaders,
        requestBody,
        status: upstream.statusCode ?? 0,
        responseHeaders,
        responseBody,
      },
      consumer,
    );
    if (!outcome.recorded) return skip(outcome.reason, outcome.group);
    stats.recorded++;
    emit({ type: 'recorded', consumer, group: outcome.group, newInteraction: outcome.newInteraction });
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    stats.forwarded++;
    inFlight++;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      if (--inFlight === 0) idle?.();
    };
    res.once('close', finish);
    const reqBody = new Capture(limit);
    const resBody = new Capture(limit);
    passThrough(req, res, upstream, 'cutover record', {
      requestChunk: (chunk) => reqBody.add(chunk),
      responseChunk: (chunk) => resBody.add(chunk),
      responded: (answer) => {
        // Recorded after the caller has the whole response: recording never delays it.
        const recording = record(req, reqBody, answer, resBody).catch((error: unknown) =>
          emit({
            type: 'skipped',
            reason: 'record-failed',
            method: req.method ?? '',
            path: req.url ?? '',
            detail: String(error),
          }),
        );
        pending.add(recording);
        void recording.finally(() => pending.delete(recording));
      },
      failed: (error) => emit({ type: 'target-error', method: req.method ?? '', path: req.url ?? '', error }),
    });
  };

  const server = createServer(handle);
  refuseUpgrades(server, 'cutover record', (req) =>
    emit({ type: 'refused-upgrade', method: req.method ?? '', path: req.url ?? '' }),
  );

  const written = new Map<string, number>();
  let chain: Promise<unknown> = Promise.resolve();
  const flushNow = async (): Promise<string[]> => {
    await Promise.all(pending);
    const files: string[] = [];
    for (const [consumer, revision] of book.revisions()) {
      if (written.get(consumer) === revision) continue;
      try {
        files.push(await writePactFile(options.outDir, book.pact(consumer)));
        written.set(consumer, revision);
      } catch (error) {
        stats.writeFailures++;
        emit({ type: 'write-failed', error: error as CutoverError });
        throw error;
      }
    }
    if (files.length > 0) emit({ type: 'written', files });
    return files;
  };
  const flush = () => {
    const next = chain.then(flushNow, flushNow);
    chain = next.catch(() => undefined);
    return next;
  };
  const timer = setInterval(() => void flush().catch(() => undefined), options.flushIntervalMs ?? 2000);
  timer.unref();

  const close = async (graceMs = 5000) => {
    clearInterval(timer);
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
      if (!server.listening) resolve();
    }).catch(() => undefined);
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
    await flush();
  };
  return { server, book, stats, flush, close };
}

/**
 * Creates the recorder and listens (`port` 0 picks a free one); resolves with its URL.
 *
 * @example
 * const recorder = await startRecorder({ target, provider: 'logistics', outDir: dir, port: 0 });
 * await fetch(`${recorder.url}/api/tracking/SHP-1001`);
 * await recorder.close(); // writes the pacts
 */
export async function startRecorder(
  options: RecorderOptions & { port?: number; host?: string },
): Promise<Recorder & { url: string }> {
  const recorder = createRecorder(options);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    recorder.server.once('error', reject);
    recorder.server.listen(options.port ?? 0, host, () => {
      recorder.server.off('error', reject);
      resolve();
    });
  }).catch((cause: unknown) => {
    throw new UsageError(`cannot listen on ${host}:${options.port ?? 0}: ${describeError(cause).message}`, { cause });
  });
  const { port } = recorder.server.address() as AddressInfo;
  return { ...recorder, url: `http://${host.includes(':') ? `[${host}]` : host}:${port}` };
}
