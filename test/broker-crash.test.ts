import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type SqliteDatabase from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, startCutover, type LongRunning } from './support/cli.js';

const require = createRequire(join(ROOT, 'packages/broker/package.json'));
// The broker's own SQLite driver, to open the file as the broker left it.
const Sqlite = require('better-sqlite3') as typeof SqliteDatabase;

const pact = (consumer: string, n: number) =>
  Buffer.from(
    JSON.stringify({
      consumer: { name: consumer },
      provider: { name: 'Orders' },
      interactions: [
        { description: `call ${n}`, request: { method: 'GET', path: `/o/${n}` }, response: { status: 200 } },
      ],
      metadata: { pactSpecification: { version: '3.0.0' } },
    }),
  ).toString('base64');

describe('cutover broker killed with SIGKILL during a publish load', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-broker-crash-'));
  const database = join(dir, 'broker.db');
  let running: LongRunning | undefined;
  afterAll(async () => {
    await running?.stop('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every acknowledged publish after a restart, and the SQLite file passes integrity_check', async () => {
    running = startCutover(['broker', '--port', '0', '--database', database]);
    const [, url] = await running.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
    const acknowledged: string[] = [];
    let killed = false;
    const publisher = async (p: number) => {
      for (let n = 0; !killed; n++) {
        try {
          const res = await fetch(`${url}/contracts/publish`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              pacticipantName: `C${p}`,
              pacticipantVersionNumber: `v${n}`,
              contracts: [
                {
                  consumerName: `C${p}`,
                  providerName: 'Orders',
                  specification: 'pact',
                  contentType: 'application/json',
                  content: pact(`C${p}`, n),
                },
              ],
            }),
          });
          await res.arrayBuffer();
          if (res.status === 200) acknowledged.push(`C${p}@v${n}`);
        } catch {
          return; // the broker is gone
        }
      }
    };
    const load = Promise.all(Array.from({ length: 10 }, (_, p) => publisher(p)));
    while (acknowledged.length < 150) await new Promise((r) => setTimeout(r, 20));
    killed = true;
    await running.stop('SIGKILL');
    await load;

    const db = new Sqlite(database, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();

    running = startCutover(['broker', '--port', '0', '--database', database]);
    const [, again] = await running.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
    const missing: string[] = [];
    for (const id of acknowledged) {
      const [consumer, version] = id.split('@') as [string, string];
      const res = await fetch(`${again}/pacts/provider/Orders/consumer/${consumer}/version/${version}`);
      if (res.status !== 200) missing.push(id);
      await res.arrayBuffer();
    }
    expect(missing).toEqual([]);
    expect((await running.stop('SIGTERM')).code).toBe(0);
  }, 120_000);
});
