import type { Difference, InteractionResult, SchemaViolation, TargetName, VerificationReport } from '@cutover/core';
import { splitBaseline } from '@cutover/core';
import { interactionStatus, monolithOnly } from '../status.js';

export const TARGETS: TargetName[] = ['monolith', 'candidate'];

export function routeLabel(result: InteractionResult): string {
  if (result.route.method === 'MESSAGE') return 'message';
  return `${result.route.method} ${result.route.template ?? result.route.path}`;
}

export function interactionLabel(result: InteractionResult): string {
  const states = result.providerStates.map((s) => s.name).join(', ');
  return `${result.consumer}: ${result.description}${states ? ` (given ${states})` : ''}`;
}

/**
 * Every reason an interaction did not pass, one line each, in the order a person should read them.
 * Differences `isShared` says the report states once for the run are left out and counted.
 */
export function problems(
  result: InteractionResult,
  limit = Infinity,
  isShared: (d: Difference) => boolean = () => false,
): string[] {
  const lines: string[] = [];
  for (const name of TARGETS) {
    const outcome = result.targets[name];
    if (!outcome) continue;
    if (outcome.outcome === 'error')
      lines.push(`${name}: error ${outcome.error?.code ?? ''} ${outcome.error?.message ?? ''}`.trim());
    for (const m of outcome.mismatches) lines.push(`${name}: pact mismatch at ${m.path}: ${m.message}`);
  }
  let shared = 0;
  for (const d of result.parity.differences) {
    if (isShared(d)) shared++;
    else lines.push(`parity: ${d.kind} at ${d.path}: ${d.message}`);
  }
  if (shared > 0)
    lines.push(`parity: and ${plural(shared, 'header difference')} common to the run (listed once, below)`);
  if (result.parity.notSampled) lines.push(`parity: no noise sample: ${result.parity.notSampled}`);
  const schema = schemaFindings(result);
  lines.push(...schema.failing, ...schema.notes);
  return lines.slice(0, limit);
}

function violationLine(label: string, v: SchemaViolation): string {
  return `${label}${v.severity === 'warning' ? ' (warning)' : ''} at ${v.instancePath || '/'}: ${v.message} [${v.code}]`;
}

/**
 * The OpenAPI findings of one interaction, one line each: `failing` are those that fail it
 * (candidate regressions; the monolith's violations when it is the only target), `notes` those
 * reported without failing it (baseline violations the monolith shares, monolith-only ones in a
 * two-target run, request violations).
 */
export function schemaFindings(result: InteractionResult): { failing: string[]; notes: string[] } {
  const schema = result.schema;
  if (!schema) return { failing: [], notes: [] };
  const failing = schema.regressions.map((v) => violationLine('schema regression (candidate)', v));
  const notes: string[] = [];
  if (monolithOnly(result)) {
    failing.push(...schema.monolith.map((v) => violationLine('schema violation (monolith, the only target)', v)));
  } else {
    notes.push(...schema.baseline.map((v) => violationLine('schema baseline (shared with the monolith)', v)));
    // The monolith's own violations the candidate does not share: not the candidate's doing.
    const own = splitBaseline(schema.candidate, schema.monolith).regressions;
    notes.push(...own.map((v) => violationLine('schema violation (monolith only)', v)));
  }
  notes.push(...schema.request.map((v) => violationLine('schema violation (request)', v)));
  return { failing, notes };
}

export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

export function summaryLine(report: VerificationReport): string {
  const s = report.summary;
  return `${plural(s.interactions, 'interaction')}: ${s.passed} passed, ${s.failed} failed, ${s.errored} errored, ${s.skipped} skipped; parity ${s.parity.identical} identical, ${s.parity.noiseOnly} noise-only, ${s.parity.differs} differ, ${s.parity.notCompared} not compared`;
}

export { interactionStatus };
