import { UsageError } from '@cutover/core';
import { PactBook, type BookOptions, type PactDocument } from '../book.js';
import { normalizeHeaders, splitUrl, type Exchange } from '../exchange.js';

/**
 * What nock can say and Pact cannot, and what was done about it. `recorded: false` means the
 * interceptor is not in the pact (nothing in it could be written down); every other note is about
 * an interaction that is there, in its nearest Pact form.
 */
export interface NockNote {
  /** `GET http://api.example/orders/1`, as nock would name the interceptor. */
  interceptor: string;
  kind:
    | 'regex-path'
    | 'function-path'
    | 'regex-query'
    | 'function-query'
    | 'regex-body'
    | 'function-body'
    | 'regex-header'
    | 'function-header'
    | 'function-reply'
    | 'error-reply'
    | 'stream-reply'
    | 'persist'
    | 'times'
    | 'optional'
    | 'never-called';
  recorded: boolean;
  message: string;
}

/** One request/response pair written by `nock.recorder.rec({ output_objects: true })`. */
export interface NockDefinition {
  scope: string;
  method?: string;
  path: string;
  body?: unknown;
  status?: number;
  response?: unknown;
  rawHeaders?: string[] | Record<string, string>;
  headers?: Record<string, string>;
  reqheaders?: Record<string, string>;
  responseIsBinary?: boolean;
}

export interface NockPactOptions extends Omit<BookOptions, 'provider'> {
  consumer: string;
  provider: string;
}

/** Body bytes and the content type they imply, from what nock holds (a string, a Buffer, a JSON value). */
export function bodyBytes(body: unknown): { bytes?: Uint8Array; json: boolean } {
  if (body === undefined || body === null || body === '') return { json: false };
  if (typeof body === 'string') return { bytes: Buffer.from(body), json: false };
  if (Buffer.isBuffer(body) || body instanceof Uint8Array) return { bytes: body, json: false };
  return { bytes: Buffer.from(JSON.stringify(body)), json: true };
}

/** An observation made of parts, adding a JSON content type where nock implies one. */
export function exchangeOf(parts: {
  method: string;
  url: string;
  requestHeaders: Record<string, string[]>;
  requestBody: unknown;
  status: number;
  responseHeaders: Record<string, string[]>;
  responseBody: unknown;
}): Exchange {
  const { path, query } = splitUrl(parts.url);
  const request = bodyBytes(parts.requestBody);
  const response = bodyBytes(parts.responseBody);
  const requestHeaders = { ...parts.requestHeaders };
  const responseHeaders = { ...parts.responseHeaders };
  if (request.json && !requestHeaders['content-type']) requestHeaders['content-type'] = ['application/json'];
  if (response.json && !responseHeaders['content-type']) responseHeaders['content-type'] = ['application/json'];
  return {
    method: parts.method.toUpperCase(),
    path,
    query,
    requestHeaders,
    requestBody: request.bytes,
    status: parts.status,
    responseHeaders,
    responseBody: response.bytes,
  };
}

function rawToHeaders(raw: NockDefinition['rawHeaders'] | undefined): Record<string, string[]> {
  if (raw === undefined) return {};
  if (!Array.isArray(raw)) return normalizeHeaders(raw);
  const out: Record<string, string[]> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) (out[String(raw[i]).toLowerCase()] ??= []).push(String(raw[i + 1]));
  return out;
}

/**
 * A pact from `nock.recorder` output: `nock.recorder.rec({ output_objects: true })`, then
 * `nock.recorder.play()`. Each recorded call is an observation; grouping, matcher inference and
 * redaction are those of `cutover record`. Text output (without `output_objects`) is refused
 * with `CUTOVER_USAGE`, naming the element.
 *
 * @example
 * nock.recorder.rec({ output_objects: true, dont_print: true, enable_reqheaders_recording: true });
 * await client.fetchOrders();
 * const pact = pactFromNockRecording(nock.recorder.play(), { consumer: 'web-app', provider: 'orders' });
 */
export function pactFromNockRecording(definitions: unknown, options: NockPactOptions): PactDocument {
  if (!Array.isArray(definitions))
    throw new UsageError('nock.recorder output must be the array nock.recorder.play() returns');
  const book = new PactBook(options);
  definitions.forEach((definition: unknown, i) => {
    if (typeof definition === 'string')
      throw new UsageError(
        `nock.recorder output [${i}] is text: record with nock.recorder.rec({ output_objects: true }) to get objects`,
      );
    const d = definition as NockDefinition;
    if (d === null || typeof d !== 'object' || typeof d.path !== 'string' || typeof d.scope !== 'string')
      throw new UsageError(`nock.recorder output [${i}] is not a recorded call (it needs "scope" and "path")`);
    const response = d.responseIsBinary && typeof d.response === 'string' ? Buffer.from(d.response, 'hex') : d.response;
    book.add(
      exchangeOf({
        method: d.method ?? 'GET',
        url: d.path,
        requestHeaders: normalizeHeaders(d.reqheaders),
        requestBody: d.body,
        status: d.status ?? 200,
        responseHeaders: rawToHeaders(d.rawHeaders ?? d.headers),
        responseBody: response,
      }),
      options.consumer,
    );
  });
  return book.pact(options.consumer);
}
