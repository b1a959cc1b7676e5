import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Kysely, Migrator, sql, PostgresDialect, SqliteDialect, type Transaction } from 'kysely';
import pg from 'pg';
import { ConfigError, CutoverError, ErrorCodes } from '@cutover/core';
import { migrationProvider } from './migrations.js';
import type { Database } from './schema.js';
import { openSqlite } from './sqlite.js';

export type Engine = 'sqlite' | 'postgres';

/** Where the broker keeps its data: a SQLite file (embedded) or a PostgreSQL URL (shared by several brokers). */
export type DatabaseConfig = { file: string } | { url: string };

export interface Storage {
  readonly engine: Engine;
  readonly db: Kysely<Database>;
  /** Runs `work` as one transaction: everything it wrote is committed, or nothing. */
  transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export type Db = Kysely<Database> | Transaction<Database>;

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(an unparseable URL)';
  }
}

/**
 * Opens (and creates, for SQLite) the broker's database and brings its schema up to date.
 * A database that cannot be opened or migrated is a `CUTOVER_BROKER_STORAGE_FAILED` error naming
 * the file or the URL (its password hidden).
 */
export async function openStorage(config: DatabaseConfig): Promise<Storage> {
  let engine: Engine;
  let db: Kysely<Database>;
  let where: string;
  if ('url' in config) {
    if (!/^postgres(ql)?:\/\//.test(config.url))
      throw new ConfigError(
        `database URL ${redact(config.url)}: only postgres:// and postgresql:// URLs are supported`,
        {
          details: { url: redact(config.url) },
        },
      );
    engine = 'postgres';
    where = redact(config.url);
    const pool = new pg.Pool({ connectionString: config.url, max: 10 });
    // An idle client losing its server must not crash the process; the next query reports it.
    pool.on('error', () => {});
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  } else {
    engine = 'sqlite';
    where = resolve(config.file);
    try {
      if (config.file !== ':memory:') mkdirSync(dirname(where), { recursive: true });
      const database = await openSqlite(config.file === ':memory:' ? ':memory:' : where);
      db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
    } catch (error) {
      throw new CutoverError(
        ErrorCodes.BROKER_STORAGE_FAILED,
        `${where}: the SQLite database cannot be opened: ${(error as Error).message}`,
        {
          cause: error,
          details: { file: where },
        },
      );
    }
  }
  try {
    const { error } = await new Migrator({ db, provider: migrationProvider(engine) }).migrateToLatest();
    if (error) throw error;
    // Planner statistics, gathered where missing or stale (bounded in time, as SQLite recommends on open).
    if (engine === 'sqlite') await sql`PRAGMA optimize = 0x10002`.execute(db);
  } catch (error) {
    await db.destroy().catch(() => {});
    throw new CutoverError(
      ErrorCodes.BROKER_STORAGE_FAILED,
      `${where}: the broker's database cannot be migrated: ${(error as Error).message}`,
      { cause: error, details: engine === 'sqlite' ? { file: where } : { url: where } },
    );
  }
  return {
    engine,
    db,
    transaction: (work) => db.transaction().execute(work),
    async close() {
      if (engine === 'sqlite') await sql`PRAGMA optimize`.execute(db).catch(() => {});
      await db.destroy();
    },
  };
}
