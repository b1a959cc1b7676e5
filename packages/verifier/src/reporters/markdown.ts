import { clipText, escapeMarkdown as text, markdownCode, previewValue, redactCredentials } from '@cutover/core';
import type { Difference, InteractionResult, VerificationReport } from '@cutover/core';
import { TARGETS, interactionLabel, interactionStatus, routeLabel, schemaFindings, summaryLine } from './format.js';
import { verificationFailed } from '../status.js';
import { sharedHeaderDifferences } from './shared.js';
import type { SharedHeaderDifference } from './shared.js';

/** A value as code, cut to 80 characters; `table: false` outside a table. */
function cell(value: unknown, raw = false, table = true): string {
  if (value === undefined) return '—';
  return markdownCode(raw && typeof value === 'string' ? clipText(value) : previewValue(value), { table });
}

function differencesTable(differences: Difference[], limit: number): string[] {
  const rows = ['| | path | monolith | candidate |', '|---|---|---|---|'];
  for (const d of differences.slice(0, limit)) {
    rows.push(
      `| ${d.kind}${d.noise ? ` (${d.noise} noise)` : ''} | ${cell(d.path, true)} | ${cell(d.monolith)} | ${cell(d.candidate)} |`,
    );
  }
  if (differences.length > limit) rows.push(`| | … ${differences.length - limit} more, in the full list below | | |`);
  return rows;
}

/** Differences listed in full, with their messages, in a collapsed block. */
const FULL_LIST_MAX = 50;

function fullDifferences(differences: Difference[]): string[] {
  const out = ['<details><summary>All ' + differences.length + ' differences</summary>', ''];
  for (const d of differences.slice(0, FULL_LIST_MAX))
    out.push(`- ${d.kind} at ${cell(d.path, true, false)}: ${text(d.message)}`);
  if (differences.length > FULL_LIST_MAX) {
    out.push(`- … ${differences.length - FULL_LIST_MAX} more in the JSON report`);
  }
  out.push('', '</details>');
  return out;
}

/** Header differences found the same way on several interactions, stated once for the run. */
function sharedHeadersBlock(shared: SharedHeaderDifference[], max = 20): string[] {
  if (shared.length === 0) return [];
  const out = ['### Header differences common to the run', '', '_Listed once here, not under each interaction._', ''];
  for (const h of shared.slice(0, max)) out.push(`- ${text(h.sentence)}`);
  if (shared.length > max) out.push(`- … and ${shared.length - max} more`);
  out.push('');
  return out;
}

/** Limits that keep the Markdown report a comment a code host accepts. */
export interface MarkdownOptions {
  /** Mismatches, differences and violations shown per interaction (default 5). */
  maxDifferences?: number;
  /** Failing interactions shown per route (default 3); the others are counted. */
  maxPerRoute?: number;
  /**
   * Characters the whole comment may take (default 60,000: GitHub refuses comments over 65,536).
   * Routes that do not fit are counted in a closing line that points to the JSON report.
   */
  maxLength?: number;
}

/**
 * A pull-request comment: the summary, then per route what broke, with the first differences
 * side by side (monolith | candidate). Bounded by {@link MarkdownOptions}: however many
 * interactions fail, the comment stays postable.
 *
 * @example
 * await writeFile('reports/verify.md', renderMarkdown(report, { maxDifferences: 5 }));
 */
export function renderMarkdown(report: VerificationReport, options: MarkdownOptions = {}): string {
  const limit = options.maxDifferences ?? 5;
  const perRoute = options.maxPerRoute ?? 3;
  const maxLength = options.maxLength ?? 60_000;
  const failing = report.results.filter((r) => ['failed', 'errored'].includes(interactionStatus(r)));
  const out: string[] = [];
  const icon = verificationFailed(report) ? '❌' : '✅';
  out.push(`## ${icon} cutover verify: ${text(report.provider.name)}`, '');
  out.push(
    TARGETS.filter((t) => report.targets[t])
      .map((t) => `**${t}** ${text(redactCredentials(report.targets[t]!.url))}`)
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
  }
  const byRoute = new Map<string, InteractionResult[]>();
  for (const result of failing) {
    const key = routeLabel(result);
    let list = byRoute.get(key);
    if (!list) byRoute.set(key, (list = []));
    list.push(result);
  }
  // Blocks are added whole while they fit; what does not fit is counted at the end.
  const budget = new Budget(out, maxLength);
  const { shared, isShared } = sharedHeaderDifferences(report.results);
  const sharedShown = budget.add(sharedHeadersBlock(shared));
  let unshownRoutes = 0;
  let unshownInteractions = 0;
  for (const [route, list] of [...byRoute.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const block = [`### ${markdownCode(route, { table: false })} — ${list.length} failing`, ''];
    for (const result of list.slice(0, perRoute)) block.push(...interactionBlock(result, limit, isShared));
    if (list.length > perRoute) block.push(`… and ${list.length - perRoute} more failing on this route.`, '');
    if (!budget.add(block)) {
      unshownRoutes++;
      unshownInteractions += list.length;
    }
  }
  const notes = schemaNotes(notesOnly, limit);
  const notesShown = notes.length === 0 || budget.add(notes);
  if (unshownRoutes > 0 || !notesShown || !sharedShown) {
    const parts = [];
    if (!sharedShown) parts.push(`${shared.length} header difference(s) common to the run`);
    if (unshownRoutes > 0) parts.push(`${unshownInteractions} failing interaction(s) on ${unshownRoutes} route(s)`);
    if (!notesShown) parts.push(`OpenAPI notes on ${notesOnly.length} passing interaction(s)`);
    out.push(
      `_Cut to fit a pull-request comment: ${parts.join(' and ')} are not shown here; the JSON report (\`--json\`) has every result._`,
      '',
    );
  }
  return out.join('\n');
}

/** Appends blocks of lines to `out` while the text stays under `max` characters, keeping room for a closing line. */
class Budget {
  private length: number;
  private full = false;

  constructor(
    private readonly out: string[],
    private readonly max: number,
  ) {
    this.length = out.reduce((sum, line) => sum + line.length + 1, 0);
  }

  add(lines: string[]): boolean {
    const size = lines.reduce((sum, line) => sum + line.length + 1, 0);
    // Once one block is left out, later ones are too: the comment never skips over a gap.
    if (this.full || this.length + size > this.max - 400) {
      this.full = true;
      return false;
    }
    this.out.push(...lines);
    this.length += size;
    return true;
  }
}

function interactionBlock(result: InteractionResult, limit: number, isShared: (d: Difference) => boolean): string[] {
  const out = [`#### ${text(interactionLabel(result))}${result.pending ? ' (pending)' : ''}`, ''];
  for (const name of TARGETS) {
    const outcome = result.targets[name];
    if (!outcome || outcome.outcome === 'pass') continue;
    if (outcome.outcome === 'error') {
      out.push(
        `- **${name}**: error ${cell(outcome.error?.code ?? '', true, false)} ${text(outcome.error?.message ?? '')}`,
      );
    } else if (outcome.outcome === 'fail') {
      out.push(`- **${name}** breaks the pact:`);
      for (const m of outcome.mismatches.slice(0, limit))
        out.push(`  - ${cell(m.path, true, false)} ${text(m.message)}`);
      if (outcome.mismatches.length > limit) out.push(`  - … ${outcome.mismatches.length - limit} more`);
    }
  }
  const own = result.parity.differences.filter((d) => !isShared(d));
  const sharedCount = result.parity.differences.length - own.length;
  if (result.parity.differences.length > 0) {
    const common =
      sharedCount > 0 ? `, and ${sharedCount} header difference(s) common to the run (listed once above)` : '';
    out.push('', `Parity: ${own.length} difference(s)${common}`);
    // The first differences are the decisive ones (ranked: status, body, then headers); the rest fold away.
    if (own.length > 0) out.push('', ...differencesTable(own, limit));
    if (own.length > limit) out.push('', ...fullDifferences(own));
    if (result.parity.notSampled) out.push('', `No noise sample: ${text(result.parity.notSampled)}`);
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
  return out;
}

function bullets(lines: string[], limit: number): string[] {
  const out = lines.slice(0, limit).map((line) => `- ${text(line)}`);
  if (lines.length > limit) out.push(`- … ${lines.length - limit} more`);
  return out;
}

/** Passing interactions with OpenAPI findings that do not fail them (baseline, request, monolith-only). */
function schemaNotes(results: InteractionResult[], limit: number, shown = 20): string[] {
  if (results.length === 0) return [];
  const out = ['### OpenAPI violations that do not fail the run', ''];
  for (const result of results.slice(0, shown)) {
    out.push(`- **${text(routeLabel(result))}** — ${text(interactionLabel(result))}`);
    for (const line of bullets(schemaFindings(result).notes, limit)) out.push(`  ${line}`);
  }
  if (results.length > shown) out.push(`- … and ${results.length - shown} more passing interaction(s) with notes`);
  out.push('');
  return out;
}
