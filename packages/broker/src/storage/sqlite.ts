import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/**
 * The library that runs the broker's SQLite file. better-sqlite3 12 aborts the process when Node 24
 * garbage-collects one of its prepared statements (WiseLibs/better-sqlite3#1515; fixed only in 13,
 * which needs Node 22 or later), so from Node 24 on the broker uses Node's built-in `node:sqlite`.
 */
export type SqliteDriver = 'better-sqlite3' | 'node:sqlite';

/** The driver for a Node version (`process.versions.node` by default). */
export function defaultSqliteDriver(nodeVersion: string = process.versions.node): SqliteDriver {
  return Number(nodeVersion.split('.')[0]) >= 24 ? 'node:sqlite' : 'better-sqlite3';
}

// The part of node:sqlite the broker uses (its types are not in @types/node 20).
type NodeSqliteValue = null | number | bigint | string | Uint8Array;
type NodeSqliteRow = Record<string, NodeSqliteValue>;
interface NodeStatementSync {
  all(...parameters: NodeSqliteValue[]): NodeSqliteRow[];
  run(...parameters: NodeSqliteValue[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  iterate(...parameters: NodeSqliteValue[]): IterableIterator<NodeSqliteRow>;
  columns(): unknown[];
}
export interface NodeDatabaseSync {
  prepare(sql: string): NodeStatementSync;
  exec(sql: string): void;
  close(): void;
}
interface NodeSqliteModule {
  DatabaseSync: new (path: string) => NodeDatabaseSync;
}

const require = createRequire(import.meta.url);

/**
 * Runs `load` with one warning dropped: the ExperimentalWarning Node emits (synchronously, once per
 * process) when `feature` is first loaded. Every other warning goes through untouched.
 */
export function withoutExperimentalWarning<T>(feature: string, load: () => T): T {
  const emitWarning = process.emitWarning;
  const message = `${feature} is an experimental feature and might change at any time`;
  process.emitWarning = function (this: NodeJS.Process, warning: string | Error, ...rest: unknown[]) {
    // Node emits it as emitWarning(message, 'ExperimentalWarning').
    if (warning === message && rest[0] === 'ExperimentalWarning') return;
    return (emitWarning as (...args: unknown[]) => void).call(this, warning, ...rest);
  } as typeof process.emitWarning;
  try {
    return load();
  } finally {
    process.emitWarning = emitWarning;
  }
}

/**
 * node:sqlite, loaded without the "SQLite is an experimental feature" warning that Node 24 releases
 * before 24.15 print: it is the broker's supported engine there, not an experiment of the user's.
 */
export function loadNodeSqlite(): NodeSqliteModule {
  return withoutExperimentalWarning('SQLite', () => require('node:sqlite') as NodeSqliteModule);
}

/** Whether this Node has node:sqlite (22.13 and later without a flag). */
export function hasNodeSqlite(): boolean {
  try {
    loadNodeSqlite();
    return true;
  } catch {
    return false;
  }
}

/**
 * Rows as better-sqlite3 returns them, so both drivers give the broker the same values: plain
 * objects (node:sqlite's have no prototype) and blobs as Buffers (node:sqlite's are Uint8Arrays;
 * the Buffer shares their memory). Integers are numbers in both (neither reads BigInts by default).
 */
function plainRow(row: NodeSqliteRow): Record<string, unknown> {
  const plain: Record<string, unknown> = {};
  for (const key in row) {
    const value = row[key];
    plain[key] =
      value instanceof Uint8Array && !Buffer.isBuffer(value)
        ? Buffer.from(value.buffer, value.byteOffset, value.byteLength)
        : value;
  }
  return plain;
}

/**
 * A node:sqlite `DatabaseSync` as Kysely's `SqliteDialect` expects a database (the shape of
 * better-sqlite3's): statements take their parameters as one array and say whether they return rows.
 */
export function nodeSqliteDatabase(database: NodeDatabaseSync): SqliteDatabase {
  return {
    close: () => database.close(),
    prepare(text: string): SqliteStatement {
      const statement = database.prepare(text);
      return {
        // A statement returns rows when it has result columns (a select, a `returning`, most pragmas).
        reader: statement.columns().length > 0,
        all: (parameters) => statement.all(...(parameters as NodeSqliteValue[])).map(plainRow),
        run: (parameters) => statement.run(...(parameters as NodeSqliteValue[])),
        *iterate(parameters) {
          for (const row of statement.iterate(...(parameters as NodeSqliteValue[]))) yield plainRow(row);
        },
      };
    },
  };
}

/** How many prepared SQLite statements are kept; queries with `in (…)` lists of many lengths make the rest. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every query anew; on SQLite preparing costs as much as running a small query.
 * Statements are kept by SQL text (least recently used dropped), whichever driver made them. Reuse
 * is safe because Kysely runs one query at a time on the connection and reads every row (`all`)
 * before the next.
 */
export function withStatementCache(database: SqliteDatabase): SqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
  return {
    close: () => {
      statements.clear();
      database.close();
    },
    prepare(text: string) {
      let statement = statements.get(text);
      if (statement) statements.delete(text);
      else {
        statement = database.prepare(text);
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!);
      }
      statements.set(text, statement);
      return statement;
    },
  };
}

/** Opens the file with the driver; `exec` runs SQL that returns nothing the caller needs. */
async function openWith(
  file: string,
  driver: SqliteDriver,
): Promise<{ database: SqliteDatabase; exec(sql: string): void }> {
  if (driver === 'node:sqlite') {
    const { DatabaseSync } = loadNodeSqlite();
    const sqlite = new DatabaseSync(file);
    return { database: nodeSqliteDatabase(sqlite), exec: (sql) => sqlite.exec(sql) };
  }
  // Loaded only here, so a Node that runs node:sqlite never loads (or needs a build of) the addon.
  const { default: Database } = (await import('better-sqlite3')) as { default: typeof BetterSqlite3 };
  const sqlite = new Database(file);
  return { database: sqlite, exec: (sql) => sqlite.exec(sql) };
}

/**
 * Opens a SQLite file (or `:memory:`) for the broker, with the driver of this Node unless told:
 * the same pragmas and statement cache on both drivers. Throws the driver's error when the file
 * cannot be opened or is not a database.
 */
export async function openSqlite(file: string, driver: SqliteDriver = defaultSqliteDriver()): Promise<SqliteDatabase> {
  const { database, exec } = await openWith(file, driver);
  try {
    // WAL lets reads proceed during a write; synchronous=FULL makes an acknowledged write durable.
    exec('PRAGMA journal_mode = WAL');
    exec('PRAGMA synchronous = FULL');
    exec('PRAGMA foreign_keys = ON');
    exec('PRAGMA busy_timeout = 5000');
    // A 64 MiB page cache (the default is 2 MiB): can-i-deploy's index lookups into a database of
    // a million pacts stay in memory instead of going back to the file for every page.
    exec('PRAGMA cache_size = -65536');
  } catch (error) {
    database.close();
    throw error;
  }
  return withStatementCache(database);
}
