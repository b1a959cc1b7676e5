import {
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import { TargetError, UsageError, describeError } from '@cutover/core';

/**
 * Hop-by-hop headers (RFC 9110 §7.6.1): they describe one connection and are not forwarded.
 * `Trailer` is not one: it announces the trailers that are forwarded too.
 */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'upgrade',
]);

/** A raw header list (`[name, value, …]`, names as sent) without hop-by-hop headers and those `skip` names. */
export function forwardable(raw: readonly string[], skip: (name: string) => boolean): string[] {
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
export class Capture {
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

/** The service a proxy forwards to, with one keep-alive agent. */
export interface Upstream {
  url: URL;
  /** The URL's path without a trailing slash: it prefixes every request's. */
  prefix: string;
  send: typeof httpRequest;
  agent: HttpAgent;
}

/** Reads an upstream URL given on the command line or in options; `what` names it in errors (`target`, `monolith`). */
export function parseUpstream(value: string, what: string): Upstream {
  let url: URL;
  try {
    url = new URL(value);
  } catch (cause) {
    throw new UsageError(`${what} "${value}" is not a URL`, { cause });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`${what} ${value} must be an http:// or https:// URL`);
  return {
    url,
    prefix: url.pathname.replace(/\/$/, ''),
    send: url.protocol === 'https:' ? httpsRequest : httpRequest,
    agent: url.protocol === 'https:' ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true }),
  };
}

/** What a proxy learns while one exchange passes through. Every hook runs off the caller's path or after its bytes are written. */
export interface PassThroughHooks {
  /** A chunk of the caller's request body, as sent. */
  requestChunk?(chunk: Buffer): void;
  /** A chunk of the upstream's response body, after it was handed to the caller. */
  responseChunk?(chunk: Buffer): void;
  /** The caller has the whole response (trailers included). */
  responded?(upstream: IncomingMessage): void;
  /** The upstream did not answer; the caller got a 502 (or a reset, when the headers were already sent). */
  failed?(error: TargetError): void;
}

/**
 * Forwards one request to `upstream` and streams its response back unchanged: status, reason,
 * headers in their order and case, body bytes (chunked or compressed as sent), trailers. Only
 * hop-by-hop headers are dropped and Host is set to the upstream's. A dead upstream answers 502
 * with a sentence naming `tool` and the coded error.
 */
export function passThrough(
  req: IncomingMessage,
  res: ServerResponse,
  upstream: Upstream,
  tool: string,
  hooks: PassThroughHooks = {},
): void {
  res.sendDate = false;
  const { url: target, prefix } = upstream;
  const upstreamReq = upstream.send({
    protocol: target.protocol,
    hostname: target.hostname,
    port: target.port,
    method: req.method,
    path: prefix + (req.url ?? '/'),
    headers: [...forwardable(req.rawHeaders, (n) => n === 'host'), 'Host', target.host] as unknown as Record<
      string,
      string
    >,
    agent: upstream.agent,
  });
  upstreamReq.on('response', (answer) => {
    res.writeHead(
      answer.statusCode ?? 502,
      answer.statusMessage,
      forwardable(answer.rawHeaders, () => false) as unknown as Record<string, string>,
    );
    answer.on('data', (chunk: Buffer) => {
      const more = res.write(chunk);
      hooks.responseChunk?.(chunk);
      if (!more) {
        answer.pause();
        res.once('drain', () => answer.resume());
      }
    });
    answer.on('end', () => {
      const trailers = forwardable(answer.rawTrailers, () => false);
      if (trailers.length > 0)
        res.addTrailers(trailers.flatMap((v, i) => (i % 2 === 0 ? [[v, trailers[i + 1]!] as [string, string]] : [])));
      res.end();
      hooks.responded?.(answer);
    });
    answer.on('error', () => res.destroy());
  });
  upstreamReq.on('error', (cause) => {
    const where = `${target.origin}${prefix}${req.url}`;
    const error = new TargetError(
      `${req.method} ${where}: the target did not answer (${describeError(cause).message})`,
      { cause, details: { url: where } },
    );
    hooks.failed?.(error);
    if (res.headersSent) return res.destroy();
    res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(`${tool}: ${error.code}: ${error.message}\n`);
  });
  if (hooks.requestChunk) req.on('data', hooks.requestChunk);
  req.pipe(upstreamReq);
  req.on('aborted', () => upstreamReq.destroy());
  res.on('close', () => {
    if (!res.writableFinished) upstreamReq.destroy();
  });
}

/**
 * Answers upgrade (WebSocket) and CONNECT requests with 501 and a sentence saying why: a proxy
 * that only passes HTTP exchanges through must not half-tunnel them.
 */
export function refuseUpgrades(server: Server, tool: string, refused?: (req: IncomingMessage) => void): void {
  const refuse = (req: IncomingMessage, socket: Socket) => {
    refused?.(req);
    const body = `${tool} does not proxy ${req.method === 'CONNECT' ? 'CONNECT' : `upgrade (${req.headers.upgrade ?? 'unknown'})`} requests: connect to the target directly.\n`;
    socket.end(
      `HTTP/1.1 501 Not Implemented\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  };
  server.on('upgrade', refuse);
  server.on('connect', refuse);
}
