import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { board } from '../cutover/routes.js';
import { openStorage } from './database.js';
import { migrationProvider } from './migrations.js';
import { openSqlite } from './sqlite.js';

describe('migrations of a database written by an earlier broker', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('gives recorded decision routes their decision time, so the board draws them as before', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cutover-migrate-'));
    dirs.push(dir);
    const file = join(dir, 'broker.db');
    // A database as the broker left it at migration 0003, with two decisions recorded.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the schema of an earlier version
    const old = new Kysely<any>({ dialect: new SqliteDialect({ database: await openSqlite(file) }) });
    const { error } = await new Migrator({ db: old, provider: migrationProvider('sqlite') }).migrateTo(
      '0003-decision-route-weight',
    );
    expect(error).toBeUndefined();
    for (const [id, decidedAt, weight] of [
      [1, '2026-01-01T00:00:00.000Z', 0],
      [2, '2026-01-02T00:00:00.000Z', 25],
    ] as const) {
      const doc = {
        decidedAt,
        outcome: 'allowed',
        routes: [{ name: 'orders', outcome: 'allowed', nextWeight: weight }],
      };
      await old
        .insertInto('decisions')
        .values({ id, outcome: 'allowed', decided_at: decidedAt, content: JSON.stringify(doc), created_at: decidedAt })
        .execute();
      await old
        .insertInto('decision_routes')
        .values({ decision_id: id, route: 'orders', outcome: 'allowed', next_weight: weight })
        .execute();
    }
    await old.destroy();

    const storage = await openStorage({ file });
    try {
      const routes = await storage.db.selectFrom('decision_routes').select(['decision_id', 'decided_at']).execute();
      expect(routes.sort((a, b) => a.decision_id - b.decision_id)).toEqual([
        { decision_id: 1, decided_at: '2026-01-01T00:00:00.000Z' },
        { decision_id: 2, decided_at: '2026-01-02T00:00:00.000Z' },
      ]);
      const [orders] = await board(storage.db);
      expect(orders).toMatchObject({ route: 'orders', decisions: 2, latest: { decisionId: 2 } });
      expect(orders!.points.map((p) => p.weight)).toEqual([0, 25]);
    } finally {
      await storage.close();
    }
  });
});
