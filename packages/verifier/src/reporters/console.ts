import { redactCredentials, visibleControls } from '@cutover/core';
import type { VerificationReport } from '@cutover/core';
import {
  TARGETS,
  interactionLabel,
  interactionStatus,
  problems,
  routeLabel,
  schemaFindings,
  summaryLine,
} from './format.js';
import { sharedHeaderDifferences } from './shared.js';

/** Lines for the terminal: what came from pacts and targets cannot move the cursor or ring the bell. */
function terminalLines(out: string[]): string {
  return `${out.map((line) => visibleControls(line)).join('\n')}\n`;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
  return rows
    .map((row) =>
      row.map((cell, col) => (col === 0 ? cell.padEnd(widths[col]!) : cell.padStart(widths[col]!))).join('  '),
    )
    .join('\n');
}

/**
 * A plain-text report: every interaction that did not pass with its reasons, a per-route summary
 * table, and a closing line.
 *
 * @example
 * process.stdout.write(renderConsole(await runVerify(options)));
 */
export function renderConsole(report: VerificationReport, options: ConsoleOptions = {}): string {
  return [...renderConsoleChunks(report, options)].join('');
}

/** Options of {@link renderConsole}. */
export interface ConsoleOptions {
  /** Reasons listed per interaction (default 10). */
  maxProblems?: number;
  /** Routes in the summary table (default 30); the rest are summed in one line. */
  maxRoutes?: number;
}

/**
 * {@link renderConsole} in chunks, an interaction at a time: thousands of failures are written as
 * they are rendered instead of being built into one string first.
 *
 * @example
 * for (const chunk of renderConsoleChunks(report)) process.stdout.write(chunk);
 */
export function* renderConsoleChunks(report: VerificationReport, options: ConsoleOptions = {}): Generator<string> {
  const limit = options.maxProblems ?? 10;
  const maxRoutes = options.maxRoutes ?? 30;
  const targets = TARGETS.filter((t) => report.targets[t]);
  yield terminalLines([
    `cutover verify: ${report.provider.name} — ${targets.map((t) => `${t} ${redactCredentials(report.targets[t]!.url)}`).join(', ')}`,
  ]);
  const { shared, isShared } = sharedHeaderDifferences(report.results);
  for (const result of report.results) {
    const out: string[] = [];
    const status = interactionStatus(result);
    if (status === 'passed') {
      // Passing, but with OpenAPI findings that are reported without failing it (baseline, request).
      const notes = schemaFindings(result).notes;
      if (notes.length === 0) continue;
      out.push('', `NOTE${result.pending ? ' (pending)' : ''} ${routeLabel(result)} — ${interactionLabel(result)}`);
      for (const line of notes.slice(0, limit)) out.push(`  ${line}`);
      if (notes.length > limit) out.push(`  … and ${notes.length - limit} more`);
      yield terminalLines(out);
      continue;
    }
    const tag = status === 'skipped' ? 'SKIP' : status === 'errored' ? 'ERROR' : 'FAIL';
    out.push('', `${tag}${result.pending ? ' (pending)' : ''} ${routeLabel(result)} — ${interactionLabel(result)}`);
    if (status === 'skipped') {
      out.push(`  ${Object.values(result.targets)[0]?.error?.message ?? 'not replayable'}`);
    } else {
      const lines = problems(result, Infinity, isShared);
      for (const line of lines.slice(0, limit)) out.push(`  ${line}`);
      if (lines.length > limit) out.push(`  … and ${lines.length - limit} more`);
    }
    yield terminalLines(out);
  }
  const out: string[] = [];
  if (shared.length > 0) {
    out.push('', 'Header differences common to the run (each listed once, not under every interaction):');
    for (const h of shared) out.push(`  ${visibleControls(h.sentence)}`);
  }
  const byRoute = new Map<string, number[]>();
  for (const result of report.results) {
    const key = routeLabel(result);
    const row = byRoute.get(key) ?? [0, 0, 0, 0, 0, 0];
    const status = interactionStatus(result);
    row[0]!++;
    if (status === 'passed') row[1]!++;
    if (status === 'failed') row[2]!++;
    if (status === 'errored') row[3]!++;
    if (result.parity.status === 'noise-only') row[4]!++;
    if (result.parity.status === 'differs') row[5]!++;
    byRoute.set(key, row);
  }
  if (byRoute.size > 0) {
    // Routes with failures first, then the busiest; a long tail is summed up in one line.
    const sorted = [...byRoute.entries()].sort(
      ([a, x], [b, y]) => y[2]! + y[3]! + y[5]! - (x[2]! + x[3]! + x[5]!) || y[0]! - x[0]! || a.localeCompare(b),
    );
    const rows = [['route', 'interactions', 'passed', 'failed', 'errored', 'noise-only', 'parity differs']];
    for (const [route, counts] of sorted.slice(0, maxRoutes))
      rows.push([visibleControls(route), ...counts.map(String)]);
    if (sorted.length > maxRoutes) {
      const rest = sorted
        .slice(maxRoutes)
        .reduce((sum, [, counts]) => sum.map((v, i) => v + counts[i]!), [0, 0, 0, 0, 0, 0]);
      rows.push([`… ${sorted.length - maxRoutes} more routes`, ...rest.map(String)]);
    }
    out.push('', table(rows));
  }
  out.push('', summaryLine(report), '');
  yield out.join('\n');
}
