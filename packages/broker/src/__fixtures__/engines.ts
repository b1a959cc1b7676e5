import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createBroker, type Broker, type BrokerOptions } from '../index.js';
import type { DatabaseConfig } from '../storage/database.js';

export interface Engine {
  name: 'sqlite' | 'postgres';
  /** A fresh, empty database; `drop` removes it. */
  create(): Promise<{ config: DatabaseConfig; drop(): Promise<void> }>;
}

const POSTGRES_URL = process.env.CUTOVER_TEST_POSTGRES_URL;

if (!POSTGRES_URL && process.env.CI === 'true')
  throw new Error(
    'CI=true but CUTOVER_TEST_POSTGRES_URL is not set: the PostgreSQL half of the broker suite must run in CI (.ci/run starts a server)',
  );

const sqlite: Engine = {
  name: 'sqlite',
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'cutover-broker-'));
    return {
      config: { file: join(dir, 'broker.db') },
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
};

const postgres: Engine = {
  name: 'postgres',
  async create() {
    const name = `cutover_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(POSTGRES_URL!);
    url.pathname = `/${name}`;
    return {
      config: { url: url.toString() },
      async drop() {
        const c = new pg.Client({ connectionString: POSTGRES_URL });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      },
    };
  },
};

/** The engines the broker suite runs against: SQLite always, PostgreSQL when CUTOVER_TEST_POSTGRES_URL names a server. */
export const engines: Engine[] = POSTGRES_URL ? [sqlite, postgres] : [sqlite];

/** Why the PostgreSQL half is skipped, printed once by the suites. */
export const postgresSkipReason = POSTGRES_URL
  ? undefined
  : 'PostgreSQL half of the broker suite skipped: set CUTOVER_TEST_POSTGRES_URL (.ci/run starts a throwaway server)';

export interface RunningBroker {
  broker: Broker;
  url: string;
  /** The broker's database, for a second connection (`cleanBroker`) while it serves. */
  database: DatabaseConfig;
  stop(): Promise<void>;
}

/** Starts a broker on port 0 over a fresh database of `engine`. */
export async function startBroker(
  engine: Engine,
  options: Omit<BrokerOptions, 'database'> = {},
): Promise<RunningBroker> {
  const { config, drop } = await engine.create();
  const broker = await createBroker({ ...options, database: config });
  const url = await broker.listen({ port: 0 });
  return {
    broker,
    url,
    database: config,
    async stop() {
      await broker.close();
      await drop();
    },
  };
}
