import { escapeMarkdown as md, escapeXml as xml, markdownCode, previewValue, visibleControls } from '@cutover/core';
import type { GateDecision, RouteDecision } from './decide.js';
import type { BlockReason } from './reasons.js';

function routeLabel(route: RouteDecision): string {
  return `${route.methods.join(',')} ${route.path}`;
}

function weights(route: RouteDecision): string {
  if (route.outcome === 'blocked') return `stays at ${route.currentWeight}%`;
  if (route.nextWeight === route.currentWeight) return `stays at ${route.currentWeight}%`;
  return `${route.currentWeight}% → ${route.nextWeight}%${route.forced ? ' (forced)' : ''}`;
}

/** `GET /api/items/{id}, /api/items; DELETE nothing`: the paths the route's evidence covers, per method. */
function coverageLine(route: RouteDecision, max = 5): string | undefined {
  if (!route.coverage.some((c) => c.paths.length > 0)) return undefined;
  return route.coverage
    .map(({ method, paths }) =>
      paths.length === 0
        ? `${method} nothing`
        : `${method} ${paths.slice(0, max).join(', ')}${paths.length > max ? ` (+${paths.length - max} more)` : ''}`,
    )
    .join('; ');
}

/**
 * Plain-text report for a terminal.
 *
 * @example
 * process.stdout.write(renderConsole(decision));
 */
export function renderConsole(decision: GateDecision): string {
  const lines: string[] = [];
  const version = decision.candidateVersion ? ` ${decision.candidateVersion}` : '';
  lines.push(
    `cutover gate: ${decision.outcome.toUpperCase()} — ${decision.policy.candidate.service}${version} (${decision.policy.source})`,
  );
  for (const route of decision.routes) {
    lines.push('');
    lines.push(
      `${route.outcome === 'allowed' ? '✔ allowed' : '✘ blocked'}  ${route.name}  ${routeLabel(route)}  ${weights(route)}  ` +
        `(${route.interactions} interaction${route.interactions === 1 ? '' : 's'}, consumers: ${route.consumers.join(', ') || 'none'})`,
    );
    const covers = coverageLine(route);
    if (covers) lines.push(`    evidence covers: ${covers}`);
    for (const reason of route.reasons) lines.push(`    - [${reason.code}] ${reason.message}`);
    for (const note of route.notes) lines.push(`    · ${note}`);
  }
  for (const warning of decision.warnings) lines.push('', `warning: ${warning}`);
  // Names, descriptions and messages come from results files and pacts: controls are shown, not obeyed.
  return lines.map((line) => visibleControls(line)).join('\n') + '\n';
}

/** The decision as JSON (`cutover.gate-decision/v1`). */
export function renderJson(decision: GateDecision): string {
  return JSON.stringify(decision, null, 2) + '\n';
}

function code(value: unknown): string {
  return markdownCode(previewValue(value, { max: 60, absent: '(absent)' }));
}

function reasonRow(reason: BlockReason): string {
  const where = reason.violation
    ? `${reason.violation.on} ${reason.violation.instancePath || '/'}`
    : (reason.difference?.path ?? reason.mismatch?.path ?? '');
  // Each cell says what it is: a pact failure compares with the pact's expectation, parity and
  // schema reasons with the monolith.
  let reference = '';
  let candidate = '';
  if (reason.difference) {
    reference = `monolith ${code(reason.difference.monolith)}`;
    candidate = `candidate ${code(reason.difference.candidate)}`;
  } else if (reason.mismatch) {
    reference = `pact expects ${code(reason.mismatch.expected)}`;
    candidate = `candidate ${code(reason.mismatch.actual)}`;
  }
  if (reason.violation) {
    const schema = `monolith: ${reason.violation.monolith}`;
    reference = reference ? `${reference} (${schema})` : schema;
    candidate = candidate ? `${candidate} (violated)` : 'candidate: violated';
  }
  return `| \`${reason.code}\` | ${md(reason.consumer ?? '')} | ${md(reason.interaction ?? '')} | ${where ? markdownCode(where) : ''} | ${reference} | ${candidate} | ${md(reason.message)} |`;
}

export interface MarkdownOptions {
  /** Reasons listed per route before the rest are counted (a PR comment has a size limit). Default 50. */
  maxReasonsPerRoute?: number;
}

/**
 * Markdown for a pull-request comment: a summary table, then the reasons per blocked route (the
 * first `maxReasonsPerRoute`; the JSON report has them all).
 */
export function renderMarkdown(decision: GateDecision, options: MarkdownOptions = {}): string {
  const max = options.maxReasonsPerRoute ?? 50;
  const out: string[] = [];
  const icon = decision.outcome === 'allowed' ? '✅' : '⛔';
  out.push(
    `### ${icon} cutover gate: ${decision.outcome} — ${md(decision.policy.candidate.service)}${decision.candidateVersion ? ` ${markdownCode(decision.candidateVersion, { table: false })}` : ''}`,
  );
  out.push('');
  out.push('| Route | Match | Decision | Weight | Interactions | Consumers |');
  out.push('|---|---|---|---|---|---|');
  for (const route of decision.routes)
    out.push(
      `| ${md(route.name)} | ${markdownCode(routeLabel(route))} | ${route.outcome === 'allowed' ? '✅ allowed' : '⛔ blocked'} | ${weights(route)} | ${route.interactions} | ${md(route.consumers.join(', ') || 'none')} |`,
    );
  const covered = decision.routes.flatMap((route) => {
    const covers = coverageLine(route);
    return covers ? [`- ${md(route.name)}: evidence covers ${md(covers)}`] : [];
  });
  if (covered.length > 0) out.push('', ...covered);
  for (const route of decision.routes) {
    if (route.reasons.length === 0 && route.notes.length === 0) continue;
    out.push('', `#### ${md(route.name)} (${route.reasons.length} reason${route.reasons.length === 1 ? '' : 's'})`);
    if (route.reasons.length > 0) {
      out.push(
        '',
        '| Reason | Consumer | Interaction | Path | Monolith or pact | Candidate | Detail |',
        '|---|---|---|---|---|---|---|',
      );
      for (const reason of route.reasons.slice(0, max)) out.push(reasonRow(reason));
      if (route.reasons.length > max)
        out.push(
          '',
          `…and ${route.reasons.length - max} more reason(s) for ${md(route.name)}: see the JSON report (\`--json\`).`,
        );
    }
    if (route.notes.length > 0) out.push('', ...route.notes.map((n) => `- ${md(n)}`));
  }
  if (decision.warnings.length > 0) out.push('', ...decision.warnings.map((w) => `> **Warning:** ${md(w)}`));
  out.push(
    '',
    `<sub>policy ${markdownCode(decision.policy.source, { table: false })} · decided ${md(decision.decidedAt)}</sub>`,
  );
  return out.join('\n') + '\n';
}

/**
 * JUnit XML: one test case per route; a blocked route is a failure listing every reason.
 */
export function renderJunit(decision: GateDecision): string {
  const failures = decision.routes.filter((r) => r.outcome === 'blocked').length;
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(`<testsuites name="cutover gate" tests="${decision.routes.length}" failures="${failures}">`);
  out.push(
    `  <testsuite name="${xml(`cutover gate: ${decision.policy.candidate.service}`)}" tests="${decision.routes.length}" failures="${failures}" errors="0" timestamp="${xml(decision.decidedAt)}">`,
  );
  for (const route of decision.routes) {
    out.push(`    <testcase classname="cutover.gate" name="${xml(`${route.name} ${routeLabel(route)}`)}">`);
    if (route.outcome === 'blocked') {
      const summary = `${route.reasons.length} reason(s): ${route.reasons.map((r) => r.code).join(', ')}`;
      out.push(
        `      <failure message="${xml(summary)}" type="blocked">${xml(route.reasons.map((r) => `[${r.code}] ${r.message}`).join('\n'))}</failure>`,
      );
    }
    const system = [`weight: ${weights(route)}`, ...route.notes].join('\n');
    out.push(`      <system-out>${xml(system)}</system-out>`);
    out.push('    </testcase>');
  }
  out.push('  </testsuite>', '</testsuites>');
  return out.join('\n') + '\n';
}
