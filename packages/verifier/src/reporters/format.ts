import type { InteractionResult, TargetName, VerificationReport } from '@cutover/core';
import { interactionStatus } from '../run.js';

export const TARGETS: TargetName[] = ['monolith', 'candidate'];

export function routeLabel(result: InteractionResult): string {
  if (result.route.method === 'MESSAGE') return 'message';
  return `${result.route.method} ${result.route.template ?? result.route.path}`;
}

export function interactionLabel(result: InteractionResult): string {
  const states = result.providerStates.map((s) => s.name).join(', ');
  return `${result.consumer}: ${result.description}${states ? ` (given ${states})` : ''}`;
}

/** Every reason an interaction did not pass, one line each, in the order a person should read them. */
export function problems(result: InteractionResult, limit = Infinity): string[] {
  const lines: string[] = [];
  for (const name of TARGETS) {
    const outcome = result.targets[name];
    if (!outcome) continue;
    if (outcome.outcome === 'error')
      lines.push(`${name}: error ${outcome.error?.code ?? ''} ${outcome.error?.message ?? ''}`.trim());
    for (const m of outcome.mismatches) lines.push(`${name}: pact mismatch at ${m.path}: ${m.message}`);
  }
  for (const d of result.parity.differences) lines.push(`parity: ${d.kind} at ${d.path}: ${d.message}`);
  for (const v of result.schema?.regressions ?? []) {
    lines.push(`schema regression (candidate) at ${v.instancePath || '/'}: ${v.message} [${v.code}]`);
  }
  return lines.slice(0, limit);
}

export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

export function summaryLine(report: VerificationReport): string {
  const s = report.summary;
  return `${plural(s.interactions, 'interaction')}: ${s.passed} passed, ${s.failed} failed, ${s.errored} errored, ${s.skipped} skipped; parity ${s.parity.identical} identical, ${s.parity.noiseOnly} noise-only, ${s.parity.differs} differ, ${s.parity.notCompared} not compared`;
}

export { interactionStatus };
