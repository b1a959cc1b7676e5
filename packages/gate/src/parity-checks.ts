/** Whether the candidate answered one interaction as the monolith did (policy `parity` rules). */
import type { Difference } from '@cutover/core';
import type { ReasonCode } from './evidence.js';
import type { RouteRules } from './policy.js';
import { show, type BlockReason, type CitedResult, type Findings } from './reasons.js';

/**
 * `parity-differs` per counted difference, `parity-noise` per noise difference the policy does not
 * allow, and `parity-not-compared` when parity is claimed without two judged responses.
 */
export function parityFindings({ result, base, who }: CitedResult, rules: RouteRules): Findings {
  const findings: Findings = { reasons: [], notes: [] };
  if (!rules.parity.required) return findings;
  const { reasons, notes } = findings;
  const parity = result.parity;
  const cite = (code: ReasonCode, d: Difference, what: string): BlockReason => ({
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
  return findings;
}
