import type { InteractionResult } from '@cutover/core';
import type { EvidenceReport } from './evidence.js';
import { pathMatches } from './glob.js';
import type { PolicyRoute, RouteMethod } from './policy.js';

/** A result that counts for a route, with the report it came from. */
export interface SelectedResult {
  result: InteractionResult;
  report: EvidenceReport;
  /** Upper-case method and the path without its query, as the route matches them. */
  method: string;
  path: string;
}

/** Which reports speak for one consumer under one route. */
export interface ConsumerEvidence {
  consumer: string;
  /** More than one only when equally new: all of them count, so command-line order never decides. */
  reports: EvidenceReport[];
}

export function requestPath(path: string): string {
  return path.split('?')[0]!;
}

export function under(route: Pick<PolicyRoute, 'methods' | 'path'>, method: string, path: string): boolean {
  return route.methods.includes(method.toUpperCase() as RouteMethod) && pathMatches(route.path, requestPath(path));
}

/**
 * True when the run that produced the report selected only some of the consumer's interactions
 * (`verify --filter-description/--filter-route/--filter-state`). A consumer filter keeps a kept
 * consumer's interactions whole.
 */
export function partialFor(report: EvidenceReport, consumer: string): boolean {
  const f = report.filters;
  if (!f) return false;
  if (f.consumers?.length && !f.consumers.includes(consumer)) return true;
  return Boolean(f.descriptions?.length || f.states?.length || f.routes?.length);
}

/** Describes a report's filters for messages: `route "GET /api/**"; description containing "eta"`. */
export function describeFilters(report: EvidenceReport): string {
  const f = report.filters ?? {};
  const list = (values: string[] | undefined) => (values ?? []).map((v) => JSON.stringify(v)).join(', ');
  return [
    f.consumers?.length ? `consumer ${list(f.consumers)}` : '',
    f.descriptions?.length ? `description containing ${list(f.descriptions)}` : '',
    f.states?.length ? `provider state ${list(f.states)}` : '',
    f.routes?.length ? `route ${list(f.routes)}` : '',
  ]
    .filter(Boolean)
    .join('; ');
}

function newest(reports: EvidenceReport[]): EvidenceReport[] {
  const latest = Math.max(...reports.map((r) => Date.parse(r.finishedAt)));
  return reports.filter((r) => Date.parse(r.finishedAt) === latest);
}

/** Each result with its method and path worked out once, however many routes look at it. */
const prepared = new WeakMap<EvidenceReport, Map<string, SelectedResult[]>>();
function entriesOf(report: EvidenceReport): Map<string, SelectedResult[]> {
  let byConsumer = prepared.get(report);
  if (!byConsumer) {
    byConsumer = new Map();
    for (const result of report.results) {
      const entry = { result, report, method: result.route.method.toUpperCase(), path: requestPath(result.route.path) };
      const list = byConsumer.get(result.consumer);
      if (list) list.push(entry);
      else byConsumer.set(result.consumer, [entry]);
    }
    prepared.set(report, byConsumer);
  }
  return byConsumer;
}

/**
 * Chooses, per consumer, the reports whose results count under a route. A complete run speaks for
 * the consumer: the newest complete one wins, and a partial (filtered) run never replaces it, older
 * or newer. Partial runs newer than it speak only for routes it has no results under. Reports that
 * finished at the same instant are all used (any failure in one blocks), whatever their order.
 */
export function selectEvidence(
  reports: EvidenceReport[],
  route: Pick<PolicyRoute, 'methods' | 'path'>,
): { consumers: ConsumerEvidence[]; results: SelectedResult[] } {
  const byConsumer = new Map<string, EvidenceReport[]>();
  for (const report of reports)
    for (const consumer of entriesOf(report).keys())
      byConsumer.set(consumer, [...(byConsumer.get(consumer) ?? []), report]);

  const methods = new Set<string>(route.methods);
  const underRoute = (report: EvidenceReport, consumer: string): SelectedResult[] =>
    (entriesOf(report).get(consumer) ?? []).filter((e) => methods.has(e.method) && pathMatches(route.path, e.path));
  const consumers: ConsumerEvidence[] = [];
  const results: SelectedResult[] = [];
  for (const consumer of [...byConsumer.keys()].sort()) {
    const own = byConsumer.get(consumer)!;
    const found = new Map(own.map((report) => [report, underRoute(report, consumer)]));
    const touches = (report: EvidenceReport) => found.get(report)!.length > 0;
    const complete = own.filter((r) => !partialFor(r, consumer));
    const latestComplete = complete.length > 0 ? newest(complete) : [];
    const since = latestComplete.length > 0 ? Date.parse(latestComplete[0]!.finishedAt) : -Infinity;
    let chosen = latestComplete.filter(touches);
    if (chosen.length === 0) {
      const later = own.filter((r) => partialFor(r, consumer) && Date.parse(r.finishedAt) > since && touches(r));
      chosen = later.length > 0 ? newest(later) : [];
    }
    if (chosen.length === 0) continue;
    consumers.push({ consumer, reports: chosen });
    for (const report of chosen) results.push(...found.get(report)!);
  }
  return { consumers, results };
}
