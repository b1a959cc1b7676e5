import type { Difference, InteractionResult, VerificationReport } from '@cutover/core';
import { TARGETS, interactionLabel, interactionStatus, routeLabel, schemaFindings, summaryLine } from './format.js';
import { verificationFailed } from '../run.js';

/** Escapes a table cell: pipes and newlines would break the row. */
function cell(value: unknown, raw = false): string {
  if (value === undefined) return '—';
  const text = raw && typeof value === 'string' ? value : JSON.stringify(value);
  const short = text.length > 80 ? `${text.slice(0, 77)}…` : text;
  return '`' + short.replace(/`/g, "'").replace(/\|/g, '\\|').replace(/\r?\n/g, ' ') + '`';
}

function text(value: string): string {
  return value.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').replace(/</g, '&lt;');
}

function differencesTable(differences: Difference[], limit: number): string[] {
  const rows = ['| | path | monolith | candidate |', '|---|---|---|---|'];
  for (const d of differences.slice(0, limit)) {
    rows.push(
      `| ${d.kind}${d.noise ? ` (${d.noise} noise)` : ''} | ${cell(d.path, true)} | ${cell(d.monolith)} | ${cell(d.candidate)} |`,
    );
  }
  if (differences.length > limit) rows.push(`| | … ${differences.length - limit} more | | |`);
  return rows;
}

/**
 * A pull-request comment: the summary, then per route what broke, with the first differences
 * side by side (monolith | candidate).
 *
 * @example
 * await writeFile('reports/verify.md', renderMarkdown(report, { maxDifferences: 5 }));
 */
export function renderMarkdown(report: VerificationReport, options: { maxDifferences?: number } = {}): string {
  const limit = options.maxDifferences ?? 5;
  const failing = report.results.filter((r) => ['failed', 'errored'].includes(interactionStatus(r)));
  const out: string[] = [];
  const icon = verificationFailed(report) ? '❌' : '✅';
  out.push(`## ${icon} cutover verify: ${text(report.provider.name)}`, '');
  out.push(
    TARGETS.filter((t) => report.targets[t])
      .map((t) => `**${t}** ${report.targets[t]!.url}`)
      .join(' · '),
    '',
    summaryLine(report),
    '',
  );
  const notesOnly = report.results.filter(
    (r) => interactionStatus(r) === 'passed' && schemaFindings(r).notes.length > 0,
  );
  if (failing.length === 0) {
    out.push('Every interaction passed on every target, with no parity difference that counts.', '');
    out.push(...schemaNotes(notesOnly, limit));
    return out.join('\n');
  }
  const byRoute = new Map<string, InteractionResult[]>();
  for (const result of failing) {
    const key = routeLabel(result);
    byRoute.set(key, [...(byRoute.get(key) ?? []), result]);
  }
  for (const [route, list] of [...byRoute.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    out.push(`### \`${text(route)}\` — ${list.length} failing`, '');
    for (const result of list) {
      out.push(`#### ${text(interactionLabel(result))}${result.pending ? ' (pending)' : ''}`, '');
      for (const name of TARGETS) {
        const outcome = result.targets[name];
        if (!outcome || outcome.outcome === 'pass') continue;
        if (outcome.outcome === 'error') {
          out.push(`- **${name}**: error \`${outcome.error?.code ?? ''}\` ${text(outcome.error?.message ?? '')}`);
        } else if (outcome.outcome === 'fail') {
          out.push(`- **${name}** breaks the pact:`);
          for (const m of outcome.mismatches.slice(0, limit)) out.push(`  - ${cell(m.path, true)} ${text(m.message)}`);
          if (outcome.mismatches.length > limit) out.push(`  - … ${outcome.mismatches.length - limit} more`);
        }
      }
      if (result.parity.differences.length > 0) {
        out.push(
          '',
          `Parity: ${result.parity.differences.length} difference(s)`,
          '',
          ...differencesTable(result.parity.differences, limit),
        );
      }
      const schema = schemaFindings(result);
      if (schema.failing.length > 0) {
        out.push('', 'OpenAPI violations that fail it:', '');
        out.push(...bullets(schema.failing, limit));
      }
      if (schema.notes.length > 0) {
        out.push('', 'OpenAPI violations reported without failing it:', '');
        out.push(...bullets(schema.notes, limit));
      }
      out.push('');
    }
  }
  out.push(...schemaNotes(notesOnly, limit));
  return out.join('\n');
}

function bullets(lines: string[], limit: number): string[] {
  const out = lines.slice(0, limit).map((line) => `- ${text(line)}`);
  if (lines.length > limit) out.push(`- … ${lines.length - limit} more`);
  return out;
}

/** Passing interactions with OpenAPI findings that do not fail them (baseline, request, monolith-only). */
function schemaNotes(results: InteractionResult[], limit: number): string[] {
  if (results.length === 0) return [];
  const out = ['### OpenAPI violations that do not fail the run', ''];
  for (const result of results) {
    out.push(`- **${text(routeLabel(result))}** — ${text(interactionLabel(result))}`);
    for (const line of bullets(schemaFindings(result).notes, limit)) out.push(`  ${line}`);
  }
  out.push('');
  return out;
}
