import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  EvidenceError,
  parseShadowEvidence,
  pathMatchesPattern,
  type ShadowDifference,
  type ShadowEvidence,
} from '@cutover/core';
import type { BrokerClient } from '@cutover/broker-client';
import { listShadowRuns } from '@cutover/broker-client';
import type { BlockReason } from './reasons.js';
import type { PolicyRoute } from './policy.js';

/** A route's shadow requirement (`rules.shadow` in the policy). */
export interface ShadowRequirement {
  /** Requests compared on the route (identical, noise only or differing) needed before it may move. */
  minRequests: number;
  /** Highest share of compared requests allowed to differ, from 0 to 1. */
  maxDifferingRate: number;
}

/** What `shadow: {}` means: a thousand compared requests, none differing. */
export const DEFAULT_SHADOW_REQUIREMENT: Readonly<ShadowRequirement> = { minRequests: 1000, maxDifferingRate: 0 };

/** One shadow run the gate reads, and where it came from (file or broker URL). */
export interface ShadowRun {
  source: string;
  evidence: ShadowEvidence;
}

/** Reads `cutover shadow --out` files; a file that is missing or not `cutover.shadow/v1` is CUTOVER_EVIDENCE_INVALID naming it. */
export async function readShadowFiles(files: readonly string[], cwd = process.cwd()): Promise<ShadowRun[]> {
  return Promise.all(
    files.map(async (file) => {
      const source = resolve(cwd, file);
      let value: unknown;
      try {
        value = JSON.parse(await readFile(source, 'utf8'));
      } catch (cause) {
        throw new EvidenceError(`Shadow evidence ${source} could not be read as JSON: ${(cause as Error).message}`, {
          cause,
          details: { source },
        });
      }
      return { source, evidence: parseShadowEvidence(value, source) };
    }),
  );
}

/**
 * The latest shadow run the broker keeps for the provider and candidate version (none when it has
 * none, or keeps no shadow evidence at all). Each is validated as `cutover.shadow/v1`.
 */
export async function brokerShadowRuns(
  client: BrokerClient,
  query: { provider: string; candidateVersion: string },
): Promise<ShadowRun[]> {
  let runs: unknown[];
  try {
    runs = await listShadowRuns(client, { ...query, limit: 1 });
  } catch (error) {
    // A stock Pact Broker keeps no shadow evidence: that is no evidence, which blocks where it is required.
    if ((error as { status?: unknown }).status === 404) return [];
    throw error;
  }
  return runs.map((run, i) => {
    const source =
      ((run as { _links?: { self?: { href?: unknown } } })._links?.self?.href as string | undefined) ??
      client.resolve(`cutover/shadow#${i}`);
    return { source, evidence: parseShadowEvidence(run, source) };
  });
}

const pct = (rate: number) => `${Math.round(rate * 1000) / 10}%`;

function show(value: unknown): string {
  if (value === undefined) return '(absent)';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * Why a route's shadow evidence does not meet its requirement (nothing when it does, or when the
 * policy requires none). Runs of another provider or candidate version, or older than the
 * route's `maxEvidenceAge`, do not count; the rest are summed over every shadow route the policy
 * route's methods and path cover.
 */
export function shadowReasons(
  route: PolicyRoute,
  runs: readonly ShadowRun[] | undefined,
  context: { provider?: string; candidateVersion?: string; now: Date },
): { reasons: BlockReason[]; notes: string[] } {
  const required = route.rules.shadow;
  if (required === undefined) return { reasons: [], notes: [] };
  const reasons: BlockReason[] = [];
  const ignored: string[] = [];
  const usable = (runs ?? []).filter(({ source, evidence }) => {
    if (context.candidateVersion !== undefined && evidence.candidateVersion !== context.candidateVersion)
      ignored.push(`${source} (candidate version ${evidence.candidateVersion ?? 'not given'})`);
    else if (
      context.provider !== undefined &&
      evidence.provider !== undefined &&
      evidence.provider !== context.provider
    )
      ignored.push(`${source} (provider ${evidence.provider})`);
    else if (
      route.rules.maxEvidenceAgeMs !== undefined &&
      context.now.getTime() - Date.parse(evidence.finishedAt) > route.rules.maxEvidenceAgeMs
    )
      ignored.push(`${source} (finished ${evidence.finishedAt}, older than ${route.rules.maxEvidenceAge})`);
    else return true;
    return false;
  });
  const sources = usable.map((r) => r.source);
  const covered = usable.flatMap(({ source, evidence }) =>
    evidence.routes
      .filter((r) => (route.methods as string[]).includes(r.method) && pathMatchesPattern(route.path, r.path))
      .map((r) => ({ source, route: r })),
  );
  const compared = covered.reduce((n, c) => n + c.route.compared, 0);
  const differing = covered.reduce((n, c) => n + c.route.differing, 0);
  const errored = covered.reduce((n, c) => n + c.route.errored, 0);
  const where = `${route.methods.join(',')} ${route.path}`;
  const skipped = ignored.length > 0 ? `; not counted: ${ignored.join(', ')}` : '';
  if (usable.length === 0) {
    reasons.push({
      code: 'shadow-missing',
      message: `the policy requires shadow evidence (${required.minRequests} compared requests), but none was given (--shadow FILE, or a broker that keeps shadow runs)${skipped}`,
    });
    return { reasons, notes: [] };
  }
  if (compared < required.minRequests)
    reasons.push({
      code: 'shadow-insufficient',
      source: sources.join(', '),
      message: `shadow traffic compared ${compared} request(s) on ${where}, the policy requires ${required.minRequests}${errored > 0 ? ` (${errored} more could not be compared: a side failed)` : ''}${skipped}`,
    });
  const rate = compared === 0 ? 0 : differing / compared;
  if (compared > 0 && rate > required.maxDifferingRate) {
    const kinds = new Map<string, { source: string; d: ShadowDifference }>();
    for (const c of covered)
      for (const d of c.route.differences) {
        const key = `${d.kind} ${d.path}`;
        const seen = kinds.get(key);
        if (seen) seen.d = { ...seen.d, count: seen.d.count + d.count };
        else kinds.set(key, { source: c.source, d });
      }
    const ranked = [...kinds.values()].sort((a, b) => b.d.count - a.d.count);
    reasons.push({
      code: 'shadow-differs',
      source: sources.join(', '),
      message: `on shadow traffic the candidate differs from the monolith on ${differing} of ${compared} request(s) on ${where} (${pct(rate)}; the policy allows ${pct(required.maxDifferingRate)})`,
    });
    for (const { source, d } of ranked.slice(0, 5)) {
      const example = d.examples[0];
      reasons.push({
        code: 'shadow-differs',
        source,
        ...(example ? { interaction: `${example.request.method} ${example.request.path}` } : {}),
        difference: { kind: d.kind, path: d.path, monolith: example?.monolith, candidate: example?.candidate },
        message: `${d.kind} at ${d.path} on ${d.count} shadowed request(s)${example ? `, e.g. ${example.request.method} ${example.request.path}: ${example.message} (monolith ${show(example.monolith)}, candidate ${show(example.candidate)})` : ''}`,
      });
    }
  }
  const notes =
    reasons.length === 0
      ? [`shadow traffic: ${compared} request(s) compared on ${where}, ${differing} differing (${pct(rate)})${skipped}`]
      : [];
  return { reasons, notes };
}
