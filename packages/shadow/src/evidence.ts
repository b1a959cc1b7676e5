import { visibleControls, writeOutputFile, type ShadowEvidence, type ShadowRoute } from '@cutover/core';
import { publishShadowRun, type BrokerClient, type RecordOutcome } from '@cutover/broker-client';

/**
 * Writes the evidence as JSON to an ordinary file (its folder created); rejects with
 * CUTOVER_OUTPUT_FAILED naming the file.
 */
export async function writeShadowEvidence(file: string, evidence: ShadowEvidence): Promise<void> {
  await writeOutputFile(file, `${JSON.stringify(evidence, null, 2)}\n`);
}

/**
 * Publishes the evidence to the broker (`POST /cutover/shadow`), where the gate and the migration
 * board find it. Never throws for a broker that refuses: the outcome says whether it was recorded.
 */
export function publishShadowEvidence(client: BrokerClient, evidence: ShadowEvidence): Promise<RecordOutcome> {
  return publishShadowRun(client, evidence);
}

const pct = (part: number, whole: number) => (whole === 0 ? '0%' : `${Math.round((part / whole) * 1000) / 10}%`);

function routeLine(r: ShadowRoute): string {
  const latency = `p50 ${r.monolith.latency.p50Ms}/${r.candidate.latency.p50Ms} ms, p99 ${r.monolith.latency.p99Ms}/${r.candidate.latency.p99Ms} ms (monolith/candidate)`;
  return `${r.method} ${r.path}: ${r.seen} seen, ${r.compared} compared — ${r.identical} identical, ${r.noiseOnly} noise only, ${r.differing} differing (${pct(r.differing, r.compared)}); candidate errors ${pct(r.candidate.errors, r.candidate.requests)} vs monolith ${pct(r.monolith.errors, r.monolith.requests)}; ${latency}`;
}

/** A plain-text summary: notes first (what was not mirrored or compared), then each route with its kinds of difference. */
export function renderShadowSummary(evidence: ShadowEvidence): string {
  const lines: string[] = [];
  const t = evidence.totals;
  lines.push(
    `cutover shadow: ${t.seen} request(s) seen, ${t.mirrored} mirrored, ${t.compared} compared: ${t.differing} differing, ${t.noiseOnly} noise only, ${t.identical} identical`,
  );
  for (const note of evidence.notes) lines.push(`  note: ${note}`);
  for (const route of evidence.routes) {
    lines.push(`  ${routeLine(route)}`);
    for (const d of route.differences) {
      lines.push(`    ${d.kind} ${d.path} — ${d.count} request(s)`);
      for (const e of d.examples) lines.push(`      ${e.request.method} ${e.request.path}: ${e.message}`);
    }
  }
  // Paths and messages quote what callers and services sent: control characters are shown, never run.
  return `${lines.map((line) => visibleControls(line)).join('\n')}\n`;
}
