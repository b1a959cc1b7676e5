import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, Migrator, SqliteDialect, sql, type SqliteDatabase } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openStorage } from './database.js';
import { migrationProvider } from './migrations.js';
import type { Database } from './schema.js';
import {
  defaultSqliteDriver,
  hasNodeSqlite,
  loadNodeSqlite,
  nodeSqliteDatabase,
  openSqlite,
  withoutExperimentalWarning,
  withStatementCache,
  type SqliteDriver,
} from './sqlite.js';

const node = process.versions.node;
const betterSqliteRuns = defaultSqliteDriver() === 'better-sqlite3';
const nodeSqliteRuns = hasNodeSqlite();
const drivers: Array<{ driver: SqliteDriver; runs: boolean; name: string }> = [
  {
    driver: 'better-sqlite3',
    runs: betterSqliteRuns,
    name: betterSqliteRuns
      ? 'better-sqlite3'
      : `better-sqlite3 (skipped: Node ${node} runs node:sqlite; better-sqlite3 12 aborts on Node 24)`,
  },
  {
    driver: 'node:sqlite',
    runs: nodeSqliteRuns,
    name: nodeSqliteRuns ? 'node:sqlite' : `node:sqlite (skipped: Node ${node} has no node:sqlite)`,
  },
];

/** The driver's own database, wrapped as Kysely expects it and nothing more (no pragmas, no cache). */
async function bareDatabase(driver: SqliteDriver): Promise<SqliteDatabase> {
  if (driver === 'node:sqlite') return nodeSqliteDatabase(new (loadNodeSqlite().DatabaseSync)(':memory:'));
  const { default: BetterSqlite3 } = await import('better-sqlite3');
  return new BetterSqlite3(':memory:');
}

const dirs: string[] = [];
function tempFile(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-sqlite-'));
  dirs.push(dir);
  return join(dir, name);
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('the SQLite driver for a Node version', () => {
  it('is better-sqlite3 on Node 20 and 22 and node:sqlite from Node 24 on', () => {
    expect(defaultSqliteDriver('20.19.0')).toBe('better-sqlite3');
    expect(defaultSqliteDriver('22.21.1')).toBe('better-sqlite3');
    expect(defaultSqliteDriver('24.0.0')).toBe('node:sqlite');
    expect(defaultSqliteDriver('25.2.1')).toBe('node:sqlite');
  });
});

describe.each(drivers)('SQLite through $name', ({ driver, runs }) => {
  it.runIf(runs)('sets WAL, synchronous=FULL, foreign_keys, busy_timeout and a 64 MiB page cache', async () => {
    const db = new Kysely<unknown>({
      dialect: new SqliteDialect({ database: await openSqlite(tempFile('p.db'), driver) }),
    });
    try {
      const pragma = async (name: string) => (await sql.raw(`PRAGMA ${name}`).execute(db)).rows[0];
      expect(await pragma('journal_mode')).toEqual({ journal_mode: 'wal' });
      expect(await pragma('synchronous')).toEqual({ synchronous: 2 });
      expect(await pragma('foreign_keys')).toEqual({ foreign_keys: 1 });
      expect(await pragma('busy_timeout')).toEqual({ timeout: 5000 });
      expect(await pragma('cache_size')).toEqual({ cache_size: -65536 });
    } finally {
      await db.destroy();
    }
  });

  it.runIf(runs)(
    'returns rows as plain objects: integers as numbers, reals, text, null, and blobs as Buffers',
    async () => {
      const db = new Kysely<unknown>({
        dialect: new SqliteDialect({ database: await openSqlite(':memory:', driver) }),
      });
      try {
        const { rows } = await sql<
          Record<string, unknown>
        >`select 42 as i, ${2 ** 53 - 1} as big, 1.5 as r, 'é' as t, null as n, x'00ff' as b, ${Buffer.from('hi')} as p`.execute(
          db,
        );
        expect(rows).toHaveLength(1);
        const [row] = rows;
        expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
        expect(row).toEqual({
          i: 42,
          big: 2 ** 53 - 1,
          r: 1.5,
          t: 'é',
          n: null,
          b: Buffer.from([0, 255]),
          p: Buffer.from('hi'),
        });
        expect(Buffer.isBuffer(row!.b)).toBe(true);
        expect(Buffer.isBuffer(row!.p)).toBe(true);
        expect(typeof row!.i).toBe('number');
      } finally {
        await db.destroy();
      }
    },
  );

  it.runIf(runs)(
    "runs the broker's migrations and transactions: a failed one leaves nothing, a committed one stays, foreign keys hold",
    async () => {
      const db = new Kysely<Database>({
        dialect: new SqliteDialect({ database: await openSqlite(':memory:', driver) }),
      });
      try {
        const { error } = await new Migrator({ db, provider: migrationProvider('sqlite') }).migrateToLatest();
        expect(error).toBeUndefined();
        const now = '2026-01-01T00:00:00.000Z';
        await expect(
          db.transaction().execute(async (trx) => {
            await trx
              .insertInto('pacticipants')
              .values({ name: 'Rolled back', created_at: now, updated_at: now })
              .execute();
            throw new Error('abandon');
          }),
        ).rejects.toThrow('abandon');
        const inserted = await db
          .transaction()
          .execute((trx) =>
            trx
              .insertInto('pacticipants')
              .values({ name: 'Web', created_at: now, updated_at: now })
              .returning('id')
              .executeTakeFirstOrThrow(),
          );
        expect(inserted).toEqual({ id: 1 });
        const result = await db
          .insertInto('pacticipants')
          .values({ name: 'Orders', created_at: now, updated_at: now })
          .executeTakeFirst();
        expect(result).toMatchObject({ insertId: 2n, numInsertedOrUpdatedRows: 1n });
        expect(await db.selectFrom('pacticipants').select(['id', 'name']).orderBy('id').execute()).toEqual([
          { id: 1, name: 'Web' },
          { id: 2, name: 'Orders' },
        ]);
        await expect(
          db.insertInto('versions').values({ pacticipant_id: 99, number: '1', created_at: now }).execute(),
        ).rejects.toThrow(/FOREIGN KEY constraint failed/);
        const streamed: unknown[] = [];
        for await (const row of db.selectFrom('pacticipants').select('name').orderBy('id').stream()) streamed.push(row);
        expect(streamed).toEqual([{ name: 'Web' }, { name: 'Orders' }]);
      } finally {
        await db.destroy();
      }
    },
  );

  it.runIf(runs)(
    'says which statements return rows: queries, `returning` and pragmas do; writes and DDL do not',
    async () => {
      const database = await bareDatabase(driver);
      try {
        database.prepare('create table t (a integer)').run([]);
        const reader = (text: string) => database.prepare(text).reader;
        expect(reader('select a from t')).toBe(true);
        expect(reader('insert into t (a) values (?) returning a')).toBe(true);
        expect(reader('pragma journal_mode')).toBe(true);
        expect(reader('insert into t (a) values (?)')).toBe(false);
        expect(reader('update t set a = 2')).toBe(false);
        expect(reader('create index t_a on t (a)')).toBe(false);
        expect(reader('begin')).toBe(false);
      } finally {
        database.close();
      }
    },
  );

  it.runIf(runs)(
    'prepares each SQL text once and keeps at most 500 statements, least recently used dropped',
    async () => {
      const database = await bareDatabase(driver);
      let prepared = 0;
      const cached = withStatementCache({
        close: () => database.close(),
        prepare(text) {
          prepared++;
          return database.prepare(text);
        },
      });
      const first = cached.prepare('select 1');
      expect(cached.prepare('select 1')).toBe(first);
      expect(prepared).toBe(1);
      for (let i = 0; i < 600; i++) cached.prepare(`select ${i + 2}`);
      expect(prepared).toBe(601);
      cached.prepare('select 601');
      expect(prepared).toBe(601);
      cached.prepare('select 1');
      expect(prepared).toBe(602);
      expect(cached.prepare('select 601').all([])).toEqual([{ 601: 601 }]);
      cached.close();
    },
  );
});

describe('the broker on the SQLite driver of this Node', () => {
  it(`stores and reads its data (Node ${node}, ${defaultSqliteDriver()})`, async () => {
    const file = tempFile('broker.db');
    const storage = await openStorage({ file });
    try {
      expect(storage.engine).toBe('sqlite');
      await storage.transaction((trx) =>
        trx
          .insertInto('pacticipants')
          .values({ name: 'Web', created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z' })
          .execute(),
      );
    } finally {
      await storage.close();
    }
    const reopened = await openStorage({ file });
    try {
      expect(await reopened.db.selectFrom('pacticipants').select('name').execute()).toEqual([{ name: 'Web' }]);
    } finally {
      await reopened.close();
    }
  });

  it('refuses a file that is not a SQLite database with CUTOVER_BROKER_STORAGE_FAILED naming it', async () => {
    const file = tempFile('not-a-database.db');
    writeFileSync(file, 'this is not a SQLite database, but it is long enough to have a header of one'.repeat(20));
    await expect(openStorage({ file })).rejects.toMatchObject({
      code: 'CUTOVER_BROKER_STORAGE_FAILED',
      message: expect.stringContaining(file),
      details: { file },
    });
  });
});

describe('loading node:sqlite quietly', () => {
  it('drops only the "SQLite is an experimental feature" warning, passes every other and restores emitWarning', () => {
    const emitWarning = process.emitWarning;
    const passed: unknown[][] = [];
    const recorder = ((...args: unknown[]) => void passed.push(args)) as typeof process.emitWarning;
    process.emitWarning = recorder;
    try {
      const sqlite = 'SQLite is an experimental feature and might change at any time';
      const value = withoutExperimentalWarning('SQLite', () => {
        process.emitWarning(sqlite, 'ExperimentalWarning');
        process.emitWarning('Fetch is an experimental feature and might change at any time', 'ExperimentalWarning');
        process.emitWarning(sqlite, 'DeprecationWarning');
        process.emitWarning('disk almost full', { code: 'X' });
        return 7;
      });
      expect(value).toBe(7);
      expect(passed).toEqual([
        ['Fetch is an experimental feature and might change at any time', 'ExperimentalWarning'],
        [sqlite, 'DeprecationWarning'],
        ['disk almost full', { code: 'X' }],
      ]);
      expect(process.emitWarning).toBe(recorder);
      expect(() =>
        withoutExperimentalWarning('SQLite', () => {
          throw new Error('load failed');
        }),
      ).toThrow('load failed');
      expect(process.emitWarning).toBe(recorder);
      process.emitWarning(sqlite, 'ExperimentalWarning');
      expect(passed).toHaveLength(4);
    } finally {
      process.emitWarning = emitWarning;
    }
  });
});
