import type { ReasonCode } from './evidence.js';

/** Where a rolled-back route goes: all traffic to the monolith, or the rollout step below today's weight. */
export type RollbackTarget = 'zero' | 'previous-step';

/**
 * Reasons that show the candidate itself is wrong: it fails the pact, answers differently from
 * the monolith (on pacts or on live shadow traffic), breaks the OpenAPI document, or could not answer. With traffic on it, these take
 * the traffic back. Reasons about missing, stale or foreign evidence say nothing about the
 * candidate's answers: they block any further step but hold today's weight.
 */
export const ROLLBACK_REASONS: ReadonlySet<ReasonCode> = new Set<ReasonCode>([
  'pact-failed',
  'parity-differs',
  'parity-noise',
  'schema-regression',
  'schema-baseline',
  'interaction-errored',
  'shadow-differs',
]);

/** A route the gate takes traffic away from. */
export interface RouteRollback {
  from: number;
  to: number;
  /** The distinct reason codes that caused it, in the order first seen. */
  because: ReasonCode[];
}

interface RollbackInput {
  outcome: 'allowed' | 'blocked';
  currentWeight: number;
  rolloutSteps: readonly number[];
  rollbackTo: RollbackTarget;
  reasons: readonly { code: ReasonCode }[];
}

/**
 * The rollback a blocked route gets, or undefined: only a route that has traffic on the candidate
 * (`currentWeight` > 0) and evidence that the candidate is wrong rolls back.
 *
 * @example
 * rollbackOf({ outcome: 'blocked', currentWeight: 10, rolloutSteps: [1, 10, 50, 100], rollbackTo: 'previous-step', reasons: [{ code: 'parity-differs' }] })
 * // { from: 10, to: 1, because: ['parity-differs'] }
 */
export function rollbackOf(route: RollbackInput): RouteRollback | undefined {
  if (route.outcome !== 'blocked' || route.currentWeight === 0) return undefined;
  const because = [...new Set(route.reasons.map((r) => r.code).filter((code) => ROLLBACK_REASONS.has(code)))];
  if (because.length === 0) return undefined;
  const to =
    route.rollbackTo === 'previous-step'
      ? ([...route.rolloutSteps].reverse().find((step) => step < route.currentWeight) ?? 0)
      : 0;
  return { from: route.currentWeight, to, because };
}

/**
 * Applies rollbacks to a decision's routes (mutating them) and says whether any happened. A run
 * that rolls a route back moves no other route forward: allowed routes hold today's weight, so
 * the artifact applied during an incident changes only what must go back.
 */
export function applyRollbacks(
  routes: {
    name: string;
    outcome: 'allowed' | 'blocked';
    currentWeight: number;
    nextWeight: number;
    forced: boolean;
    rollback?: RouteRollback;
    notes: string[];
  }[],
  policyRoutes: readonly { name: string; rolloutSteps: readonly number[]; rollbackTo: RollbackTarget }[],
  reasonsOf: (index: number) => readonly { code: ReasonCode }[],
): boolean {
  routes.forEach((route, i) => {
    const rule = policyRoutes[i]!;
    const rollback = rollbackOf({
      ...route,
      rolloutSteps: rule.rolloutSteps,
      rollbackTo: rule.rollbackTo,
      reasons: reasonsOf(i),
    });
    if (!rollback) return;
    route.rollback = rollback;
    route.nextWeight = rollback.to;
  });
  const rolled = routes.filter((r) => r.rollback);
  if (rolled.length === 0) return false;
  for (const route of routes)
    if (!route.rollback && route.nextWeight !== route.currentWeight) {
      route.notes.push(
        `held at ${route.currentWeight}% (would move to ${route.nextWeight}%): ${rolled.map((r) => r.name).join(', ')} rolls back in this run`,
      );
      route.nextWeight = route.currentWeight;
      route.forced = false;
    }
  return true;
}

/** `ROLLBACK tracking 1% → 0% (parity-differs)`, the line every report opens with. */
export function rollbackLine(route: { name: string; rollback?: RouteRollback }): string {
  const r = route.rollback!;
  return `${route.name} ${r.from}% → ${r.to}% (${r.because.join(', ')})`;
}
