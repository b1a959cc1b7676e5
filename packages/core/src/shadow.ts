/**
 * The shadow evidence format: what `cutover shadow` writes after comparing live traffic, what
 * `cutover gate --shadow` reads, and what the broker stores. Versioned by `format`; readers refuse
 * other formats and validate the shape ({@link parseShadowEvidence}).
 */
import { EvidenceError } from './errors.js';
import type { DifferenceKind } from './results.js';

export const SHADOW_FORMAT = 'cutover.shadow/v1' as const;

/** Latency of one side over the requests it answered, in milliseconds. */
export interface ShadowLatency {
  /** How many answers the figures are over. */
  count: number;
  p50Ms: number;
  p99Ms: number;
}

/** One side's answers on a route: how often it failed, and how fast it was. */
export interface ShadowSide {
  /** Requests sent to this side. */
  requests: number;
  /** Requests with no usable answer (refused, reset, timed out, over the size limit) or a 5xx status. */
  errors: number;
  /** `errors / requests`, 0 when nothing was sent. */
  errorRate: number;
  latency: ShadowLatency;
}

/** A difference seen on live traffic, with a few examples (secrets redacted). */
export interface ShadowExample {
  /** The request, query string redacted. */
  request: { method: string; path: string };
  /** Absent when that side has nothing there (a field only the other side has). */
  monolith?: unknown;
  candidate?: unknown;
  message: string;
}

/** One kind of difference (kind and path) and how many compared requests showed it. */
export interface ShadowDifference {
  kind: DifferenceKind;
  /** `$.a.b[0]` for bodies, the header name for headers, `$` for the status. */
  path: string;
  count: number;
  examples: ShadowExample[];
}

/** Counts of requests on one route (or in total). */
export interface ShadowCounts {
  /** Requests the caller sent through the proxy (or the gateway mirrored). */
  seen: number;
  /** Sent to the candidate too. */
  mirrored: number;
  /** Both answers in hand and compared. */
  compared: number;
  identical: number;
  /** Differences that are all noise (declared, or varying between the monolith's own answers). */
  noiseOnly: number;
  differing: number;
  /** Mirrored, but no comparison was possible (a side failed or answered something unreadable). */
  errored: number;
  /** Left out by the sampling rate. */
  sampledOut: number;
  /** Left out because the queue of pending comparisons was full. */
  dropped: number;
  /** Unsafe methods not mirrored (no `--mirror-unsafe`). */
  unsafeNotMirrored: number;
}

/** What shadow traffic showed on one route (method and path template). */
export interface ShadowRoute extends ShadowCounts {
  method: string;
  /** The path template the requests were grouped under (`/api/tracking/{id}`). */
  path: string;
  monolith: ShadowSide;
  candidate: ShadowSide;
  /** Counted differences, most frequent first. */
  differences: ShadowDifference[];
  /** Noise, most frequent first. */
  noise: ShadowDifference[];
}

/** A shadow run's evidence. */
export interface ShadowEvidence {
  format: typeof SHADOW_FORMAT;
  startedAt: string;
  finishedAt: string;
  /** `proxy`: cutover stood in front of the monolith; `gateway`: the gateway mirrored requests to cutover. */
  mode: 'proxy' | 'gateway';
  provider?: string;
  candidateVersion?: string;
  monolith: { url: string };
  candidate: { url: string };
  settings: { sampleRate: number; mirrorUnsafe: boolean; maxPending: number; monolithSamples: boolean };
  totals: ShadowCounts;
  routes: ShadowRoute[];
  /** Facts a reader must see first (unsafe methods not mirrored, comparisons dropped). */
  notes: string[];
}

const COUNT_KEYS = [
  'seen',
  'mirrored',
  'compared',
  'identical',
  'noiseOnly',
  'differing',
  'errored',
  'sampledOut',
  'dropped',
  'unsafeNotMirrored',
] as const satisfies readonly (keyof ShadowCounts)[];

/** Every count at zero: where a route or a run starts counting. */
export function emptyShadowCounts(): ShadowCounts {
  return Object.fromEntries(COUNT_KEYS.map((key) => [key, 0])) as Record<keyof ShadowCounts, number>;
}

/** A run's totals: each count summed over its routes. */
export function shadowTotals(routes: readonly ShadowCounts[]): ShadowCounts {
  const totals = emptyShadowCounts();
  for (const route of routes) for (const key of COUNT_KEYS) totals[key] += route[key];
  return totals;
}

const KINDS = new Set<string>([
  'status',
  'header',
  'missing',
  'extra',
  'type',
  'value',
  'array-length',
  'array-order',
  'body-type',
  'duplicate-key',
]);

/**
 * Validates parsed shadow evidence; `source` (file or URL) names it in errors. Throws
 * `CUTOVER_EVIDENCE_INVALID` with the JSON path of the first field that is wrong.
 *
 * @example
 * const evidence = parseShadowEvidence(JSON.parse(text), 'reports/shadow.json');
 */
export function parseShadowEvidence(value: unknown, source: string): ShadowEvidence {
  const fail = (jsonPath: string, message: string): never => {
    throw new EvidenceError(`Shadow evidence ${source} at ${jsonPath}: ${message}`, { details: { source, jsonPath } });
  };
  const object = (v: unknown, at: string): Record<string, unknown> =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : fail(at, 'expected an object');
  const count = (v: unknown, at: string): number =>
    typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : fail(at, 'expected a non-negative integer');
  const number = (v: unknown, at: string): number =>
    typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : fail(at, 'expected a non-negative number');
  const string = (v: unknown, at: string): string => (typeof v === 'string' ? v : fail(at, 'expected a string'));
  const time = (v: unknown, at: string): string =>
    Number.isNaN(Date.parse(string(v, at))) ? fail(at, 'expected an ISO 8601 time') : (v as string);
  const list = (v: unknown, at: string): unknown[] => (Array.isArray(v) ? v : fail(at, 'expected a list'));
  const counts = (raw: Record<string, unknown>, at: string) => {
    for (const key of COUNT_KEYS) count(raw[key], `${at}.${key}`);
    if ((raw.compared as number) !== (raw.identical as number) + (raw.noiseOnly as number) + (raw.differing as number))
      fail(`${at}.compared`, 'is not identical + noiseOnly + differing');
  };
  const side = (v: unknown, at: string) => {
    const raw = object(v, at);
    count(raw.requests, `${at}.requests`);
    count(raw.errors, `${at}.errors`);
    const rate = number(raw.errorRate, `${at}.errorRate`);
    if (rate > 1) fail(`${at}.errorRate`, 'expected a rate from 0 to 1');
    const latency = object(raw.latency, `${at}.latency`);
    count(latency.count, `${at}.latency.count`);
    number(latency.p50Ms, `${at}.latency.p50Ms`);
    number(latency.p99Ms, `${at}.latency.p99Ms`);
  };
  const differences = (v: unknown, at: string) =>
    list(v, at).forEach((d, i) => {
      const raw = object(d, `${at}[${i}]`);
      if (typeof raw.kind !== 'string' || !KINDS.has(raw.kind)) fail(`${at}[${i}].kind`, 'expected a difference kind');
      string(raw.path, `${at}[${i}].path`);
      count(raw.count, `${at}[${i}].count`);
      list(raw.examples, `${at}[${i}].examples`).forEach((e, j) => {
        const example = object(e, `${at}[${i}].examples[${j}]`);
        const request = object(example.request, `${at}[${i}].examples[${j}].request`);
        string(request.method, `${at}[${i}].examples[${j}].request.method`);
        string(request.path, `${at}[${i}].examples[${j}].request.path`);
        string(example.message, `${at}[${i}].examples[${j}].message`);
      });
    });

  const raw = object(value, '$');
  if (raw.format !== SHADOW_FORMAT)
    fail('$.format', `expected "${SHADOW_FORMAT}", got ${JSON.stringify(raw.format) ?? 'nothing'}`);
  time(raw.startedAt, '$.startedAt');
  time(raw.finishedAt, '$.finishedAt');
  if (raw.mode !== 'proxy' && raw.mode !== 'gateway') fail('$.mode', 'expected "proxy" or "gateway"');
  if (raw.provider !== undefined) string(raw.provider, '$.provider');
  if (raw.candidateVersion !== undefined) string(raw.candidateVersion, '$.candidateVersion');
  string(object(raw.monolith, '$.monolith').url, '$.monolith.url');
  string(object(raw.candidate, '$.candidate').url, '$.candidate.url');
  const settings = object(raw.settings, '$.settings');
  const rate = number(settings.sampleRate, '$.settings.sampleRate');
  if (rate > 1) fail('$.settings.sampleRate', 'expected a rate from 0 to 1');
  if (typeof settings.mirrorUnsafe !== 'boolean') fail('$.settings.mirrorUnsafe', 'expected true or false');
  if (typeof settings.monolithSamples !== 'boolean') fail('$.settings.monolithSamples', 'expected true or false');
  count(settings.maxPending, '$.settings.maxPending');
  counts(object(raw.totals, '$.totals'), '$.totals');
  list(raw.routes, '$.routes').forEach((r, i) => {
    const at = `$.routes[${i}]`;
    const route = object(r, at);
    string(route.method, `${at}.method`);
    string(route.path, `${at}.path`);
    counts(route, at);
    side(route.monolith, `${at}.monolith`);
    side(route.candidate, `${at}.candidate`);
    differences(route.differences, `${at}.differences`);
    differences(route.noise, `${at}.noise`);
  });
  list(raw.notes, '$.notes').forEach((n, i) => string(n, `$.notes[${i}]`));
  return raw as unknown as ShadowEvidence;
}
