import {
  parseJsonPath,
  pathMatchesPattern,
  splitPointer,
  UsageError,
  type Difference,
  type InteractionResult,
  type Mismatch,
  type SchemaViolation,
} from '@cutover/core';
import type { Policy, PolicyRoute, RouteMethod } from './policy.js';
import type { Evidence, PactFingerprint, ReasonCode } from './evidence.js';
import { operationsUnder, type DocumentedOperation } from './openapi.js';
import { interactionCoverage, methodCoverage, type MethodCoverage } from './coverage.js';
import { reportReasons, type ReportContext } from './report-checks.js';
import { selectEvidence, under as requestUnder } from './select.js';
import { forceWeightProblem } from './values.js';

export const DECISION_FORMAT = 'cutover.gate-decision/v1' as const;

/** One reason a route may not move. Cites the consumer, interaction and the exact difference or violation. */
export interface BlockReason {
  code: ReasonCode;
  message: string;
  consumer?: string;
  interaction?: string;
  /** Results file or broker URL the evidence came from. */
  source?: string;
  difference?: { kind: string; path: string; monolith: unknown; candidate: unknown };
  violation?: Pick<SchemaViolation, 'code' | 'on' | 'instancePath' | 'schemaPath' | 'rule' | 'message'> & {
    /** What the monolith's schema check says at the same instance path. */
    monolith: 'violated' | 'not violated' | 'not checked';
  };
  mismatch?: Mismatch;
  operation?: { method: string; path: string };
}

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
}

/** Evidence finishing later than this after "now" blocks (`evidence-from-future`). */
export const DEFAULT_CLOCK_SKEW_MS = 5 * 60_000;

function show(value: unknown): string {
  if (value === undefined) return '(absent)';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * The parity difference (counted or noise) at a schema violation's instance path: `status`,
 * `header/<name>`, or a JSON pointer into the body.
 */
function differenceAt(parity: InteractionResult['parity'], instancePath: string): Difference | undefined {
  const all = [...parity.differences, ...parity.noise];
  if (instancePath === 'status') return all.find((d) => d.kind === 'status');
  if (instancePath.startsWith('header/')) {
    const name = instancePath.slice('header/'.length).toLowerCase();
    return all.find((d) => d.kind === 'header' && d.path.toLowerCase() === name);
  }
  if (instancePath !== '' && !instancePath.startsWith('/')) return undefined;
  const pointer = splitPointer(instancePath);
  return all.find((d) => {
    if (d.kind === 'header' || d.kind === 'status') return false;
    const segments = parseJsonPath(d.path);
    return segments !== undefined && segments.length === pointer.length && segments.every((s, i) => s === pointer[i]);
  });
}

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
    const reasons: BlockReason[] = [];
    const notes: string[] = [];
    const rules = route.rules;

    for (const problem of evidence.problems) {
      const concerns =
        problem.requests === undefined || problem.requests.some((req) => requestUnder(route, req.method, req.path));
      if (concerns)
        reasons.push({
          code: problem.code,
          message: problem.message,
          source: problem.source,
          ...(problem.consumer !== undefined ? { consumer: problem.consumer } : {}),
        });
    }

    const selection = selections[routeIndex]!;
    const under = selection.results;
    const consumers = selection.consumers.map((c) => c.consumer);

    // Report-level checks, once per (consumer, report) pair under this route.
    for (const { consumer, reports } of selection.consumers)
      for (const report of reports) reasons.push(...reportReasons(context, rules, consumer, report));

    for (const { result, report } of under) {
      const base = { consumer: result.consumer, interaction: result.description, source: report.source };
      const who = `${result.consumer} › "${result.description}"`;
      for (const [target, outcome] of Object.entries(result.targets)) {
        if (outcome?.outcome === 'error')
          reasons.push({
            ...base,
            code: 'interaction-errored',
            message: `${who}: the ${target} could not be judged: ${outcome.error ? `[${outcome.error.code}] ${outcome.error.message}` : 'error without detail'}`,
          });
      }
      const candidate = result.targets.candidate;
      if (!candidate)
        reasons.push({
          ...base,
          code: 'interaction-errored',
          message: `${who}: the results have no outcome for the candidate`,
        });
      else if (candidate.outcome === 'skipped')
        reasons.push({
          ...base,
          code: 'interaction-skipped',
          message: `${who}: the interaction was skipped on the candidate, so nothing proves it`,
        });
      else if (candidate.outcome !== 'pass' && candidate.outcome !== 'fail')
        reasons.push({
          ...base,
          code: 'interaction-errored',
          message: `${who}: the candidate's outcome ${show(candidate.outcome)} is not one the gate can judge`,
        });
      // A mismatch blocks even under a "pass" outcome: contradicting evidence must not pass.
      else if ((candidate.outcome === 'fail' || candidate.mismatches.length > 0) && rules.requirePactPass) {
        if (result.pending)
          notes.push(
            `${who}: pending interaction fails its pact on the candidate (${candidate.mismatches.length} mismatch(es)); pending failures do not block`,
          );
        else if (candidate.mismatches.length === 0)
          reasons.push({ ...base, code: 'pact-failed', message: `${who}: the candidate fails the pact` });
        else
          for (const mismatch of candidate.mismatches)
            reasons.push({
              ...base,
              code: 'pact-failed',
              mismatch,
              message: `${who}: the candidate fails the pact at ${mismatch.path} (${mismatch.kind}): expected ${show(mismatch.expected)}, got ${show(mismatch.actual)}: ${mismatch.message}`,
            });
      }

      if (rules.parity.required) {
        const parity = result.parity;
        const cite = (code: ReasonCode, d: (typeof parity.differences)[number], what: string): BlockReason => ({
          ...base,
          code,
          difference: { kind: d.kind, path: d.path, monolith: d.monolith, candidate: d.candidate },
          message: `${who}: ${what} at ${d.path} (${d.kind}): monolith ${show(d.monolith)}, candidate ${show(d.candidate)}`,
        });
        const compared = parity.status === 'identical' || parity.status === 'noise-only' || parity.status === 'differs';
        if (parity.status === 'differs' || parity.differences.length > 0) {
          if (parity.differences.length === 0)
            reasons.push({
              ...base,
              code: 'parity-differs',
              message: `${who}: the candidate's response differs from the monolith's`,
            });
          for (const d of parity.differences)
            reasons.push(cite('parity-differs', d, 'the candidate differs from the monolith'));
        }
        if (parity.noise.length > 0) {
          if (rules.parity.allowNoise)
            notes.push(
              `${who}: ${parity.noise.length} difference(s) accepted as noise (${[...new Set(parity.noise.map((d) => d.path))].join(', ')})`,
            );
          else
            for (const d of parity.noise)
              reasons.push(cite('parity-noise', d, `noise (${d.noise ?? 'noise'}) is not allowed by the policy`));
        }
        if (!compared)
          reasons.push({
            ...base,
            code: 'parity-not-compared',
            message: `${who}: the candidate's response was not compared with the monolith's`,
          });
        else
          for (const target of ['monolith', 'candidate'] as const) {
            const observed = result.targets[target]?.outcome;
            if (observed !== 'pass' && observed !== 'fail')
              reasons.push({
                ...base,
                code: 'parity-not-compared',
                message: `${who}: parity is claimed (${parity.status}) but the ${target} has no judged response (${observed ?? 'no outcome'}), so nothing was compared`,
              });
          }
      }

      if (rules.schema.required) {
        const schema = result.schema;
        const monolithJudged = ['pass', 'fail'].includes(result.targets.monolith?.outcome ?? '');
        const cite = (code: ReasonCode, v: SchemaViolation, what: string): BlockReason => {
          const at = v.instancePath || '/';
          const shared = schema!.monolith.filter((m) => m.on === v.on && m.instancePath === v.instancePath);
          const monolith = !monolithJudged ? 'not checked' : shared.length > 0 ? 'violated' : 'not violated';
          const said =
            monolith === 'not checked'
              ? 'the monolith gave no response to check'
              : monolith === 'violated'
                ? `the monolith also violates the document there (${[...new Set(shared.map((m) => m.code))].join(', ')})`
                : 'the monolith does not violate the document there';
          // The results carry values only where parity saw a difference; cite them when they do.
          const d = v.on === 'response' ? differenceAt(result.parity, v.instancePath) : undefined;
          return {
            ...base,
            code,
            violation: {
              code: v.code,
              on: v.on,
              instancePath: v.instancePath,
              schemaPath: v.schemaPath,
              rule: v.rule,
              message: v.message,
              monolith,
            },
            ...(d ? { difference: { kind: d.kind, path: d.path, monolith: d.monolith, candidate: d.candidate } } : {}),
            message:
              `${who}: ${what} at ${v.on} ${at} (${v.code}, ${v.schemaPath}): ${v.message}; ` +
              (d ? `monolith ${show(d.monolith)}, candidate ${show(d.candidate)}; ${said}` : said),
          };
        };
        if (!schema)
          reasons.push({
            ...base,
            code: 'schema-not-checked',
            message: `${who}: no schema check was recorded (verify with --openapi)`,
          });
        else {
          for (const v of schema.regressions.filter((x) => x.severity !== 'warning'))
            reasons.push(
              cite('schema-regression', v, 'the candidate breaks the OpenAPI document where the monolith does not'),
            );
          const baseline = schema.baseline.filter((x) => x.severity !== 'warning');
          if (baseline.length > 0) {
            if (rules.schema.allowBaseline)
              notes.push(`${who}: ${baseline.length} schema violation(s) shared with the monolith accepted`);
            else
              for (const v of baseline)
                reasons.push(
                  cite(
                    'schema-baseline',
                    v,
                    'the candidate breaks the OpenAPI document (as the monolith does; the policy allows no baseline)',
                  ),
                );
          }
        }
      }
    }

    for (const consumerEvidence of selection.consumers)
      reasons.push(...interactionCoverage(route, consumerEvidence, under, options.pacts, policy.provider));
    const { coverage, reasons: coverageReasons } = methodCoverage(route, under);
    reasons.push(...coverageReasons);

    if (under.length === 0 && !reasons.some((r) => r.code === 'evidence-unavailable'))
      reasons.push({
        code: 'no-interactions',
        message: `no verified interaction falls under ${route.methods.join(',')} ${route.path}: nothing proves the candidate serves it`,
      });
    for (const current of options.pacts ?? []) {
      if (policy.provider !== undefined && current.provider !== policy.provider) continue;
      if (
        consumers.includes(current.consumer) ||
        reasons.some((r) => r.code === 'consumer-missing' && r.consumer === current.consumer)
      )
        continue;
      const touching = current.requests.filter((req) => requestUnder(route, req.method, req.path));
      if (touching.length > 0)
        reasons.push({
          code: 'consumer-missing',
          consumer: current.consumer,
          source: current.source,
          message: `${current.consumer}: its pact ${current.source} has ${touching.length} interaction(s) under ${route.methods.join(',')} ${route.path} (e.g. ${touching[0]!.method} ${touching[0]!.path}) but the evidence has no results for them`,
        });
    }
    for (const consumer of rules.requiredConsumers)
      if (
        !consumers.includes(consumer) &&
        !reasons.some((r) => r.code === 'consumer-missing' && r.consumer === consumer)
      )
        reasons.push({
          code: 'consumer-missing',
          consumer,
          message: `required consumer ${consumer} has no verified interaction under ${route.methods.join(',')} ${route.path}`,
        });

    if (rules.requireAllOperationsExercised) {
      if (!operations)
        reasons.push({
          code: 'openapi-missing',
          message:
            'the policy requires every documented operation to be exercised, but no OpenAPI document was given (--openapi)',
        });
      else
        for (const op of operationsUnder(route, operations)) {
          const exercised = under.some(
            ({ result }) =>
              result.route.method.toUpperCase() === op.method &&
              (result.route.template === op.path || pathMatchesPattern(op.path, result.route.path)),
          );
          if (!exercised)
            reasons.push({
              code: 'operation-not-exercised',
              operation: { method: op.method, path: op.path },
              message: `documented operation ${op.method} ${op.path}${op.operationId ? ` (${op.operationId})` : ''} is exercised by no consumer`,
            });
        }
    }

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
