import type { LookupAddress } from 'node:dns';
import type { IncomingMessage } from 'node:http';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

// Node's network modules are taken when a document is fetched, not when cutover starts: most runs
// read local files only, and these modules cost every command's start-up (`openapi check`, `gate`).
const builtin = process.getBuiltinModule;

/** The largest document or `$ref`'d file read, in bytes. */
export const MAX_DOCUMENT_BYTES = 64 * 1024 * 1024;

const MAX_REDIRECTS = 5;

/**
 * Why an address may not be fetched (`loopback`, `private`, `linkLocal`, `ipv4Mapped`...), or
 * undefined for a public unicast address. IPv4-mapped IPv6 addresses are judged by the IPv4
 * address inside; NAT64, 6to4 and Teredo forms, which embed an IPv4 address, are refused outright.
 *
 * @example
 * addressProblem('10.0.0.1') // 'private'
 * addressProblem('::ffff:127.0.0.1') // 'loopback'
 * addressProblem('93.184.216.34') // undefined
 */
export function addressProblem(address: string): string | undefined {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.process(address.replace(/^\[|\]$/g, ''));
  } catch {
    return 'invalid';
  }
  const range = parsed.range();
  return range === 'unicast' ? undefined : range;
}

/** A URL the fetcher refused to contact, before sending anything to it. */
export class RefusedUrlError extends Error {
  constructor(
    message: string,
    readonly url: string,
  ) {
    super(message);
    this.name = 'RefusedUrlError';
  }
}

/** A DNS lookup for `net.connect` that fails unless every address the host resolves to is public. */
function publicOnlyLookup(url: string, via: string): LookupFunction {
  return (hostname, options, callback) => {
    builtin('node:dns').lookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      for (const { address } of addresses) {
        const problem = addressProblem(address);
        if (problem)
          return callback(
            new RefusedUrlError(`${via}${hostname} resolves to ${address}, a ${describeRange(problem)} address`, url),
            '',
            0,
          );
      }
      if (options.all) (callback as (e: null, a: LookupAddress[]) => void)(null, addresses);
      else callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

function describeRange(range: string): string {
  const names: Record<string, string> = {
    loopback: 'loopback',
    private: 'private',
    linkLocal: 'link-local',
    uniqueLocal: 'unique-local (private)',
    carrierGradeNat: 'carrier-grade NAT (private)',
    unspecified: 'unspecified',
    multicast: 'multicast',
    broadcast: 'broadcast',
    reserved: 'reserved',
  };
  return names[range] ?? `non-public (${range})`;
}

export interface FetchTextOptions {
  /** The origin the user named (the document's own URL): it may be any address, as may its redirects to itself. */
  trustedOrigin?: string;
  /** Deadline for the whole fetch, redirects included, in ms. */
  timeoutMs: number;
}

/**
 * GETs a text over http(s), following up to 5 redirects by hand. Every URL outside the trusted
 * origin must name, or resolve to, public addresses only (all of them, checked at connection
 * time so a second lookup cannot differ); bodies over {@link MAX_DOCUMENT_BYTES} are refused.
 *
 * @throws RefusedUrlError before contacting a refused address; Error for HTTP and network failures.
 */
export async function fetchText(url: string, options: FetchTextOptions): Promise<{ text: string; url: string }> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  let current = url;
  for (let hop = 0; ; hop++) {
    const target = new URL(current);
    // After a redirect, say where it led: the $ref as written names another URL.
    const via = hop === 0 ? '' : `redirected to ${current}: `;
    if (target.protocol !== 'http:' && target.protocol !== 'https:')
      throw new RefusedUrlError(`${via}only http and https URLs can be fetched`, current);
    const trusted = options.trustedOrigin !== undefined && target.origin === options.trustedOrigin;
    if (!trusted && builtin('node:net').isIP(target.hostname.replace(/^\[|\]$/g, '')) !== 0) {
      const problem = addressProblem(target.hostname);
      if (problem) throw new RefusedUrlError(`${via}${target.host} is a ${describeRange(problem)} address`, current);
    }
    const response = await get(target, trusted ? undefined : publicOnlyLookup(current, via), signal);
    const status = response.statusCode ?? 0;
    if (status >= 300 && status < 400 && response.headers.location) {
      response.resume();
      if (hop === MAX_REDIRECTS) throw new Error(`more than ${MAX_REDIRECTS} redirects`);
      current = new URL(response.headers.location, target).href;
      continue;
    }
    if (status < 200 || status >= 300) {
      response.resume();
      throw new Error(`HTTP ${status} ${response.statusMessage ?? ''}`.trim());
    }
    return { text: await readBody(response), url: current };
  }
}

function get(url: URL, lookup: LookupFunction | undefined, signal: AbortSignal): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? builtin('node:https').request : builtin('node:http').request;
    const request = send(url, {
      method: 'GET',
      signal,
      headers: { accept: 'application/json, application/yaml, */*' },
      ...(lookup ? { lookup } : {}),
    });
    request.on('response', resolve);
    request.on('error', (error) => reject(unwrapRefusal(error) ?? error));
    request.end();
  });
}

/** Node wraps nothing, but an aborted request reports the signal's reason: keep the refusal itself. */
function unwrapRefusal(error: Error): RefusedUrlError | undefined {
  if (error instanceof RefusedUrlError) return error;
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof RefusedUrlError ? cause : undefined;
}

async function readBody(response: IncomingMessage): Promise<string> {
  const declared = Number(response.headers['content-length']);
  if (declared > MAX_DOCUMENT_BYTES) {
    response.destroy();
    throw new Error(`the response is ${declared} bytes, more than the ${MAX_DOCUMENT_BYTES} allowed`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_DOCUMENT_BYTES) {
      response.destroy();
      throw new Error(`the response is more than the ${MAX_DOCUMENT_BYTES} bytes allowed`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
