/**
 * The candidate's own outcome for one interaction: whether it was judged at all, and whether it
 * honours the consumer's pact.
 */
import type { RouteRules } from './policy.js';
import { show, type CitedResult, type Findings } from './reasons.js';

/** `interaction-errored` / `interaction-skipped` for every target that could not be judged. */
export function outcomeFindings({ result, base, who }: CitedResult): Findings {
  const findings: Findings = { reasons: [], notes: [] };
  for (const [target, outcome] of Object.entries(result.targets)) {
    if (outcome?.outcome === 'error')
      findings.reasons.push({
        ...base,
        code: 'interaction-errored',
        message: `${who}: the ${target} could not be judged: ${outcome.error ? `[${outcome.error.code}] ${outcome.error.message}` : 'error without detail'}`,
      });
  }
  const candidate = result.targets.candidate;
  if (!candidate)
    findings.reasons.push({
      ...base,
      code: 'interaction-errored',
      message: `${who}: the results have no outcome for the candidate`,
    });
  else if (candidate.outcome === 'skipped')
    findings.reasons.push({
      ...base,
      code: 'interaction-skipped',
      message: `${who}: the interaction was skipped on the candidate, so nothing proves it`,
    });
  else if (candidate.outcome !== 'pass' && candidate.outcome !== 'fail')
    findings.reasons.push({
      ...base,
      code: 'interaction-errored',
      message: `${who}: the candidate's outcome ${show(candidate.outcome)} is not one the gate can judge`,
    });
  return findings;
}

/** `pact-failed` per mismatch of a judged candidate (pending interactions only note it). */
export function pactFindings({ result, base, who }: CitedResult, rules: RouteRules): Findings {
  const findings: Findings = { reasons: [], notes: [] };
  const candidate = result.targets.candidate;
  if (!rules.requirePactPass || (candidate?.outcome !== 'pass' && candidate?.outcome !== 'fail')) return findings;
  // A mismatch blocks even under a "pass" outcome: contradicting evidence must not pass.
  if (candidate.outcome !== 'fail' && candidate.mismatches.length === 0) return findings;
  if (result.pending)
    findings.notes.push(
      `${who}: pending interaction fails its pact on the candidate (${candidate.mismatches.length} mismatch(es)); pending failures do not block`,
    );
  else if (candidate.mismatches.length === 0)
    findings.reasons.push({ ...base, code: 'pact-failed', message: `${who}: the candidate fails the pact` });
  else
    for (const mismatch of candidate.mismatches)
      findings.reasons.push({
        ...base,
        code: 'pact-failed',
        mismatch,
        message: `${who}: the candidate fails the pact at ${mismatch.path} (${mismatch.kind}): expected ${show(mismatch.expected)}, got ${show(mismatch.actual)}: ${mismatch.message}`,
      });
  return findings;
}
