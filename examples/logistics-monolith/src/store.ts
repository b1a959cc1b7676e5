import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Database } from './domain/model.js';
import { seedDatabase } from './seed.js';

/**
 * The monolith's "database": one JSON file. It is re-read when it changes on disk because other
 * processes share it (the extracted tracking service reads it as its replica, and provider-state
 * setup on either side writes it). Writes replace the file atomically, so a reader never sees half
 * a file.
 */
export class Store {
  private cache: { mtimeMs: number; size: number; db: Database } | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(readonly file: string) {}

  /** Opens the data file, creating it with the seed data when it does not exist yet. */
  static async open(file: string): Promise<Store> {
    const store = new Store(file);
    const exists = await stat(file).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return false;
        throw error;
      },
    );
    if (!exists) await store.replace(seedDatabase());
    else await store.read();
    return store;
  }

  async read(): Promise<Database> {
    const info = await stat(this.file);
    if (this.cache && this.cache.mtimeMs === info.mtimeMs && this.cache.size === info.size) return this.cache.db;
    const text = await readFile(this.file, 'utf8');
    let db: Database;
    try {
      db = JSON.parse(text) as Database;
    } catch (error) {
      throw new Error(`data file ${this.file} is not valid JSON: ${(error as Error).message}`, { cause: error });
    }
    if (db?.schemaVersion !== 1 || !Array.isArray(db.shipments)) {
      throw new Error(`data file ${this.file} is not a logistics database (expected "schemaVersion": 1)`);
    }
    this.cache = { mtimeMs: info.mtimeMs, size: info.size, db };
    return db;
  }

  /**
   * Runs `change` on a fresh copy of the data and saves the result. Changes from this process are
   * applied one at a time; `change` may throw to abandon the write.
   */
  update<T>(change: (db: Database) => T): Promise<T> {
    const run = this.queue.then(async () => {
      const db = structuredClone(await this.read());
      const result = change(db);
      await this.replace(db);
      return result;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Overwrites the whole database (used for seeding and resets). */
  async replace(db: Database): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await writeFile(temp, JSON.stringify(db, null, 2) + '\n');
      await rename(temp, this.file);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw new Error(`could not write data file ${this.file}: ${(error as Error).message}`, { cause: error });
    }
    this.cache = undefined;
  }
}
