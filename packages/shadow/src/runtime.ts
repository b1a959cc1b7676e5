import { redactCredentials, UsageError, type ShadowEvidence } from '@cutover/core';
import type { RedactionOptions } from '@cutover/recorder';
import { NoiseRules, TargetClient, validateNoiseConfig, type NoiseConfig } from '@cutover/verifier';
import { Comparator, SAFE_METHODS } from './compare.js';
import { createExampleRedactor } from './redact.js';
import { ShadowBook, type RouteKey } from './stats.js';

/** Options shared by the mirroring proxy and the gateway-fed receiver. */
export interface ShadowOptions {
  /** The monolith, e.g. `http://monolith:8000` (a path prefixes every request's). */
  monolith: string;
  /** The candidate that receives the copies. */
  candidate: string;
  /** The fraction of requests mirrored, from 0 to 1; default 1 (every request). */
  sampleRate?: number;
  /** Mirror POST, PUT, PATCH, DELETE… too: only for a candidate that writes to a throwaway store. */
  mirrorUnsafe?: boolean;
  /** Comparisons held in memory at once; a request arriving when all are taken is dropped and counted. Default 64. */
  maxPending?: number;
  /** Bodies larger than this (either side, request or answer) are not compared; default 1 MiB. */
  maxBodyBytes?: number;
  /** How long the candidate (and a monolith sample) may take; default 10000 ms. It never delays the caller. */
  timeoutMs?: number;
  /** When two answers to a safe request differ, ask the monolith again and treat what varies on its own as noise; default true. */
  monolithSamples?: boolean;
  /** Declared noise, as `cutover verify --noise` reads it. */
  noise?: NoiseConfig;
  /** Path templates requests are grouped under (an OpenAPI document's); inferred otherwise. */
  pathTemplates?: readonly string[];
  /** Secrets redacted from the examples, as in `cutover record`. */
  redaction?: RedactionOptions;
  provider?: string;
  candidateVersion?: string;
  /** Told about every comparison that could not be made. */
  onError?: (event: { route: RouteKey; side: 'monolith' | 'candidate'; message: string }) => void;
  /** The random source of sampling (tests pin it). */
  random?: () => number;
}

/** The parts the proxy and the receiver share. */
export interface ShadowRuntime {
  book: ShadowBook;
  comparator: Comparator;
  sampleRate: number;
  mirrorUnsafe: boolean;
  maxBodyBytes: number;
  random: () => number;
  /** Whether a request is mirrored; counts it as seen and, if not, why not. Reserves a comparison slot when it is. */
  admit(route: RouteKey, method: string, gateway: boolean): boolean;
  evidence(): ShadowEvidence;
  close(): Promise<void>;
}

function rate(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value >= 0 && value <= 1))
    throw new UsageError(`${name} must be a number from 0 to 1 (got ${String(value)})`);
  return value;
}

function whole(value: number | undefined, name: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1 || value > max)
    throw new UsageError(`${name} must be a whole number from 1 to ${max} (got ${String(value)})`);
  return value;
}

/** Validates the options and builds the book, the clients and the comparator. */
export function createRuntime(options: ShadowOptions, mode: ShadowEvidence['mode']): ShadowRuntime {
  const sampleRate = rate(options.sampleRate, 'the sampling rate', 1);
  const maxPending = whole(options.maxPending, 'max pending comparisons', 64, 100_000);
  const maxBodyBytes = whole(options.maxBodyBytes, 'the body limit', 1024 * 1024, 1024 ** 3);
  const timeoutMs = whole(options.timeoutMs, 'the timeout', 10_000, 600_000);
  const mirrorUnsafe = options.mirrorUnsafe === true;
  const monolithSamples = options.monolithSamples !== false;
  const random = options.random ?? Math.random;
  const client = (url: string) => new TargetClient(url, { connections: 32, timeoutMs, retries: 0, maxBodyBytes });
  const monolith = client(options.monolith);
  const candidate = client(options.candidate);
  const book = new ShadowBook(
    {
      mode,
      monolith: redactCredentials(options.monolith),
      candidate: redactCredentials(options.candidate),
      ...(options.provider !== undefined ? { provider: options.provider } : {}),
      ...(options.candidateVersion !== undefined ? { candidateVersion: options.candidateVersion } : {}),
      settings: { sampleRate, mirrorUnsafe, maxPending, monolithSamples },
    },
    createExampleRedactor(options.redaction),
    options.pathTemplates,
    random,
  );
  const comparator = new Comparator({
    book,
    monolith,
    candidate,
    noise: new NoiseRules(validateNoiseConfig(options.noise ?? {}, 'the noise option')),
    monolithSamples,
    maxBodyBytes,
    maxPending,
    ...(options.onError ? { onError: (route, side, message) => options.onError!({ route, side, message }) } : {}),
  });
  return {
    book,
    comparator,
    sampleRate,
    mirrorUnsafe,
    maxBodyBytes,
    random,
    admit(route, method, gateway) {
      book.count(route, 'seen');
      if (!SAFE_METHODS.has(method.toUpperCase()) && (gateway || !mirrorUnsafe)) {
        book.count(route, 'unsafeNotMirrored');
        return false;
      }
      if (sampleRate < 1 && !(random() < sampleRate)) {
        book.count(route, 'sampledOut');
        return false;
      }
      if (!comparator.reserve(route)) return false;
      book.count(route, 'mirrored');
      return true;
    },
    evidence: () => book.evidence(),
    async close() {
      await comparator.idle();
      await Promise.all([monolith.close(), candidate.close()]);
    },
  };
}
