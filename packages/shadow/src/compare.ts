import { describeError, type ParityResult } from '@cutover/core';
import { decodeBody, forwardable } from '@cutover/recorder';
import type { NoiseRules, TargetClient } from '@cutover/verifier';
import { compareCaptured, type CapturedResponse } from '@cutover/verifier';
import type { RouteKey, ShadowBook } from './stats.js';

/** Methods that do not change state (RFC 9110 §9.2.1): mirrored, and re-sent for noise samples, by default. */
export const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

/** A request as the caller sent it, to be sent again to the candidate (and the monolith, for samples). */
export interface MirroredRequest {
  method: string;
  /** Path and query string as sent. */
  url: string;
  /** Node's raw header list, `[name, value, …]`. */
  rawHeaders: readonly string[];
  body?: Buffer | undefined;
}

/** An answer as received (body still content-encoded), and how long it took. */
export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  ms: number;
}

export interface ComparatorOptions {
  book: ShadowBook;
  monolith: TargetClient;
  candidate: TargetClient;
  noise: NoiseRules;
  /** Re-send safe requests to the monolith when the answers differ, to learn what varies on its own. */
  monolithSamples: boolean;
  /** Larger bodies are not compared. */
  maxBodyBytes: number;
  /** Comparisons pending at once; more are dropped and counted. */
  maxPending: number;
  onError?: (route: RouteKey, side: 'monolith' | 'candidate', message: string) => void;
}

/** Headers that frame one connection's message: the candidate's request is framed anew. */
const FRAMING = new Set(['content-length', 'transfer-encoding', 'host', 'expect']);

/** The request headers to send again, as one value per name (`cookie` joined by `; `, others by `, `). */
function outgoingHeaders(raw: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  const list = forwardable(raw, (name) => FRAMING.has(name));
  for (let i = 0; i + 1 < list.length; i += 2) {
    const name = list[i]!.toLowerCase();
    const value = list[i + 1]!;
    headers[name] = headers[name] === undefined ? value : `${headers[name]}${name === 'cookie' ? '; ' : ', '}${value}`;
  }
  return headers;
}

/** An answer with its body decoded from any content encoding, as parity compares it. */
async function decoded(answer: Answer, limit: number): Promise<CapturedResponse> {
  const headers: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(answer.headers))
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value : [value];
  const body = await decodeBody(answer.body.length === 0 ? undefined : answer.body, headers, limit);
  return { status: answer.status, headers: answer.headers, body: Buffer.from(body ?? []), timingMs: answer.ms };
}

/**
 * Compares the candidate's answers with the monolith's, off the caller's path, with at most
 * `maxPending` comparisons in memory: a request that finds them all taken is counted as dropped.
 */
export class Comparator {
  pending = 0;
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly options: ComparatorOptions) {}

  /** Takes a slot for a comparison; false (and counted as dropped) when all are taken. */
  reserve(route: RouteKey): boolean {
    if (this.pending >= this.options.maxPending) {
      this.options.book.count(route, 'dropped');
      return false;
    }
    this.pending++;
    return true;
  }

  /** Gives back a slot taken by `reserve` without comparing (the caller went away, say). */
  release(): void {
    this.pending--;
  }

  /** Sends the request to the candidate; resolves to its answer or to the reason it gave none. Never rejects. */
  callCandidate(request: MirroredRequest, route: RouteKey): Promise<Answer | Error> {
    return this.call(this.options.candidate, request).then(
      (answer) => {
        this.options.book.candidateAnswered(route, answer.ms, answer.status);
        return answer;
      },
      (error: unknown) => {
        this.options.book.candidateFailed(route);
        const e = error instanceof Error ? error : new Error(String(error));
        this.options.onError?.(route, 'candidate', describeError(e).message);
        return e;
      },
    );
  }

  /** Sends the request to the monolith (gateway-fed mode, and noise samples). */
  callMonolith(request: MirroredRequest): Promise<Answer> {
    return this.call(this.options.monolith, request);
  }

  private async call(client: TargetClient, request: MirroredRequest): Promise<Answer> {
    const captured = await client.send({
      method: request.method,
      path: request.url,
      headers: outgoingHeaders(request.rawHeaders),
      ...(request.body !== undefined && request.body.length > 0 ? { body: request.body } : {}),
    });
    return { status: captured.status, headers: captured.headers, body: captured.body, ms: captured.timingMs };
  }

  /**
   * Compares the monolith's answer (`undefined` when it gave none) with the candidate's, once
   * both are in, and frees the slot. Runs in the background; `idle()` waits for all of them.
   */
  complete(
    route: RouteKey,
    request: MirroredRequest,
    monolith: Answer | undefined,
    candidate: Promise<Answer | Error>,
  ): Promise<void> {
    const job = this.compare(route, request, monolith, candidate)
      .catch((error: unknown) => {
        this.options.book.count(route, 'errored');
        this.options.onError?.(route, 'monolith', describeError(error).message);
      })
      .finally(() => {
        this.pending--;
        this.running.delete(job);
      });
    this.running.add(job);
    return job;
  }

  private async compare(
    route: RouteKey,
    request: MirroredRequest,
    monolith: Answer | undefined,
    candidatePromise: Promise<Answer | Error>,
  ): Promise<void> {
    const { book, maxBodyBytes } = this.options;
    const candidate = await candidatePromise;
    if (monolith === undefined || candidate instanceof Error) return book.count(route, 'errored');
    const urls = { monolith: this.options.monolith.url, candidate: this.options.candidate.url };
    const m = await decoded(monolith, maxBodyBytes);
    let c: CapturedResponse;
    try {
      c = await decoded(candidate, maxBodyBytes);
    } catch (error) {
      // A body the candidate's own Content-Encoding does not describe is a difference a caller would meet.
      return book.compared(
        route,
        { method: request.method, url: request.url },
        unreadable(describeError(error).message),
      );
    }
    const noise = this.options.noise.forRoute(request.method, request.url.split('?')[0]!);
    let parity: ParityResult;
    try {
      parity = compareCaptured(m, c, [], noise, urls);
      if (
        parity.status === 'differs' &&
        this.options.monolithSamples &&
        SAFE_METHODS.has(request.method.toUpperCase())
      ) {
        const sample = await decoded(await this.callMonolith(request), maxBodyBytes);
        parity = compareCaptured(m, c, [sample], noise, urls);
      }
    } catch (error) {
      // compareCaptured reads the monolith's answer first: a fault there explains nothing about the candidate.
      try {
        compareCaptured(m, m, [], noise, urls);
      } catch {
        throw error;
      }
      parity = unreadable(describeError(error).message);
    }
    book.compared(route, { method: request.method, url: request.url }, parity);
  }

  /** Resolves once every comparison started so far is done. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all(this.running);
  }
}

/** The verdict for a candidate answer parity cannot read: it differs, and says why. */
function unreadable(message: string): ParityResult {
  return {
    status: 'differs',
    differences: [
      {
        kind: 'body-type',
        path: '$',
        monolith: undefined,
        candidate: undefined,
        message: `The candidate's answer cannot be read: ${message}`,
      },
    ],
    noise: [],
  };
}
