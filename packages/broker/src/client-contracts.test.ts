import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runVerify } from '@cutover/verifier';
import type { VerificationReport } from '@cutover/core';
import { engines, startBroker, type RunningBroker } from './__fixtures__/engines.js';
import { MATRIX_QUERIES, PATHS, decodedQuery } from './__fixtures__/client-contracts/placeholders.js';

// Beside the repository, as the spec test cases are: <repo>/../shared/pact-broker-client-contracts
// (PACT_BROKER_CLIENT_CONTRACTS points elsewhere).
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const CONTRACTS = `${resolve(repoRoot, process.env.PACT_BROKER_CLIENT_CONTRACTS ?? '../shared/pact-broker-client-contracts')}/`;
const STATES = fileURLToPath(new URL('./__fixtures__/client-contracts/states.ts', import.meta.url));
const RESET_HOOK = fileURLToPath(new URL('./__fixtures__/client-contracts/reset-hook.ts', import.meta.url));

/** Interactions this broker deliberately answers differently, with the reason (also in the README). */
export const UNSUPPORTED: Record<string, string> = {};

/** A proxy in front of the broker that turns the contracts' placeholder paths into real ones. */
async function placeholderProxy(target: string): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const [path = '/', query] = req.url!.split(/\?(.*)/s, 2);
      const realPath = PATHS[path] ?? path;
      const realQuery = query === undefined ? undefined : (MATRIX_QUERIES[decodedQuery(query)] ?? query);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers))
        if (typeof v === 'string' && !['host', 'content-length', 'connection'].includes(k)) headers[k] = v;
      const answer = await fetch(`${target}${realPath}${realQuery === undefined ? '' : `?${realQuery}`}`, {
        method: req.method!,
        // The contracts expect links on http://example.org where they fix the host (as the Pact Broker's own verification serves them).
        headers: { ...headers, 'x-forwarded-host': 'example.org', 'x-forwarded-proto': 'http' },
        ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
      });
      const out: Record<string, string> = {};
      answer.headers.forEach((v, k) => {
        if (!['content-length', 'transfer-encoding', 'connection', 'keep-alive'].includes(k)) out[k] = v;
      });
      res.writeHead(answer.status, out).end(Buffer.from(await answer.arrayBuffer()));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const present = existsSync(CONTRACTS);
if (!present) console.warn(`the Pact Broker client contracts are not at ${CONTRACTS}: their verification is skipped`);

describe.runIf(present).each(engines)(
  "the Pact Broker clients' own contracts, verified with cutover verify on $name",
  (engine) => {
    let running: RunningBroker;
    let proxy: { url: string; close(): Promise<void> };
    let results: VerificationReport['results'];
    let tmp: string | undefined;
    beforeAll(async () => {
      // The contracts create webhooks to https://webhook; the broker calls no host it was not told to allow.
      running = await startBroker(engine, { webhooks: { allowHosts: ['webhook'], deliver: false } });
      (globalThis as { cutoverBrokerUnderTest?: unknown }).cutoverBrokerUnderTest = running.broker;
      proxy = await placeholderProxy(running.url);
      tmp = mkdtempSync(join(tmpdir(), 'cutover-client-contracts-'));
      // Interactions with provider states run in one lane whose setups start from an empty broker;
      // those without run one at a time, each after emptying the broker, so no order matters.
      const files = { stateful: [] as string[], stateless: [] as string[] };
      for (const name of ['pact_broker_client-pact_broker.json', 'pact_broker_client_v2-pact_broker.json']) {
        const text = readFileSync(`${CONTRACTS}${name}`, 'utf8');
        const pact = JSON.parse(text) as { interactions: { providerState?: string; providerStates?: unknown[] }[] };
        for (const kind of ['stateful', 'stateless'] as const) {
          const interactions = pact.interactions.filter(
            (i) => (kind === 'stateful') === Boolean(i.providerState || i.providerStates?.length),
          );
          const file = join(tmp, `${kind}-${name}`);
          writeFileSync(file, JSON.stringify({ ...pact, interactions }));
          files[kind].push(file);
        }
      }
      const common = { noiseSamples: 1, concurrency: 1, stateLanes: 'shared' as const };
      const stateful = await runVerify({
        ...common,
        pacts: files.stateful,
        monolith: { url: proxy.url, states: { module: STATES } },
      });
      const stateless = await runVerify({
        ...common,
        pacts: files.stateless,
        monolith: { url: proxy.url, requestHook: RESET_HOOK },
      });
      results = [...stateful.results, ...stateless.results];
    }, 120_000);
    afterAll(async () => {
      if (tmp) rmSync(tmp, { recursive: true, force: true });
      await proxy?.close();
      await running?.stop();
    });

    it('passes every interaction of both contracts (131)', () => {
      const failures = results
        .filter((r) => r.targets.monolith?.outcome !== 'pass' && !UNSUPPORTED[`${r.consumer}: ${r.description}`])
        .map((r) => ({
          interaction: `${r.consumer}: ${r.description} [${r.providerStates.map((s) => s.name).join(', ')}]`,
          outcome: r.targets.monolith?.outcome,
          error: r.targets.monolith?.error?.message,
          mismatches: r.targets.monolith?.mismatches.map((m) => m.message),
        }));
      expect(results).toHaveLength(131);
      expect(failures).toEqual([]);
    });
  },
);
