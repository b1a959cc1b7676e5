/**
 * Whether the evidence under a route covers what the route moves: every method, the breadth of its
 * path pattern, and (with the current pacts) every request of every pact under it.
 */
import type { InteractionResult } from '@cutover/core';
import { exercises } from '@cutover/openapi/lite';
import type { PactRequest } from './broker-evidence.js';
import type { PactFingerprint } from './evidence.js';
import { operationsUnder, type DocumentedOperation } from './openapi.js';
import type { PolicyRoute } from './policy.js';
import type { BlockReason } from './reasons.js';
import { describeFilters, partialFor, under, type ConsumerEvidence, type SelectedResult } from './select.js';

/** The paths the evidence covers for one method: OpenAPI templates where known, else the request paths. */
export interface MethodCoverage {
  method: string;
  paths: string[];
}

const segments = (path: string): string[] => path.replace(/\/+$/, '').split('/').slice(1);

function shapeOf(s: SelectedResult): string {
  return s.result.route.template ?? s.path;
}

/**
 * A `**` in the route moves every path below it. When all the method's evidence sits in one
 * literal subtree right below it (`/api/items/…` under `/**`), the route is broader than what was
 * verified. The last segment of a path and template parameters may be identifiers, so they never
 * narrow the evidence.
 */
function narrowerSubtree(route: PolicyRoute, shapes: string[]): string | undefined {
  const pattern = segments(route.path);
  const k = pattern.indexOf('**');
  if (k === -1) return undefined;
  let subtree: string | undefined;
  for (const shape of shapes) {
    const parts = segments(shape);
    const first = parts[k];
    if (first === undefined || parts.length <= k + 1 || /^\{[^{}/]+\}$/.test(first)) return undefined;
    if (subtree !== undefined && subtree !== first) return undefined;
    subtree = first;
  }
  return subtree === undefined ? undefined : `/${[...pattern.slice(0, k), subtree, '**'].join('/')}`;
}

/**
 * Per method of the route: the paths its evidence covers, `method-not-verified` when it has none,
 * and `route-broader-than-evidence` when the route's `**` opens more than the evidence reaches
 * (unless the policy allows it with `allowBroaderThanEvidence`).
 */
export function methodCoverage(
  route: PolicyRoute,
  selected: SelectedResult[],
): { coverage: MethodCoverage[]; reasons: BlockReason[] } {
  const coverage: MethodCoverage[] = [];
  const reasons: BlockReason[] = [];
  for (const method of route.methods) {
    const paths = [...new Set(selected.filter((s) => s.method === method).map(shapeOf))].sort();
    coverage.push({ method, paths });
    if (selected.length === 0) continue; // `no-interactions` says it for the whole route
    if (paths.length === 0) {
      reasons.push({
        code: 'method-not-verified',
        message: `${method} ${route.path}: no verified interaction uses ${method}, yet the route would send ${method} requests to the candidate (verified: ${[...new Set(selected.map((s) => s.method))].sort().join(', ')}); verify ${method} interactions or drop ${method} from the route's methods`,
      });
      continue;
    }
    const subtree = narrowerSubtree(route, paths);
    if (subtree !== undefined && !route.rules.allowBroaderThanEvidence)
      reasons.push({
        code: 'route-broader-than-evidence',
        message: `${method} ${route.path}: the evidence covers only ${subtree} (${paths.slice(0, 3).join(', ')}${paths.length > 3 ? `, +${paths.length - 3} more` : ''}), but the route moves every ${method} request under ${route.path}; narrow the route, verify interactions elsewhere under it, or set allowBroaderThanEvidence: true in its rules`,
      });
  }
  return { coverage, reasons };
}

const requestKey = (description: string, method: string, path: string): string =>
  `${description}\u0000${method.toUpperCase()}\u0000${path}`;

/**
 * Which requests of one pact the results stand for: by the interaction's position where a result
 * records it, else by description, method and path.
 */
export function requestCoverage(
  results: Pick<InteractionResult, 'index' | 'description' | 'route'>[],
): (request: PactRequest) => boolean {
  const seen = new Set(
    results.map((r) =>
      r.index !== undefined ? `#${r.index}` : requestKey(r.description, r.route.method, r.route.path),
    ),
  );
  return (req) => seen.has(`#${req.index}`) || seen.has(requestKey(req.description, req.method, req.path));
}

/** The current pacts the gate checks a consumer's evidence against. */
export function currentPactsOf(
  consumer: string,
  pacts: PactFingerprint[] | undefined,
  provider: string | undefined,
): PactFingerprint[] {
  return (pacts ?? []).filter((p) => p.consumer === consumer && (provider === undefined || p.provider === provider));
}

/**
 * With the current pacts: every request of a consumer's pact under the route must have a result in
 * the evidence that verified exactly that pact content (matched by pact and position, or by
 * description and request where the results predate positions). Without them, a filtered run cannot
 * show it verified everything, so it is never full evidence.
 */
export function interactionCoverage(
  route: PolicyRoute,
  evidence: ConsumerEvidence,
  selected: SelectedResult[],
  pacts: PactFingerprint[] | undefined,
  provider: string | undefined,
): BlockReason[] {
  const { consumer } = evidence;
  const current = currentPactsOf(consumer, pacts, provider);
  const reasons: BlockReason[] = [];
  if (current.length === 0) {
    for (const report of evidence.reports)
      if (partialFor(report, consumer))
        reasons.push({
          code: 'evidence-partial',
          consumer,
          source: report.source,
          message: `${consumer}: ${report.source} comes from a filtered run (${describeFilters(report)}), so nothing shows that every interaction of ${consumer} under ${route.methods.join(',')} ${route.path} was verified; verify without filters, or give the current pacts (--pact) so the gate can check each interaction has a result`,
        });
    return reasons;
  }
  for (const pact of current) {
    const requests = pact.requests.filter((req) => under(route, req.method, req.path));
    // Reports that verified other content are `stale-evidence`; positions in them mean nothing here.
    const verifying = evidence.reports.filter((report) =>
      report.pacts.some((p) => p.consumer === consumer && p.provider === pact.provider && p.sha256 === pact.sha256),
    );
    if (verifying.length === 0) continue;
    const covers = requestCoverage(
      selected.flatMap(({ result, report }) => {
        if (result.consumer !== consumer || !verifying.includes(report)) return [];
        const from = result.pact === undefined ? undefined : report.pacts[result.pact];
        if (from !== undefined && from.sha256 !== pact.sha256) return [];
        // A position means something only in the pact it points at.
        return [from === undefined ? { ...result, index: undefined } : result];
      }),
    );
    for (const req of requests) {
      const found = covers(req);
      if (!found)
        reasons.push({
          code: 'interaction-missing',
          consumer,
          interaction: req.description,
          source: pact.source,
          message: `${consumer} › "${req.description}" (${req.method} ${req.path}, interactions[${req.index}] of ${pact.source}) falls under ${route.methods.join(',')} ${route.path} but has no result in ${verifying.map((r) => r.source).join(', ')}${verifying.some((r) => partialFor(r, consumer)) ? ` (a filtered run: ${describeFilters(verifying.find((r) => partialFor(r, consumer))!)})` : ''}; verify it`,
        });
    }
  }
  return reasons;
}

/**
 * `consumer-missing` for each consumer whose current pact has requests under the route but no
 * results in the evidence, and for each required consumer without a verified interaction there.
 * `found` are the reasons so far: a consumer already reported missing is not reported twice.
 */
export function consumerCoverage(
  route: PolicyRoute,
  consumers: string[],
  found: readonly BlockReason[],
  pacts: PactFingerprint[] | undefined,
  provider: string | undefined,
): BlockReason[] {
  const reasons: BlockReason[] = [];
  const reported = (consumer: string): boolean =>
    consumers.includes(consumer) ||
    [...found, ...reasons].some((r) => r.code === 'consumer-missing' && r.consumer === consumer);
  for (const current of pacts ?? []) {
    if (provider !== undefined && current.provider !== provider) continue;
    if (reported(current.consumer)) continue;
    const touching = current.requests.filter((req) => under(route, req.method, req.path));
    if (touching.length > 0)
      reasons.push({
        code: 'consumer-missing',
        consumer: current.consumer,
        source: current.source,
        message: `${current.consumer}: its pact ${current.source} has ${touching.length} interaction(s) under ${route.methods.join(',')} ${route.path} (e.g. ${touching[0]!.method} ${touching[0]!.path}) but the evidence has no results for them`,
      });
  }
  for (const consumer of route.rules.requiredConsumers)
    if (!reported(consumer))
      reasons.push({
        code: 'consumer-missing',
        consumer,
        message: `required consumer ${consumer} has no verified interaction under ${route.methods.join(',')} ${route.path}`,
      });
  return reasons;
}

/**
 * With `requireAllOperationsExercised`: `operation-not-exercised` for each documented operation
 * under the route that no selected result exercises, `openapi-missing` without a document.
 */
export function operationCoverage(
  route: PolicyRoute,
  selected: SelectedResult[],
  operations: DocumentedOperation[] | undefined,
): BlockReason[] {
  if (!route.rules.requireAllOperationsExercised) return [];
  if (!operations)
    return [
      {
        code: 'openapi-missing',
        message:
          'the policy requires every documented operation to be exercised, but no OpenAPI document was given (--openapi)',
      },
    ];
  const reasons: BlockReason[] = [];
  for (const op of operationsUnder(route, operations)) {
    if (!selected.some(({ result }) => exercises(op, result.route)))
      reasons.push({
        code: 'operation-not-exercised',
        operation: { method: op.method, path: op.path },
        message: `documented operation ${op.method} ${op.path}${op.operationId ? ` (${op.operationId})` : ''} is exercised by no consumer`,
      });
  }
  return reasons;
}
