import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import {
  Kysely,
  Migrator,
  sql,
  PostgresDialect,
  SqliteDialect,
  type SqliteDatabase as KyselySqliteDatabase,
  type Transaction,
} from 'kysely';
import pg from 'pg';
import { ConfigError, CutoverError, ErrorCodes } from '@cutover/core';
import { migrationProvider } from './migrations.js';
import type { Database } from './schema.js';

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

/** How many prepared SQLite statements are kept; queries with `in (…)` lists of many lengths make the rest. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every query anew; on SQLite preparing costs as much as running a small query.
 * Statements are kept by SQL text (least recently used dropped). Reuse is safe because Kysely runs
 * one query at a time on the connection and reads every row (`all`) before the next.
 */
export function withStatementCache(sqlite: SqliteDatabase.Database): KyselySqliteDatabase {
  const statements = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => {
      statements.clear();
      sqlite.close();
    },
    prepare(text: string) {
      let statement = statements.get(text);
      if (statement) statements.delete(text);
      else {
        statement = sqlite.prepare(text);
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!);
      }
      statements.set(text, statement);
      return statement;
    },
  };
}

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
    if (Number(process.versions.node.split('.')[0]) >= 24)
      // A refusal with a way out beats a SIGABRT in the middle of serving.
      throw new CutoverError(
        ErrorCodes.BROKER_STORAGE_FAILED,
        `${where}: the SQLite engine is not available on Node ${process.versions.node}: better-sqlite3 12 aborts the process when Node 24 garbage-collects a prepared statement ("Assertion failed: (env) != nullptr", WiseLibs/better-sqlite3#1515). Run the broker on Node 20 or 22, or on PostgreSQL (--database-url postgres://…).`,
        { details: { file: where } },
      );
    try {
      if (config.file !== ':memory:') mkdirSync(dirname(where), { recursive: true });
      const sqlite = new SqliteDatabase(config.file === ':memory:' ? ':memory:' : where);
      // WAL lets reads proceed during a write; synchronous=FULL makes an acknowledged write durable.
      sqlite.pragma('journal_mode = WAL');
      sqlite.pragma('synchronous = FULL');
      sqlite.pragma('foreign_keys = ON');
      sqlite.pragma('busy_timeout = 5000');
      // A 64 MiB page cache (the default is 2 MiB): can-i-deploy's index lookups into a database of
      // a million pacts stay in memory instead of going back to the file for every page.
      sqlite.pragma('cache_size = -65536');
      db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
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
