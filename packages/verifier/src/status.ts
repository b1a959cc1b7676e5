import { interactionStatus, type VerificationReport } from '@cutover/core';

export { interactionStatus, monolithOnly } from '@cutover/core';

/**
 * True when the run must fail: an errored interaction (pending or not: pending forgives the
 * contract, not a dead target or a broken tool), or a failed interaction that is not pending.
 */
export function verificationFailed(report: VerificationReport): boolean {
  return report.results.some((r) => {
    const status = interactionStatus(r);
    return status === 'errored' || (status === 'failed' && !r.pending);
  });
}
