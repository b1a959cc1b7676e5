import { sql } from 'kysely';
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
  /** Set when the gate took traffic back from the candidate (`outcome` stays `blocked`). */
  rollback?: { from?: number; to?: number; because?: string[] };
}

/** The outcome a person reads: a blocked route whose traffic the gate took back is `rolled back`. */
export function displayOutcome(route: DecidedRoute): string {
  return route.outcome === 'blocked' && route.rollback ? 'rolled back' : route.outcome;
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

export interface TimelinePoint {
  decisionId: number;
  decidedAt: string;
  outcome: string;
  weight: number | null;
}

/**
 * Every route's weight over time, oldest first, from the decision index alone (no decision is
 * parsed), and each route's latest decision in full: what the board needs, in three queries.
 */
export async function board(
  db: Db,
): Promise<{ route: string; points: TimelinePoint[]; decisions: number; latest: RouteDecisionRow }[]> {
  // Only the decisions where a route's weight changes (and each route's first and last) leave the
  // database: a window query on both engines, over the timeline index in its own order (no join, no
  // sort of every decision), so 1,000 decisions of 50 routes stay a few hundred rows.
  const [{ rows }, counts] = await Promise.all([
    sql<{
      route: string;
      decision_id: number;
      outcome: string;
      next_weight: number | null;
      decided_at: string;
    }>`SELECT route, decision_id, outcome, next_weight, decided_at FROM (
      SELECT route, decision_id, outcome, next_weight, decided_at,
        LAG(next_weight) OVER w AS before_weight, LEAD(next_weight) OVER w AS after_weight,
        ROW_NUMBER() OVER w AS n, LEAD(decision_id) OVER w AS next_id
      FROM decision_routes
      WINDOW w AS (PARTITION BY route ORDER BY decided_at, decision_id)
    ) x
    WHERE n = 1 OR next_id IS NULL OR before_weight IS DISTINCT FROM next_weight OR after_weight IS DISTINCT FROM next_weight
    ORDER BY decided_at, decision_id`.execute(db),
    db
      .selectFrom('decision_routes')
      .select(['route', (eb) => eb.fn.countAll().as('total')])
      .groupBy('route')
      .execute(),
  ]);
  const totals = new Map(counts.map((c) => [c.route, Number(c.total)]));
  const points = new Map<string, TimelinePoint[]>();
  for (const r of rows) {
    const list = points.get(r.route) ?? [];
    list.push({
      decisionId: r.decision_id,
      decidedAt: r.decided_at,
      outcome: r.outcome,
      weight: r.next_weight === null ? null : Number(r.next_weight),
    });
    points.set(r.route, list);
  }
  const latestIds = [...new Set([...points.values()].map((l) => l.at(-1)!.decisionId))];
  const docs = new Map<
    number,
    {
      d: { id: number; decided_at: string; candidate_version: string | null; outcome: string };
      doc: { routes?: DecidedRoute[]; policy?: unknown };
    }
  >();
  for (let i = 0; i < latestIds.length; i += 500) {
    const chunk = await db
      .selectFrom('decisions')
      .select(['id', 'decided_at', 'candidate_version', 'outcome', 'content'])
      .where('id', 'in', latestIds.slice(i, i + 500))
      .execute();
    for (const d of chunk)
      docs.set(d.id, { d, doc: JSON.parse(d.content) as { routes?: DecidedRoute[]; policy?: unknown } });
  }
  const out = [];
  for (const [route, list] of points) {
    const { d, doc } = docs.get(list.at(-1)!.decisionId)!;
    const r = (doc.routes ?? []).find((x) => x.name === route);
    if (!r) continue;
    out.push({
      route,
      points: list,
      decisions: totals.get(route) ?? list.length,
      latest: {
        decisionId: d.id,
        decidedAt: d.decided_at,
        candidateVersion: d.candidate_version,
        outcome: d.outcome,
        policy: policyName(doc.policy),
        route: r,
      },
    });
  }
  return out;
}
