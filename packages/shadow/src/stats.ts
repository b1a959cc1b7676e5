import {
  emptyShadowCounts,
  shadowTotals,
  SHADOW_FORMAT,
  type Difference,
  type ParityResult,
  type ShadowCounts,
  type ShadowDifference,
  type ShadowEvidence,
  type ShadowExample,
  type ShadowLatency,
  type ShadowRoute,
  type ShadowSide,
} from '@cutover/core';
import { templatePath } from '@cutover/recorder';
import type { ExampleRedactor } from './redact.js';

/** Latencies kept per side and route: a uniform sample (reservoir) so a long run stays within memory. */
const RESERVOIR = 2048;
/** Examples kept per kind of difference. */
const EXAMPLES = 3;
/** Distinct kinds of difference kept per route; further kinds are counted under the last one's `(other)`. */
const MAX_KINDS = 50;
/** Routes told apart; traffic beyond goes to one `(other routes)` bucket, so hostile paths cannot grow memory. */
export const MAX_ROUTES = 500;

class SideStats {
  requests = 0;
  errors = 0;
  private seen = 0;
  private readonly sample: number[] = [];
  constructor(private readonly random: () => number) {}
  answered(ms: number, serverError: boolean): void {
    this.requests++;
    if (serverError) this.errors++;
    this.seen++;
    if (this.sample.length < RESERVOIR) this.sample.push(ms);
    else {
      const slot = Math.floor(this.random() * this.seen);
      if (slot < RESERVOIR) this.sample[slot] = ms;
    }
  }
  failed(): void {
    this.requests++;
    this.errors++;
  }
  toJSON(): ShadowSide {
    const sorted = [...this.sample].sort((a, b) => a - b);
    const at = (q: number) =>
      sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
    const latency: ShadowLatency = { count: sorted.length, p50Ms: round(at(0.5)), p99Ms: round(at(0.99)) };
    return {
      requests: this.requests,
      errors: this.errors,
      errorRate: this.requests === 0 ? 0 : round(this.errors / this.requests, 4),
      latency,
    };
  }
}

function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

class Kinds {
  private readonly byKey = new Map<string, ShadowDifference>();
  add(d: Difference, example: () => ShadowExample): void {
    let key = `${d.kind}\u0000${d.path}`;
    if (!this.byKey.has(key) && this.byKey.size >= MAX_KINDS) key = `${d.kind}\u0000(other)`;
    let entry = this.byKey.get(key);
    if (!entry) {
      entry = { kind: d.kind, path: key.endsWith('(other)') ? '(other)' : d.path, count: 0, examples: [] };
      this.byKey.set(key, entry);
    }
    entry.count++;
    if (entry.examples.length < EXAMPLES) entry.examples.push(example());
  }
  toJSON(): ShadowDifference[] {
    return [...this.byKey.values()].sort((a, b) => b.count - a.count);
  }
}

class RouteStats {
  counts = emptyShadowCounts();
  readonly monolith: SideStats;
  readonly candidate: SideStats;
  readonly differences = new Kinds();
  readonly noise = new Kinds();
  constructor(
    readonly method: string,
    readonly path: string,
    random: () => number,
  ) {
    this.monolith = new SideStats(random);
    this.candidate = new SideStats(random);
  }
}

/** Where a request counts: its method and path template. */
export interface RouteKey {
  method: string;
  path: string;
}

/** The settings and identity written into the evidence. */
export interface ShadowRunInfo {
  mode: ShadowEvidence['mode'];
  monolith: string;
  candidate: string;
  provider?: string;
  candidateVersion?: string;
  settings: ShadowEvidence['settings'];
}

/**
 * What shadow traffic showed, per route, in bounded memory: counts, the distinct kinds of
 * difference with a few redacted examples each, and each side's errors and latency.
 */
export class ShadowBook {
  private readonly routes = new Map<string, RouteStats>();
  private readonly startedAt = new Date();

  constructor(
    private readonly info: ShadowRunInfo,
    private readonly redactor: ExampleRedactor,
    private readonly templates: readonly string[] = [],
    private readonly random: () => number = Math.random,
  ) {}

  /** The route a request path belongs to (path templates from the OpenAPI document when given). */
  routeOf(method: string, path: string): RouteKey {
    return { method: method.toUpperCase(), path: templatePath(path, this.templates) };
  }

  private stats(route: RouteKey): RouteStats {
    let key = `${route.method} ${route.path}`;
    let stats = this.routes.get(key);
    if (stats) return stats;
    if (this.routes.size >= MAX_ROUTES) {
      key = '* (other routes)';
      stats = this.routes.get(key);
      if (stats) return stats;
      stats = new RouteStats('*', '(other routes)', this.random);
    } else stats = new RouteStats(route.method, route.path, this.random);
    this.routes.set(key, stats);
    return stats;
  }

  count(route: RouteKey, what: keyof ShadowCounts): void {
    this.stats(route).counts[what]++;
  }

  monolithAnswered(route: RouteKey, ms: number, status: number): void {
    this.stats(route).monolith.answered(ms, status >= 500);
  }
  monolithFailed(route: RouteKey): void {
    this.stats(route).monolith.failed();
  }
  candidateAnswered(route: RouteKey, ms: number, status: number): void {
    this.stats(route).candidate.answered(ms, status >= 500);
  }
  candidateFailed(route: RouteKey): void {
    this.stats(route).candidate.failed();
  }

  /** Records a comparison's outcome; `request` is the path and query as the caller sent it. */
  compared(route: RouteKey, request: { method: string; url: string }, parity: ParityResult): void {
    const stats = this.stats(route);
    stats.counts.compared++;
    if (parity.status === 'differs') stats.counts.differing++;
    else if (parity.status === 'noise-only') stats.counts.noiseOnly++;
    else stats.counts.identical++;
    const example = (d: Difference) => () => this.redactor.example(request, d);
    for (const d of parity.differences) stats.differences.add(d, example(d));
    for (const d of parity.noise) stats.noise.add(d, example(d));
  }

  /** The evidence so far (`cutover.shadow/v1`). */
  evidence(): ShadowEvidence {
    const routes: ShadowRoute[] = [...this.routes.values()]
      .sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method))
      .map((r) => ({
        method: r.method,
        path: r.path,
        ...r.counts,
        monolith: r.monolith.toJSON(),
        candidate: r.candidate.toJSON(),
        differences: r.differences.toJSON(),
        noise: r.noise.toJSON(),
      }));
    const totals = shadowTotals(routes);
    const notes: string[] = [];
    if (totals.unsafeNotMirrored > 0)
      notes.push(
        this.info.mode === 'gateway'
          ? `${totals.unsafeNotMirrored} request(s) with unsafe methods were not compared: a mirrored write cannot be replayed on the monolith`
          : `${totals.unsafeNotMirrored} request(s) with unsafe methods were not mirrored (--mirror-unsafe sends them to a candidate that writes to a throwaway store)`,
      );
    if (totals.dropped > 0)
      notes.push(
        `${totals.dropped} request(s) were not compared because ${this.info.settings.maxPending} comparisons were already pending (--max-pending)`,
      );
    if (totals.errored > 0) notes.push(`${totals.errored} mirrored request(s) could not be compared: a side failed`);
    if (this.routes.has('* (other routes)'))
      notes.push(`more than ${MAX_ROUTES} routes were seen: the rest are counted under "(other routes)"`);
    return {
      format: SHADOW_FORMAT,
      startedAt: this.startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      mode: this.info.mode,
      ...(this.info.provider !== undefined ? { provider: this.info.provider } : {}),
      ...(this.info.candidateVersion !== undefined ? { candidateVersion: this.info.candidateVersion } : {}),
      monolith: { url: this.info.monolith },
      candidate: { url: this.info.candidate },
      settings: this.info.settings,
      totals,
      routes,
      notes,
    };
  }
}
