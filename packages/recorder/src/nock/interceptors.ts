import { PactBook, type PactDocument } from '../book.js';
import { normalizeHeaders } from '../exchange.js';
import { exchangeOf, type NockNote, type NockPactOptions } from './convert.js';

/** The parts of a nock Interceptor the bridge reads (nock 14). */
export interface NockInterceptor {
  method: string;
  basePath: string;
  path: unknown;
  queries?: unknown;
  _requestBody?: unknown;
  reqheaders?: Record<string, unknown>;
  statusCode?: number | null;
  body?: unknown;
  rawHeaders?: unknown[];
  replyFunction?: unknown;
  fullReplyFunction?: unknown;
  errorMessage?: unknown;
  counter?: number;
  optional?: boolean;
  /** `.matchHeader(name, value)` on the interceptor, and on its scope. */
  interceptorMatchHeaders?: { name: string; value: unknown }[];
  scope?: { _persist?: boolean; matchHeaders?: { name: string; value: unknown }[] };
}

/** A request nock matched to an interceptor, as the test's code sent it. */
export interface SeenRequest {
  path: string;
  headers: Record<string, string[]>;
  body: string;
}

const name = (i: NockInterceptor, path = typeof i.path === 'string' ? i.path : String(i.path)) =>
  `${i.method} ${i.basePath}${path}`;

function queryString(queries: unknown): { text: string; problem?: 'regex-query' | 'function-query' } {
  if (queries === null || queries === undefined || queries === true) return { text: '' };
  if (typeof queries === 'function') return { text: '', problem: 'function-query' };
  const params = new URLSearchParams();
  let problem: 'regex-query' | undefined;
  for (const [key, value] of Object.entries(queries as Record<string, unknown>))
    for (const v of Array.isArray(value) ? value : [value]) {
      if (v instanceof RegExp) problem = 'regex-query';
      else params.append(key, String(v));
    }
  const text = params.toString();
  return { text: text ? `?${text}` : '', ...(problem ? { problem } : {}) };
}

/**
 * A pact from the interceptors tests declared with nock (`nock(base).get('/x').reply(200, body)`),
 * with `seen` holding the requests each one matched. Grouping, inference and redaction are those
 * of `cutover record`. What Pact cannot express is turned into the nearest form or left out, and
 * either way a {@link NockNote} says so:
 * - a regex or function path, query, body or header: the value a test actually sent is recorded
 *   (left out when no test called the interceptor);
 * - a function reply, `replyWithError`, a stream body: left out, Pact needs a fixed response;
 * - `persist()`, `times(n)`, `optional()`: recorded once — a pact interaction may be replayed any
 *   number of times, and Pact does not count calls.
 */
export function pactFromInterceptors(
  interceptors: readonly NockInterceptor[],
  seen: ReadonlyMap<NockInterceptor, readonly SeenRequest[]>,
  options: NockPactOptions,
): { pact: PactDocument; notes: NockNote[] } {
  const book = new PactBook(options);
  const notes: NockNote[] = [];
  for (const interceptor of interceptors) {
    const calls = seen.get(interceptor) ?? [];
    const first = calls[0];
    const note = (kind: NockNote['kind'], recorded: boolean, message: string) =>
      notes.push({ interceptor: name(interceptor), kind, recorded, message });

    if (interceptor.fullReplyFunction !== undefined || interceptor.replyFunction !== undefined) {
      note(
        'function-reply',
        false,
        'the reply is computed by a function; Pact needs a fixed response, so it is not in the pact',
      );
      continue;
    }
    if (interceptor.errorMessage !== undefined) {
      note('error-reply', false, 'replyWithError() is a network error, not an HTTP response; it is not in the pact');
      continue;
    }
    const body = interceptor.body;
    if (
      body !== null &&
      typeof body === 'object' &&
      !Buffer.isBuffer(body) &&
      typeof (body as { pipe?: unknown }).pipe === 'function'
    ) {
      note('stream-reply', false, 'the reply body is a stream; it is not in the pact');
      continue;
    }

    let path: string;
    if (typeof interceptor.path === 'string') path = interceptor.path;
    else {
      const kind = interceptor.path instanceof RegExp ? 'regex-path' : 'function-path';
      if (!first) {
        note(
          kind,
          false,
          `the path is matched by ${kind === 'regex-path' ? String(interceptor.path) : 'a function'} and no test called it, so there is no path to write; it is not in the pact`,
        );
        continue;
      }
      path = first.path.split('?')[0]!;
      note(
        kind,
        true,
        `the path is matched by ${kind === 'regex-path' ? String(interceptor.path) : 'a function'}; recorded with the path a test sent: ${path}`,
      );
    }

    const query = queryString(interceptor.queries);
    let url = path + query.text;
    if (query.problem || (typeof interceptor.path !== 'string' && first?.path.includes('?'))) {
      if (first?.path.includes('?')) url = path + first.path.slice(first.path.indexOf('?'));
      if (query.problem)
        note(
          query.problem,
          true,
          `the query is matched by a ${query.problem === 'regex-query' ? 'regular expression' : 'function'}; recorded with ${first ? 'the query a test sent' : 'its fixed parameters only'}`,
        );
    }

    let requestBody: unknown = interceptor._requestBody;
    if (requestBody instanceof RegExp || typeof requestBody === 'function') {
      const kind = requestBody instanceof RegExp ? 'regex-body' : 'function-body';
      requestBody = first?.body;
      note(
        kind,
        true,
        first
          ? 'the request body is matched by a function or regex; recorded with the body a test sent'
          : 'the request body is matched by a function or regex and no test called it; recorded without a request body',
      );
    }

    const requestHeaders: Record<string, string[]> = {};
    const expectedHeaders: [string, unknown][] = [
      ...Object.entries(interceptor.reqheaders ?? {}),
      ...[...(interceptor.scope?.matchHeaders ?? []), ...(interceptor.interceptorMatchHeaders ?? [])].map(
        (h) => [h.name, h.value] as [string, unknown],
      ),
    ];
    for (const [header, value] of expectedHeaders) {
      if (typeof value === 'string' || typeof value === 'number')
        requestHeaders[header.toLowerCase()] = [String(value)];
      else {
        const kind = value instanceof RegExp ? 'regex-header' : 'function-header';
        const sent = first?.headers[header.toLowerCase()];
        if (sent) requestHeaders[header.toLowerCase()] = sent;
        note(
          kind,
          true,
          `request header ${header} is matched by a ${kind === 'regex-header' ? 'regular expression' : 'function'}; ${sent ? 'recorded with the value a test sent' : 'left out: no test called it'}`,
        );
      }
    }

    const raw = interceptor.rawHeaders ?? [];
    const responseHeaders: Record<string, string[]> = {};
    for (let i = 0; i + 1 < raw.length; i += 2)
      if (typeof raw[i + 1] !== 'function')
        (responseHeaders[String(raw[i]).toLowerCase()] ??= []).push(String(raw[i + 1]));

    if (interceptor.scope?._persist)
      note('persist', true, 'persist(): recorded once; a pact interaction may be replayed any number of times');
    else if ((interceptor.counter ?? 1) > 1)
      note('times', true, `times(${interceptor.counter}): recorded once; Pact does not count calls`);
    if (interceptor.optional)
      note('optional', true, 'optional(): recorded like any other; a provider must still honour it');
    if (calls.length === 0) note('never-called', true, 'no test called it; recorded as declared');

    book.add(
      exchangeOf({
        method: interceptor.method,
        url,
        requestHeaders: normalizeHeaders(requestHeaders),
        requestBody,
        status: interceptor.statusCode ?? 200,
        responseHeaders,
        responseBody: body,
      }),
      options.consumer,
    );
  }
  return { pact: book.pact(options.consumer), notes };
}
