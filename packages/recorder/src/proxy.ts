import {
  Agent as HttpAgent,
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { CutoverError, ErrorCodes, UsageError, describeError } from '@cutover/core';
import { PactBook, type BookOptions } from './book.js';
import { createConsumerResolver, type ConsumerRule } from './consumers.js';
import { decodeBody } from './decode.js';
import { headersFromRaw, splitUrl } from './exchange.js';
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

/** Hop-by-hop headers (RFC 9110 §7.6.1): they describe one connection and are not forwarded. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'upgrade',
]);

function forwardable(raw: readonly string[], skip: (name: string) => boolean): string[] {
  // Headers a Connection header names are hop-by-hop too.
  let named: Set<string> | undefined;
  for (let i = 0; i + 1 < raw.length; i += 2)
    if (raw[i]!.length === 10 && raw[i]!.toLowerCase() === 'connection')
      for (const token of raw[i + 1]!.split(',')) (named ??= new Set()).add(token.trim().toLowerCase());
  const out: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (HOP_BY_HOP.has(name) || named?.has(name) || skip(name)) continue;
    out.push(raw[i]!, raw[i + 1]!);
  }
  return out;
}

/** Collects a stream's chunks up to a limit; past it, only the size is counted. */
class Capture {
  chunks: Buffer[] = [];
  size = 0;
  constructor(private readonly limit: number) {}
  add(chunk: Buffer): void {
    this.size += chunk.length;
    if (this.size <= this.limit) this.chunks.push(chunk);
    else this.chunks = [];
  }
  get overflowed(): boolean {
    return this.size > this.limit;
  }
  bytes(): Buffer | undefined {
    return this.size === 0 ? undefined : Buffer.concat(this.chunks);
  }
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
  let target: URL;
  try {
    target = new URL(options.target);
  } catch (cause) {
    throw new UsageError(`target "${options.target}" is not a URL`, { cause });
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:')
    throw new UsageError(`target ${options.target} must be an http:// or https:// URL`);
  const prefix = target.pathname.replace(/\/$/, '');
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const agent = target.protocol === 'https:' ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
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
    res.sendDate = false;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      if (--inFlight === 0) idle?.();
    };
    res.once('close', finish);
    const reqBody = new Capture(limit);
    const upstreamReq = send({
      protocol: target.protocol,
      hostname: target.hostname,
      port: target.port,
      method: req.method,
      path: prefix + (req.url ?? '/'),
      headers: [...forwardable(req.rawHeaders, (n) => n === 'host'), 'Host', target.host] as unknown as Record<
        string,
        string
      >,
      agent,
    });
    upstreamReq.on('response', (upstream) => {
      const resBody = new Capture(limit);
      res.writeHead(
        upstream.statusCode ?? 502,
        upstream.statusMessage,
        forwardable(upstream.rawHeaders, () => false) as unknown as Record<string, string>,
      );
      upstream.on('data', (chunk: Buffer) => {
        resBody.add(chunk);
        if (!res.write(chunk)) {
          upstream.pause();
          res.once('drain', () => upstream.resume());
        }
      });
      upstream.on('end', () => {
        const trailers = forwardable(upstream.rawTrailers, () => false);
        if (trailers.length > 0)
          res.addTrailers(trailers.flatMap((v, i) => (i % 2 === 0 ? [[v, trailers[i + 1]!] as [string, string]] : [])));
        res.end();
        // Recorded after the caller has the whole response: recording never delays it.
        const recording = record(req, reqBody, upstream, resBody).catch((error: unknown) =>
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
      });
      upstream.on('error', () => res.destroy());
    });
    upstreamReq.on('error', (cause) => {
      const error = new CutoverError(
        ErrorCodes.TARGET_UNREACHABLE,
        `${req.method} ${target.origin}${prefix}${req.url}: the target did not answer (${describeError(cause).message})`,
        { cause, details: { url: `${target.origin}${prefix}${req.url}` } },
      );
      emit({ type: 'target-error', method: req.method ?? '', path: req.url ?? '', error });
      if (res.headersSent) return res.destroy();
      res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`cutover record: ${error.code}: ${error.message}\n`);
    });
    req.on('data', (chunk: Buffer) => reqBody.add(chunk));
    req.pipe(upstreamReq);
    req.on('aborted', () => upstreamReq.destroy());
    res.on('close', () => {
      if (!res.writableFinished) upstreamReq.destroy();
    });
  };

  const server = createServer(handle);
  const refuse = (req: IncomingMessage, socket: Socket) => {
    emit({ type: 'refused-upgrade', method: req.method ?? '', path: req.url ?? '' });
    const body = `cutover record does not proxy ${req.method === 'CONNECT' ? 'CONNECT' : `upgrade (${req.headers.upgrade ?? 'unknown'})`} requests: connect to the target directly.\n`;
    socket.end(
      `HTTP/1.1 501 Not Implemented\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  };
  server.on('upgrade', refuse);
  server.on('connect', refuse);

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
    agent.destroy();
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
