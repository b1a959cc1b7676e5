import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { CutoverError, ErrorCodes } from '@cutover/core';
import { openStorage, type DatabaseConfig } from './storage/database.js';
import { checkRetentionRules, cleanStorage, type CleanReport, type RetentionRules } from './storage/retention.js';

export interface CleanOptions extends RetentionRules {
  /** The broker's database: `{ file }` (SQLite) or `{ url }` (PostgreSQL). */
  database: DatabaseConfig;
  /** Report what would be deleted without deleting anything. */
  dryRun?: boolean;
  /** The time `keepNewerThanMs` counts back from (default: now). */
  now?: Date;
}

/**
 * Deletes old pacticipant versions from a broker's database in one transaction (the rules are on
 * `cleanStorage`): the latest `keepLatest` per branch and tag, everything deployed or released, and
 * what they need are kept. The broker may be serving the same database meanwhile.
 *
 * @example
 * const report = await cleanBroker({ database: { file: '.cutover/broker.db' }, keepLatest: 20, dryRun: true });
 * report.deleted.versions // [{ pacticipant: 'web-app', number: '1.0.3', branches: ['main'], createdAt: '…' }, …]
 */
export async function cleanBroker(options: CleanOptions): Promise<CleanReport> {
  checkRetentionRules(options);
  // Cleaning a database that is not there would only create an empty one.
  if ('file' in options.database && options.database.file !== ':memory:' && !existsSync(options.database.file))
    throw new CutoverError(
      ErrorCodes.BROKER_STORAGE_FAILED,
      `${resolve(options.database.file)}: no broker database there to clean`,
      { details: { file: resolve(options.database.file) } },
    );
  const storage = await openStorage(options.database);
  try {
    return await cleanStorage(storage, options, options);
  } finally {
    await storage.close();
  }
}
