import type { Db } from '../storage/database.js';

/** A route of a recorded gate decision, as `cutover gate --json` writes it (fields read defensively). */
export interface DecidedRoute {
  name: string;
  outcome: string;
  methods?: string[];
  path?: string;
  currentWeight?: number;
  nextWeight?: number;
  requestedWeight?: number;
  forced?: boolean;
  interactions?: number;
  consumers?: string[];
  reasons?: { code?: string; message?: string; consumer?: string; interaction?: string }[];
  notes?: string[];
}

export type Parity = 'identical' | 'noise-only' | 'differs' | 'unknown';
export type Schema = 'valid' | 'regression' | 'not checked' | 'unknown';
export type Owner = 'monolith' | 'service' | 'split';

export interface RouteStatus {
  parity: Parity;
  schema: Schema;
  owner: Owner;
  /** The candidate's weight after the decision (0–100). */
  weight: number;
}

const num = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);

/**
 * What a person wants to know about a route from its latest decision: who serves it, how much
 * traffic the candidate gets, and whether parity and the OpenAPI document held.
 */
export function routeStatus(route: DecidedRoute): RouteStatus {
  const codes = new Set((route.reasons ?? []).map((r) => r.code));
  const weight = Math.min(100, Math.max(0, num(route.nextWeight, num(route.currentWeight, 0))));
  const noted = (route.notes ?? []).some((n) => /accepted as noise/.test(n));
  const parity: Parity = codes.has('parity-differs')
    ? 'differs'
    : codes.has('parity-noise') || noted
      ? 'noise-only'
      : codes.has('parity-not-compared') || codes.has('no-evidence') || num(route.interactions, 1) === 0
        ? 'unknown'
        : 'identical';
  const schema: Schema = [...codes].some((c) => c === 'schema-regression')
    ? 'regression'
    : codes.has('schema-not-checked')
      ? 'not checked'
      : route.outcome === 'allowed' || parity !== 'unknown'
        ? 'valid'
        : 'unknown';
  return { parity, schema, weight, owner: weight === 0 ? 'monolith' : weight === 100 ? 'service' : 'split' };
}

export interface RouteDecisionRow {
  decisionId: number;
  decidedAt: string;
  candidateVersion: string | null;
  outcome: string;
  policy: string;
  route: DecidedRoute;
}

function policyName(policy: unknown): string {
  if (typeof policy === 'string') return policy;
  if (policy && typeof policy === 'object') {
    const p = policy as { source?: unknown; provider?: unknown };
    if (typeof p.source === 'string') return p.source;
    if (typeof p.provider === 'string') return p.provider;
  }
  return '';
}

/**
 * Every route's decisions, oldest first (the board's timeline), from one query. `route` narrows it
 * to one route name.
 */
export async function routeHistory(db: Db, route?: string): Promise<Map<string, RouteDecisionRow[]>> {
  let q = db
    .selectFrom('decisions')
    .select(['id', 'decided_at', 'candidate_version', 'outcome', 'content'])
    .orderBy('decided_at')
    .orderBy('id');
  if (route !== undefined)
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('decision_routes as r')
          .select('r.decision_id')
          .whereRef('r.decision_id', '=', 'decisions.id')
          .where('r.route', '=', route),
      ),
    );
  const byRoute = new Map<string, RouteDecisionRow[]>();
  for (const d of await q.execute()) {
    const doc = JSON.parse(d.content) as { routes?: DecidedRoute[]; policy?: unknown };
    for (const r of doc.routes ?? []) {
      if (route !== undefined && r.name !== route) continue;
      const list = byRoute.get(r.name) ?? [];
      list.push({
        decisionId: d.id,
        decidedAt: d.decided_at,
        candidateVersion: d.candidate_version,
        outcome: d.outcome,
        policy: policyName(doc.policy),
        route: r,
      });
      byRoute.set(r.name, list);
    }
  }
  return byRoute;
}
