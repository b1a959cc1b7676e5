import type { EvidenceProblem, EvidenceReport, PactFingerprint } from './evidence.js';
import { currentPactsOf } from './coverage.js';
import type { Policy, PolicyRoute, RouteRules } from './policy.js';
import type { BlockReason } from './reasons.js';
import { under } from './select.js';

/** What the checks of one report need to know about the whole decision. */
export interface ReportContext {
  policy: Policy;
  expectedVersion: string | undefined;
  /** Candidate versions of all the evidence that counts. */
  versions: Set<string>;
  /** Newest `pacts[].createdAt` per consumer, over all evidence. */
  latestPact: Map<string, { createdAt: number; source: string }>;
  pacts: PactFingerprint[] | undefined;
  now: Date;
  clockSkewMs: number;
  /** Collects `consumer (source)` whose staleness could not be checked, for the decision's warning. */
  unchecked: Set<string>;
}

function formatAge(ms: number): string {
  const h = ms / 3_600_000;
  return h >= 48 ? `${Math.round(h / 24)}d` : h >= 1 ? `${Math.round(h)}h` : `${Math.max(1, Math.round(ms / 60_000))}m`;
}

/**
 * Checks of one report that speaks for a consumer under a route: candidate version, provider (the
 * header, every pact and every result), staleness against the latest or current pact, age.
 */
export function reportReasons(
  context: ReportContext,
  rules: RouteRules,
  consumer: string,
  report: EvidenceReport,
): BlockReason[] {
  const reasons: BlockReason[] = [];
  const base = { consumer, source: report.source };
  if (context.expectedVersion !== undefined && report.candidateVersion !== context.expectedVersion)
    reasons.push({
      ...base,
      code: 'wrong-candidate-version',
      message:
        report.candidateVersion === undefined
          ? `${consumer}: the results in ${report.source} do not say which candidate version was verified; expected ${context.expectedVersion}`
          : `${consumer}: the results in ${report.source} are for candidate version ${report.candidateVersion}, not ${context.expectedVersion}`,
    });
  else if (context.expectedVersion === undefined && context.versions.size > 1)
    reasons.push({
      ...base,
      code: 'mixed-candidate-versions',
      message: `${consumer}: the evidence mixes candidate versions (${[...context.versions].join(', ')}); ${report.source} is for ${report.candidateVersion ?? '(none)'}; pass the candidate version to decide on`,
    });
  if (
    context.policy.provider !== undefined &&
    report.provider !== undefined &&
    report.provider !== context.policy.provider
  )
    reasons.push({
      ...base,
      code: 'wrong-provider',
      message: `${consumer}: ${report.source} verifies provider "${report.provider}", but the policy is about "${context.policy.provider}"`,
    });
  // The header is one claim; each pact and result says which provider it was really about.
  const provider = context.policy.provider ?? report.provider;
  if (provider !== undefined) {
    for (const [i, pact] of report.pacts.entries())
      if (pact.provider !== provider)
        reasons.push({
          ...base,
          code: 'wrong-provider',
          message: `${consumer}: ${report.source} verified the pact ${pact.source} ($.pacts[${i}]) of ${pact.consumer} with provider "${pact.provider}", not "${provider}"`,
        });
    const foreign = report.results.filter((r) => r.consumer === consumer && r.provider !== provider);
    if (foreign.length > 0)
      reasons.push({
        ...base,
        code: 'wrong-provider',
        interaction: foreign[0]!.description,
        message: `${consumer}: ${foreign.length} result(s) in ${report.source} are for provider ${[...new Set(foreign.map((r) => `"${r.provider}"`))].join(', ')}, not "${provider}" (e.g. "${foreign[0]!.description}")`,
      });
  }
  const pact = context.latestPact.get(consumer);
  if (pact && pact.createdAt > Date.parse(report.startedAt))
    reasons.push({
      ...base,
      code: 'stale-evidence',
      message: `${consumer}: the results in ${report.source} (started ${report.startedAt}) are older than the consumer's latest pact (${new Date(pact.createdAt).toISOString()}, ${pact.source}); verify again`,
    });
  for (const current of currentPactsOf(consumer, context.pacts, context.policy.provider)) {
    const verified = report.pacts.filter((p) => p.consumer === consumer && p.provider === current.provider);
    if (verified.some((p) => p.sha256 === current.sha256)) continue;
    reasons.push({
      ...base,
      code: 'stale-evidence',
      message:
        verified.length > 0 && verified.every((p) => p.sha256 !== undefined)
          ? `${consumer}: the pact ${current.source} changed since ${report.source} verified it (sha256 ${current.sha256.slice(0, 12)}… now, ${verified.map((p) => `${p.sha256!.slice(0, 12)}…`).join(', ')} verified); verify again`
          : `${consumer}: ${report.source} does not show that it verified the current pact ${current.source} (no matching sha256); verify again`,
    });
  }
  // Whether "results older than the latest pact" could be checked at all for this consumer.
  const fingerprinted =
    report.kind === 'broker' || currentPactsOf(consumer, context.pacts, context.policy.provider).length > 0;
  if (!fingerprinted && rules.requirePactFingerprints)
    reasons.push({
      ...base,
      code: 'pact-not-fingerprinted',
      message: `${consumer}: nothing shows that ${report.source} verified the current pact (no current pact file of ${consumer} given with --pact); the policy requires pact fingerprints (requirePactFingerprints)`,
    });
  else if (!fingerprinted && !pact) context.unchecked.add(`${consumer} (${report.source})`);
  const ageMs = context.now.getTime() - Date.parse(report.finishedAt);
  if (-ageMs > context.clockSkewMs)
    reasons.push({
      ...base,
      code: 'evidence-from-future',
      message: `${consumer}: the results in ${report.source} finished at ${report.finishedAt}, ${formatAge(-ageMs)} after now (${context.now.toISOString()}); evidence cannot come from the future (clock skew allowed: ${formatAge(context.clockSkewMs)}); check the clocks and verify again`,
    });
  if (rules.maxEvidenceAgeMs !== undefined && ageMs > rules.maxEvidenceAgeMs)
    reasons.push({
      ...base,
      code: 'evidence-too-old',
      message: `${consumer}: the results in ${report.source} are ${formatAge(ageMs)} old (finished ${report.finishedAt}); the policy accepts at most ${rules.maxEvidenceAge}`,
    });
  return reasons;
}

/** The problems found while collecting evidence that concern the route (or every route, when they name no requests). */
export function problemReasons(route: PolicyRoute, problems: readonly EvidenceProblem[]): BlockReason[] {
  return problems
    .filter(
      (problem) => problem.requests === undefined || problem.requests.some((req) => under(route, req.method, req.path)),
    )
    .map((problem) => ({
      code: problem.code,
      message: problem.message,
      source: problem.source,
      ...(problem.consumer !== undefined ? { consumer: problem.consumer } : {}),
    }));
}
