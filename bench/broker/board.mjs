// The migration board's server time (`GET /ui/board` through `app.inject`) with 50 routes and
// 1,000 recorded decisions (every decision covering every route, as a policy's gate run does).
// Checks the board lists all 50 routes before timing, then prints every run and the median.
// SQLite in a temporary file; DATABASE_URL=postgres://… times PostgreSQL instead. ROUTES,
// DECISIONS and RUNS change the size. bench.mjs runs it for each engine as well.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createBroker } from '../../packages/broker/dist/index.js';

// The rollout steps of a policy; each route climbs them over the decisions.
const STEPS = [0, 1, 5, 10, 25, 50, 100];

/** Seeds the decisions straight through the storage (the bench times reading, not 1,000 posts), then times the board. */
export async function measureBoard(
  database,
  {
    routes: ROUTES = Number(process.env.ROUTES ?? 50),
    decisions: DECISIONS = Number(process.env.DECISIONS ?? 1000),
    runs: RUNS = Number(process.env.RUNS ?? 15),
  } = {},
) {
  const broker = await createBroker({ database, webhooks: { deliver: false } });
  try {
    const start = Date.parse('2026-01-01T00:00:00Z');
    const routes = Array.from({ length: ROUTES }, (_, r) => `route-${String(r).padStart(2, '0')}`);
    for (let d = 0; d < DECISIONS; d += 100) {
      await broker.storage.transaction(async (trx) => {
        for (let i = d; i < Math.min(d + 100, DECISIONS); i++) {
          const decidedAt = new Date(start + i * 3_600_000).toISOString();
          const doc = {
            format: 'cutover.gate-decision/v1',
            decidedAt,
            policy: { source: 'contracts/cutover.yaml', provider: 'logistics' },
            candidateVersion: `1.0.${i}`,
            outcome: i % 7 === 0 ? 'blocked' : 'allowed',
            routes: routes.map((name, r) => ({
              name,
              methods: ['GET'],
              path: `/api/${name}/**`,
              outcome: (i + r) % 7 === 0 ? 'blocked' : 'allowed',
              currentWeight: STEPS[Math.min(STEPS.length - 1, Math.floor((i * STEPS.length) / DECISIONS))],
              nextWeight: STEPS[Math.min(STEPS.length - 1, Math.floor(((i + 1) * STEPS.length) / DECISIONS))],
              interactions: 4,
              reasons: (i + r) % 7 === 0 ? [{ code: 'parity-differs', message: 'the candidate differs at $.eta' }] : [],
              notes: [],
            })),
          };
          const { id } = await trx
            .insertInto('decisions')
            .values({
              candidate_version: doc.candidateVersion,
              outcome: doc.outcome,
              decided_at: decidedAt,
              content: JSON.stringify(doc),
              created_at: decidedAt,
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          // As POST /cutover/decisions stores them: the weight in its column, for the timeline.
          await trx
            .insertInto('decision_routes')
            .values(
              doc.routes.map((r) => ({
                decision_id: id,
                route: r.name,
                outcome: r.outcome,
                next_weight: r.nextWeight,
                decided_at: decidedAt,
              })),
            )
            .execute();
        }
      });
    }
    const first = await broker.app.inject({ method: 'GET', url: '/ui/board' });
    const rows = (first.body.match(/<tr data-route=/g) ?? []).length;
    if (first.statusCode !== 200 || rows !== ROUTES)
      throw new Error(`the board listed ${rows} routes (status ${first.statusCode}), not ${ROUTES}`);
    const times = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      const res = await broker.app.inject({ method: 'GET', url: '/ui/board' });
      times.push(performance.now() - t);
      if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}`);
    }
    const sorted = [...times].sort((a, b) => a - b);
    return {
      routes: ROUTES,
      decisions: DECISIONS,
      kib: first.body.length / 1024,
      times,
      median: sorted[Math.floor(sorted.length / 2)],
    };
  } finally {
    await broker.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-board-bench-'));
  try {
    const r = await measureBoard(
      process.env.DATABASE_URL ? { url: process.env.DATABASE_URL } : { file: join(dir, 'broker.db') },
    );
    console.log(`board: ${r.routes} routes, ${r.decisions} decisions, ${r.kib.toFixed(0)} KiB of HTML`);
    console.log(`runs (ms): ${r.times.map((t) => t.toFixed(1)).join(' ')}`);
    console.log(`median: ${r.median.toFixed(1)} ms`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
