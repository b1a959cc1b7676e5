import { UsageError } from '@cutover/core';
import type { Policy, PolicyRoute, RouteMethod } from './policy.js';
import type { Evidence, PactFingerprint } from './evidence.js';
import type { DocumentedOperation } from './openapi.js';
import {
  consumerCoverage,
  interactionCoverage,
  methodCoverage,
  operationCoverage,
  type MethodCoverage,
} from './coverage.js';
import { outcomeFindings, pactFindings } from './pact-checks.js';
import { parityFindings } from './parity-checks.js';
import { citeResult, type BlockReason } from './reasons.js';
import { problemReasons, reportReasons, type ReportContext } from './report-checks.js';
import { schemaFindings } from './schema-checks.js';
import { selectEvidence } from './select.js';
import { shadowReasons, type ShadowRun } from './shadow.js';
import { forceWeightProblem } from './values.js';

export type { BlockReason } from './reasons.js';

export const DECISION_FORMAT = 'cutover.gate-decision/v1' as const;

export interface RouteDecision {
  name: string;
  methods: RouteMethod[];
  path: string;
  outcome: 'allowed' | 'blocked';
  currentWeight: number;
  requestedWeight: number;
  /** The candidate's weight after this gate: the next rollout step when allowed, the current weight when blocked. */
  nextWeight: number;
  /** True when `force` chose the weight instead of the rollout steps. */
  forced: boolean;
  interactions: number;
  consumers: string[];
  /** Per method of the route, the paths its evidence covers (OpenAPI templates where known). */
  coverage: MethodCoverage[];
  reasons: BlockReason[];
  /** Facts that do not block: accepted noise, pending pact failures, nothing left to shift. */
  notes: string[];
}

/** The gate's answer, per route. Written by `--json`, recorded in the broker. */
export interface GateDecision {
  format: typeof DECISION_FORMAT;
  decidedAt: string;
  policy: {
    source: string;
    provider?: string;
    candidate: { service: string; upstream: string };
    monolith: { upstream: string };
  };
  candidateVersion?: string;
  outcome: 'allowed' | 'blocked';
  routes: RouteDecision[];
  evidence: {
    kind: 'file' | 'broker';
    source: string;
    candidateVersion?: string;
    finishedAt: string;
    interactions: number;
  }[];
  warnings: string[];
}

export interface DecideOptions {
  policy: Policy;
  evidence: Evidence;
  /** The candidate version being shifted to; evidence for any other version blocks. When omitted, all evidence must agree on one version. */
  candidateVersion?: string;
  /** Operations documented in the OpenAPI document (needed by `requireAllOperationsExercised`). */
  operations?: DocumentedOperation[];
  /**
   * The pact files as they are now (`readPactFingerprints`). Evidence that verified other content
   * is stale, a consumer whose pact has requests under a route but no results there is missing, and
   * so is each request under a route without a result (`interaction-missing`).
   */
  pacts?: PactFingerprint[];
  /** Clock for evidence age; default now. */
  now?: Date;
  /** Set every allowed route's next weight to this instead of the next rollout step. */
  force?: number;
  /** How far in the future evidence may have finished (clocks of CI runners differ); default 5 minutes. */
  clockSkewMs?: number;
  /** Shadow runs (`cutover shadow`), for routes whose policy requires shadow evidence. */
  shadow?: readonly ShadowRun[];
}

/** Evidence finishing later than this after "now" blocks (`evidence-from-future`). */
export const DEFAULT_CLOCK_SKEW_MS = 5 * 60_000;

function nextWeight(route: PolicyRoute, force: number | undefined): number {
  if (force !== undefined) return force;
  if (route.currentWeight >= route.requestedWeight) return route.currentWeight;
  const next = route.rolloutSteps.find((step) => step > route.currentWeight) ?? 100;
  return Math.min(next, route.requestedWeight);
}

/**
 * Decides, per route, whether traffic may move (further) to the candidate. Fails closed: missing,
 * stale, errored, partial or foreign evidence blocks, with a reason citing consumer and interaction.
 *
 * @example
 * const decision = decide({ policy, evidence, candidateVersion: '1.4.0' });
 * if (decision.outcome === 'blocked') for (const r of decision.routes) console.log(r.name, r.reasons);
 */
export function decide(options: DecideOptions): GateDecision {
  const { policy, evidence, operations } = options;
  const now = options.now ?? new Date();
  const clockSkewMs = options.clockSkewMs ?? DEFAULT_CLOCK_SKEW_MS;
  const forceProblem = options.force === undefined ? undefined : forceWeightProblem(options.force);
  if (forceProblem) throw new UsageError(`the forced weight ${forceProblem}`);

  // Per route and consumer, the reports that speak for it (see selectEvidence).
  const selections = policy.routes.map((route) => selectEvidence(evidence.reports, route));
  const latestPact = new Map<string, { createdAt: number; source: string }>();
  for (const report of evidence.reports)
    for (const pact of report.pacts) {
      if (pact.createdAt === undefined) continue;
      const t = Date.parse(pact.createdAt);
      if (t > (latestPact.get(pact.consumer)?.createdAt ?? -Infinity))
        latestPact.set(pact.consumer, { createdAt: t, source: pact.source });
    }
  const versions = new Set(
    selections.flatMap((s) => s.consumers.flatMap((c) => c.reports.map((r) => r.candidateVersion ?? '(none)'))),
  );
  const expectedVersion = options.candidateVersion;

  const unchecked = new Set<string>();
  const context: ReportContext = {
    policy,
    expectedVersion,
    versions,
    latestPact,
    pacts: options.pacts,
    now,
    clockSkewMs,
    unchecked,
  };
  const routes = policy.routes.map((route, routeIndex): RouteDecision => {
    const selection = selections[routeIndex]!;
    const under = selection.results;
    const consumers = selection.consumers.map((c) => c.consumer);
    const reasons: BlockReason[] = problemReasons(route, evidence.problems);
    const notes: string[] = [];

    // Report-level checks, once per (consumer, report) pair under this route.
    for (const { consumer, reports } of selection.consumers)
      for (const report of reports) reasons.push(...reportReasons(context, route.rules, consumer, report));

    // Per interaction, composed like a response match: outcome, pact, parity, schema.
    for (const { result, report } of under) {
      const cited = citeResult(result, report.source);
      for (const findings of [
        outcomeFindings(cited),
        pactFindings(cited, route.rules),
        parityFindings(cited, route.rules),
        schemaFindings(cited, route.rules),
      ]) {
        reasons.push(...findings.reasons);
        notes.push(...findings.notes);
      }
    }

    // Coverage: every consumer's requests, every method, every documented operation.
    for (const consumerEvidence of selection.consumers)
      reasons.push(...interactionCoverage(route, consumerEvidence, under, options.pacts, policy.provider));
    const { coverage, reasons: coverageReasons } = methodCoverage(route, under);
    reasons.push(...coverageReasons);
    if (under.length === 0 && !reasons.some((r) => r.code === 'evidence-unavailable'))
      reasons.push({
        code: 'no-interactions',
        message: `no verified interaction falls under ${route.methods.join(',')} ${route.path}: nothing proves the candidate serves it`,
      });
    reasons.push(...consumerCoverage(route, consumers, reasons, options.pacts, policy.provider));
    reasons.push(...operationCoverage(route, under, operations));
    const shadow = shadowReasons(route, options.shadow, {
      now,
      ...(policy.provider !== undefined ? { provider: policy.provider } : {}),
      ...(expectedVersion !== undefined ? { candidateVersion: expectedVersion } : {}),
    });
    reasons.push(...shadow.reasons);
    notes.push(...shadow.notes);

    const outcome = reasons.length === 0 ? 'allowed' : 'blocked';
    const target = outcome === 'allowed' ? nextWeight(route, options.force) : route.currentWeight;
    if (outcome === 'allowed' && options.force === undefined && route.currentWeight >= route.requestedWeight)
      notes.push(`already at the requested weight ${route.requestedWeight}%: nothing to shift`);
    return {
      name: route.name,
      methods: route.methods,
      path: route.path,
      outcome,
      currentWeight: route.currentWeight,
      requestedWeight: route.requestedWeight,
      nextWeight: target,
      forced: outcome === 'allowed' && options.force !== undefined,
      interactions: under.length,
      consumers,
      coverage,
      reasons,
      notes,
    };
  });

  const warnings: string[] = [];
  if (unchecked.size > 0)
    warnings.push(
      `staleness could not be checked for ${[...unchecked].join(', ')}: no current pact was given (--pact) and the results record no pacts[].createdAt, so results of an older pact would pass unnoticed; pass --pact, or set requirePactFingerprints: true in the policy to block on this`,
    );
  if (options.force !== undefined)
    warnings.push(`the rollout steps were overridden: allowed routes go to ${options.force}% (--force-weight)`);
  return {
    format: DECISION_FORMAT,
    decidedAt: now.toISOString(),
    policy: {
      source: policy.source,
      ...(policy.provider !== undefined ? { provider: policy.provider } : {}),
      candidate: policy.candidate,
      monolith: policy.monolith,
    },
    ...(expectedVersion !== undefined
      ? { candidateVersion: expectedVersion }
      : versions.size === 1 && !versions.has('(none)')
        ? { candidateVersion: [...versions][0]! }
        : {}),
    outcome: routes.every((r) => r.outcome === 'allowed') ? 'allowed' : 'blocked',
    routes,
    evidence: evidence.reports.map((r) => ({
      kind: r.kind,
      source: r.source,
      ...(r.candidateVersion !== undefined ? { candidateVersion: r.candidateVersion } : {}),
      finishedAt: r.finishedAt,
      interactions: r.results.length,
    })),
    warnings,
  };
}
