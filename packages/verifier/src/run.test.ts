import { afterEach, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderConsole } from './reporters/console.js';
import type { SchemaViolation, VerificationReport } from '@cutover/core';
import { runVerify } from './run.js';
import { interactionStatus, verificationFailed } from './status.js';
import type { VerifyOptions } from './options.js';
import type { SchemaChecker } from './schema.js';
import {
  deadUrl,
  startGarbageServer,
  startHangingServer,
  startResettingServer,
  startServer,
  startStateServer,
  startTricklingServer,
} from './testing/servers.js';
import type { FixtureHandler, Running } from './testing/servers.js';
import { v3Pact, writePacts } from './testing/pacts.js';
import type { V3Interaction } from './testing/pacts.js';

const open: Running[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function serve(routes: Record<string, FixtureHandler>): Promise<Running> {
  const server = await startServer(routes);
  open.push(server);
  return server;
}

const getShipment: V3Interaction = {
  description: 'a request for shipment 1',
  request: { method: 'GET', path: '/shipments/1' },
  response: {
    status: 200,
    headers: { 'Content-Type': 'application/json' },
    body: { id: 1, status: 'in-transit' },
    matchingRules: { body: { '$.id': { matchers: [{ match: 'type' }] } } },
  },
};

const shipment = { id: 1, status: 'in-transit', eta: '2026-12-01' };

async function verify(
  monolith: Record<string, FixtureHandler> | string | undefined,
  candidate: Record<string, FixtureHandler> | string | undefined,
  interactions: V3Interaction[] = [getShipment],
  extra: Partial<VerifyOptions> = {},
): Promise<VerificationReport> {
  const { dir } = await writePacts([v3Pact('web-app', 'logistics', interactions)]);
  const options: VerifyOptions = { pacts: [dir], timeoutMs: 2000, ...extra };
  if (monolith !== undefined) {
    options.monolith = {
      ...extra.monolith,
      url: typeof monolith === 'string' ? monolith : (await serve(monolith)).url,
    };
  }
  if (candidate !== undefined) {
    options.candidate = {
      ...extra.candidate,
      url: typeof candidate === 'string' ? candidate : (await serve(candidate)).url,
    };
  }
  return runVerify(options);
}

describe('runVerify against fixture monolith/candidate pairs', () => {
  it('reports identical services as passed with identical parity', async () => {
    const same = { 'GET /shipments/1': () => ({ body: shipment }) };
    const report = await verify(same, same);
    expect(report.format).toBe('cutover.verification/v1');
    expect(report.summary).toMatchObject({ interactions: 1, passed: 1, failed: 0, errored: 0 });
    const [result] = report.results;
    expect(result!.targets.monolith!.outcome).toBe('pass');
    expect(result!.targets.candidate!.outcome).toBe('pass');
    expect(result!.parity).toEqual({ status: 'identical', differences: [], noise: [] });
    expect(result!.route).toEqual({ method: 'GET', path: '/shipments/1' });
    expect(verificationFailed(report)).toBe(false);
  });

  it('reports a field the candidate drops as a missing-field parity difference even when the pact passes', async () => {
    const report = await verify(
      { 'GET /shipments/1': () => ({ body: shipment }) },
      { 'GET /shipments/1': () => ({ body: { id: 1, status: 'in-transit' } }) },
    );
    const [result] = report.results;
    expect(result!.targets.candidate!.outcome).toBe('pass');
    expect(result!.parity.status).toBe('differs');
    expect(result!.parity.differences).toEqual([
      expect.objectContaining({ kind: 'missing', path: '$.eta', monolith: '2026-12-01', candidate: undefined }),
    ]);
    expect(interactionStatus(result!)).toBe('failed');
    expect(verificationFailed(report)).toBe(true);
  });

  it('reports a field the candidate adds as an extra-field difference (parity allows no extras)', async () => {
    const report = await verify(
      { 'GET /shipments/1': () => ({ body: shipment }) },
      { 'GET /shipments/1': () => ({ body: { ...shipment, carrier: 'dhl' } }) },
    );
    expect(report.results[0]!.parity.differences).toEqual([
      expect.objectContaining({ kind: 'extra', path: '$.carrier', candidate: 'dhl' }),
    ]);
    expect(report.summary.failed).toBe(1);
  });

  it('reports a type change as a pact failure on the candidate and a type difference', async () => {
    const report = await verify(
      { 'GET /shipments/1': () => ({ body: shipment }) },
      { 'GET /shipments/1': () => ({ body: { ...shipment, id: '1' } }) },
    );
    const [result] = report.results;
    expect(result!.targets.monolith!.outcome).toBe('pass');
    expect(result!.targets.candidate!.outcome).toBe('fail');
    expect(result!.targets.candidate!.mismatches[0]).toMatchObject({ path: '$.id' });
    expect(result!.parity.differences).toEqual([
      expect.objectContaining({ kind: 'type', path: '$.id', monolith: 1, candidate: '1' }),
    ]);
  });

  it('reports a status change on both the pact check and parity', async () => {
    const report = await verify(
      { 'GET /shipments/1': () => ({ body: shipment }) },
      { 'GET /shipments/1': () => ({ status: 404, body: { error: 'no such shipment' } }) },
    );
    const [result] = report.results;
    expect(result!.targets.candidate).toMatchObject({ outcome: 'fail', status: 404 });
    expect(result!.parity.differences[0]).toMatchObject({ kind: 'status', path: '$', monolith: 200, candidate: 404 });
  });

  it('treats a timestamp that varies between the monolith samples as noise, compared by type and format', async () => {
    let tick = 0;
    const stamp = () => new Date(Date.UTC(2026, 0, 1, 0, 0, tick++)).toISOString();
    const interaction: V3Interaction = {
      ...getShipment,
      response: { ...getShipment.response, body: { id: 1, status: 'in-transit' } },
    };
    const monolith = { 'GET /shipments/1': () => ({ body: { ...shipment, checkedAt: stamp() } }) };
    const good = await verify(
      monolith,
      { 'GET /shipments/1': () => ({ body: { ...shipment, checkedAt: '2030-05-05T10:00:00.000Z' } }) },
      [interaction],
    );
    expect(good.results[0]!.parity.status).toBe('noise-only');
    expect(good.results[0]!.parity.noise).toEqual([
      expect.objectContaining({ kind: 'value', path: '$.checkedAt', noise: 'sampled' }),
    ]);
    expect(good.summary.passed).toBe(1);

    const bad = await verify(
      monolith,
      { 'GET /shipments/1': () => ({ body: { ...shipment, checkedAt: 'yesterday' } }) },
      [interaction],
    );
    expect(bad.results[0]!.parity.status).toBe('differs');
    expect(bad.results[0]!.parity.differences[0]!.message).toMatch(/date-time/);
  });

  it('does not treat a varying timestamp as noise when sampling is off', async () => {
    let tick = 0;
    const monolith = {
      'GET /shipments/1': () => ({
        body: { ...shipment, checkedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, tick++)).toISOString() },
      }),
    };
    const report = await verify(
      monolith,
      { 'GET /shipments/1': () => ({ body: { ...shipment, checkedAt: '2030-05-05T10:00:00.000Z' } }) },
      [getShipment],
      { noiseSamples: 1 },
    );
    expect(report.results[0]!.parity.status).toBe('differs');
  });

  it('treats a generated id as noise but still reports an id that changes type', async () => {
    let next = 100;
    const create: V3Interaction = {
      description: 'create a shipment',
      request: {
        method: 'POST',
        path: '/shipments',
        headers: { 'Content-Type': 'application/json' },
        body: { weight: 3 },
      },
      response: {
        status: 201,
        body: { id: 1, weight: 3 },
        matchingRules: { body: { '$.id': { matchers: [{ match: 'integer' }] } } },
      },
    };
    const monolith = {
      'POST /shipments': (req: { json?: unknown }) => ({
        status: 201,
        body: { id: next++, weight: (req.json as { weight: number }).weight },
      }),
    };
    // A POST without a provider state is re-sent for samples only when asked (a second write).
    const resend = { sampleUnsafeMethods: true };
    const same = await verify(
      monolith,
      { 'POST /shipments': () => ({ status: 201, body: { id: 9000, weight: 3 } }) },
      [create],
      resend,
    );
    expect(same.results[0]!.targets.candidate!.outcome).toBe('pass');
    expect(same.results[0]!.parity).toMatchObject({ status: 'noise-only', differences: [] });

    const stringly = await verify(
      monolith,
      { 'POST /shipments': () => ({ status: 201, body: { id: '9000', weight: 3 } }) },
      [create],
      resend,
    );
    expect(stringly.results[0]!.parity.differences).toEqual([expect.objectContaining({ kind: 'type', path: '$.id' })]);
  });

  it('sets up provider states with the state-change protocol and feeds returned values to ProviderState generators', async () => {
    const states = startStateServer((state) => (state === 'shipment exists' ? { id: 42 } : {}));
    const stateServer = await states.running;
    open.push(stateServer);
    const seen: string[] = [];
    const routes = {
      'GET /shipments/*': (req: { path: string }) => (seen.push(req.path), { body: { id: 42, status: 'in-transit' } }),
    };
    const interaction: V3Interaction = {
      description: 'a request for an existing shipment',
      providerStates: [{ name: 'shipment exists', params: { weight: 3 } }],
      request: {
        method: 'GET',
        path: '/shipments/1',
        generators: { path: { type: 'ProviderState', expression: '/shipments/${id}' } },
      },
      response: { status: 200, body: { id: 42, status: 'in-transit' } },
    };
    const stateUrl = `${stateServer.url}/_pact/state`;
    const report = await verify(routes, routes, [interaction], {
      monolith: { url: '', states: { url: stateUrl } },
      candidate: { url: '', states: { url: stateUrl } },
    });
    expect(report.summary.passed).toBe(1);
    // One replay per target: identical responses need no noise sample.
    expect(seen).toEqual(['/shipments/42', '/shipments/42']);
    expect(states.calls.filter((c) => c.action === 'setup')).toHaveLength(2);
    expect(states.calls.filter((c) => c.action === 'teardown')).toHaveLength(2);
    expect(states.calls[0]).toEqual({ state: 'shipment exists', params: { weight: 3 }, action: 'setup' });
  });

  it('sets up provider states from a TypeScript handler module, per target, setup before teardown', async () => {
    const calls = () =>
      (globalThis as { __cutoverStateCalls?: { action: string; target: string }[] }).__cutoverStateCalls ?? [];
    const module = fileURLToPath(new URL('./__fixtures__/states.ts', import.meta.url));
    const routes = { 'GET /shipments/42': () => ({ body: { id: 42, status: 'in-transit' } }) };
    const interaction: V3Interaction = {
      description: 'shipment 42',
      providerStates: [{ name: 'shipment 42 exists' }],
      request: {
        method: 'GET',
        path: '/shipments/0',
        generators: { path: { type: 'ProviderState', expression: '/shipments/${id}' } },
      },
      response: { status: 200, body: { id: 42, status: 'in-transit' } },
    };
    const before = calls().length;
    const report = await verify(routes, routes, [interaction], {
      monolith: { url: '', states: { module } },
      candidate: { url: '', states: { module } },
    });
    expect(report.summary.passed).toBe(1);
    const mine = calls().slice(before);
    expect(mine.filter((c) => c.target === 'monolith').map((c) => c.action)).toEqual(['setup', 'teardown']);
    expect(mine.filter((c) => c.target === 'candidate').map((c) => c.action)).toEqual(['setup', 'teardown']);
  });

  it('reports a failing state handler as an error naming the state, never a pass', async () => {
    const module = fileURLToPath(new URL('./__fixtures__/states.ts', import.meta.url));
    const routes = { 'GET /shipments/1': () => ({ body: shipment }) };
    const report = await verify(
      routes,
      routes,
      [{ ...getShipment, providerStates: [{ name: 'the database is down' }] }],
      {
        monolith: { url: '', states: { module } },
        candidate: { url: '', states: { module } },
      },
    );
    expect(report.results[0]!.targets.monolith).toMatchObject({
      outcome: 'error',
      error: { code: 'CUTOVER_PROVIDER_STATE_FAILED', message: expect.stringContaining('the database is down') },
    });
    expect(report.summary.errored).toBe(1);
  });

  it('reports an interaction with provider states but no state setup as an error', async () => {
    const routes = { 'GET /shipments/1': () => ({ body: shipment }) };
    const report = await verify(routes, undefined, [{ ...getShipment, providerStates: [{ name: 'x' }] }]);
    expect(report.results[0]!.targets.monolith!.error!.message).toMatch(
      /no state setup is configured for the monolith/,
    );
  });

  it('reports a dead target as an error with the connection cause', async () => {
    const report = await verify({ 'GET /shipments/1': () => ({ body: shipment }) }, await deadUrl(), [getShipment], {
      retries: 1,
    });
    const [result] = report.results;
    expect(result!.targets.monolith!.outcome).toBe('pass');
    expect(result!.targets.candidate).toMatchObject({
      outcome: 'error',
      error: { code: 'CUTOVER_TARGET_UNREACHABLE' },
    });
    expect(result!.targets.candidate!.error!.message).toMatch(/ECONNREFUSED/);
    expect(result!.parity.status).toBe('not-compared');
    expect(report.summary.errored).toBe(1);
    expect(verificationFailed(report)).toBe(true);
  });

  it('reports a hanging target as a timeout error', async () => {
    const hanging = await startHangingServer();
    open.push(hanging);
    const report = await verify(hanging.url, undefined, [getShipment], { timeoutMs: 150 });
    expect(report.results[0]!.targets.monolith).toMatchObject({ outcome: 'error' });
    expect(report.results[0]!.targets.monolith!.error!.message).toMatch(/timed out|timeout/i);
  });

  it('times out a target that streams its body slowly, with one deadline for the whole request', async () => {
    // Headers at once, then a byte every 100 ms: never idle for 300 ms, so only an overall deadline ends it.
    const trickle = await startTricklingServer(100);
    open.push(trickle);
    const started = performance.now();
    const report = await verify(undefined, trickle.url, [getShipment], { timeoutMs: 300 });
    expect(performance.now() - started).toBeLessThan(2000);
    const outcome = report.results[0]!.targets.candidate!;
    expect(outcome.outcome).toBe('error');
    expect(outcome.error!.message).toBe(`GET ${trickle.url}/shipments/1 failed: timed out after 300 ms`);
  });

  it('reports a target that answers garbage bytes, resets, or sends broken JSON as an error', async () => {
    const garbage = await startGarbageServer();
    const resetting = await startResettingServer();
    open.push(garbage, resetting);
    const broken = {
      'GET /shipments/1': () => ({ headers: { 'content-type': 'application/json' }, body: '{"id": 1,' }),
    };
    for (const target of [garbage.url, resetting.url, broken]) {
      const report = await verify(target, undefined, [getShipment], { retries: 0 });
      expect(report.results[0]!.targets.monolith!.outcome).toBe('error');
      expect(report.results[0]!.targets.monolith!.error!.message.length).toBeGreaterThan(10);
    }
  });

  it('reports v4 message interactions as skipped without replaying them', async () => {
    const { dir } = await writePacts([
      {
        consumer: { name: 'events' },
        provider: { name: 'logistics' },
        interactions: [
          { type: 'Asynchronous/Messages', description: 'a shipment-created event', contents: { content: { id: 1 } } },
        ],
        metadata: { pactSpecification: { version: '4.0' } },
      },
    ]);
    const server = await serve({});
    // Nothing was replayed: an error unless an empty run is accepted.
    await expect(runVerify({ pacts: [dir], monolith: { url: server.url } })).rejects.toThrow(
      /no interactions were verified: 1 pact\(s\) with 1 interaction\(s\), 1 are messages/,
    );
    const report = await runVerify({ pacts: [dir], monolith: { url: server.url }, allowEmpty: true });
    expect(report.summary).toMatchObject({ interactions: 1, skipped: 1, failed: 0, errored: 0 });
    expect(report.results[0]!.targets.monolith!.outcome).toBe('skipped');
  });

  it('forgives contract failures of pending interactions but never a dead target', async () => {
    const { dir } = await writePacts([
      {
        consumer: { name: 'web-app' },
        provider: { name: 'logistics' },
        interactions: [
          {
            type: 'Synchronous/HTTP',
            description: 'a pending request for shipment 1',
            pending: true,
            request: { method: 'GET', path: '/shipments/1' },
            response: { status: 200 },
          },
        ],
        metadata: { pactSpecification: { version: '4.0' } },
      },
    ]);
    const failing = await serve({ 'GET /shipments/1': () => ({ status: 500 }) });
    const contract = await runVerify({ pacts: [dir], monolith: { url: failing.url } });
    expect(interactionStatus(contract.results[0]!)).toBe('failed');
    expect(contract.results[0]!.pending).toBe(true);
    expect(verificationFailed(contract)).toBe(false);

    const dead = await runVerify({ pacts: [dir], monolith: { url: await deadUrl() }, retries: 0 });
    expect(interactionStatus(dead.results[0]!)).toBe('errored');
    expect(verificationFailed(dead)).toBe(true);
  });

  it('splits candidate schema violations into baseline (the monolith has them too) and regressions', async () => {
    const violation = (instancePath: string): SchemaViolation => ({
      code: 'response.body.required',
      severity: 'error',
      on: 'response',
      instancePath,
      schemaPath: '#/paths/~1shipments~1{id}/get/responses/200',
      rule: 'required',
      message: `${instancePath} is required`,
    });
    const checker: SchemaChecker = {
      source: 'fake.yaml',
      validateRequest: () => [],
      validateResponse: (_req, res) => [
        violation('/eta'),
        ...((res.body as { id: unknown }).id === '1' ? [violation('/id')] : []),
      ],
      routeTemplate: () => '/shipments/{id}',
    };
    const { dir } = await writePacts([v3Pact('web-app', 'logistics', [getShipment])]);
    const monolith = await serve({ 'GET /shipments/1': () => ({ body: shipment }) });
    const candidate = await serve({ 'GET /shipments/1': () => ({ body: shipment }) });
    const baseline = await runVerify(
      { pacts: [dir], monolith: { url: monolith.url }, candidate: { url: candidate.url } },
      { schemaChecker: checker },
    );
    expect(baseline.results[0]!.schema).toMatchObject({ baseline: [violation('/eta')], regressions: [] });
    expect(baseline.results[0]!.route.template).toBe('/shipments/{id}');
    expect(baseline.summary.passed).toBe(1);

    const regressed = await serve({ 'GET /shipments/1': () => ({ body: { ...shipment, id: '1' } }) });
    const report = await runVerify(
      { pacts: [dir], monolith: { url: monolith.url }, candidate: { url: regressed.url } },
      { schemaChecker: checker },
    );
    expect(report.results[0]!.schema!.regressions).toEqual([violation('/id')]);
    expect(report.openapi).toEqual({ source: 'fake.yaml' });
  });

  it('sends per-target headers, runs the request hook and rewrites candidate paths', async () => {
    const seen: { target: string; path: string; auth?: string; hooked?: string }[] = [];
    const record =
      (target: string) => (req: { path: string; headers: Record<string, string | string[] | undefined> }) => {
        seen.push({
          target,
          path: req.path,
          auth: req.headers.authorization as string,
          hooked: req.headers['x-hooked-for'] as string,
        });
        return { body: shipment };
      };
    const hook = fileURLToPath(new URL('./__fixtures__/hook.ts', import.meta.url));
    const report = await verify(
      { 'GET /shipments/1': record('monolith') },
      { 'GET /v2/shipments/1': record('candidate') },
      [getShipment],
      {
        noiseSamples: 1,
        monolith: { url: '', headers: { Authorization: 'Bearer mono' } },
        candidate: {
          url: '',
          headers: { Authorization: 'Bearer cand' },
          requestHook: hook,
          rewritePaths: [{ from: '/shipments', to: '/v2/shipments' }],
        },
      },
    );
    expect(report.summary.passed).toBe(1);
    expect(seen).toEqual(
      expect.arrayContaining([
        { target: 'monolith', path: '/shipments/1', auth: 'Bearer mono', hooked: undefined },
        { target: 'candidate', path: '/v2/shipments/1', auth: 'Bearer cand', hooked: 'candidate' },
      ]),
    );
  });

  it('keeps only interactions matching the filters', async () => {
    const routes = { 'GET /shipments/1': () => ({ body: shipment }), 'GET /health': () => ({ body: 'ok' }) };
    const health: V3Interaction = {
      description: 'health check',
      request: { method: 'GET', path: '/health' },
      response: { status: 200 },
    };
    const byRoute = await verify(routes, undefined, [getShipment, health], {
      filters: { routes: ['GET /shipments/*'] },
    });
    expect(byRoute.results.map((r) => r.description)).toEqual(['a request for shipment 1']);
    // The same route syntax as the gate's policies: `{id}` for a segment, `*` inside one.
    for (const pattern of ['GET /shipments/{id}', '/ship*/**']) {
      const other = await verify(routes, undefined, [getShipment, health], { filters: { routes: [pattern] } });
      expect([pattern, other.results.map((r) => r.description)]).toEqual([pattern, ['a request for shipment 1']]);
    }
    const byDescription = await verify(routes, undefined, [getShipment, health], {
      filters: { descriptions: ['health'] },
    });
    expect(byDescription.results.map((r) => r.description)).toEqual(['health check']);
    const byConsumer = await verify(routes, undefined, [getShipment], {
      filters: { consumers: ['mobile-app'] },
      allowEmpty: true,
    });
    expect(byConsumer.results).toHaveLength(0);
  });

  it('never interleaves provider states on one target, while stateless interactions run concurrently', async () => {
    const states = startStateServer();
    const stateServer = await states.running;
    open.push(stateServer);
    let inFlight = 0;
    let maxInFlight = 0;
    const routes = {
      'GET /items/*': async (req: { path: string }) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
        return { body: { path: req.path } };
      },
    };
    const stateful = Array.from({ length: 6 }, (_, i): V3Interaction => ({
      description: `stateful ${i}`,
      providerStates: [{ name: `state ${i}` }],
      request: { method: 'GET', path: `/items/s${i}` },
      response: { status: 200 },
    }));
    const stateless = Array.from({ length: 6 }, (_, i): V3Interaction => ({
      description: `stateless ${i}`,
      request: { method: 'GET', path: `/items/n${i}` },
      response: { status: 200 },
    }));
    const report = await verify(routes, undefined, [...stateful, ...stateless], {
      concurrency: 4,
      monolith: { url: '', states: { url: `${stateServer.url}/_pact/state` } },
    });
    expect(report.summary.passed).toBe(12);
    // Every setup is followed by its own teardown before the next setup.
    const sequence = states.calls.map((c) => `${c.action}:${c.state}`);
    for (let i = 0; i < sequence.length; i += 2) {
      expect(sequence[i + 1]).toBe(sequence[i]!.replace('setup', 'teardown'));
    }
    expect(maxInFlight).toBeGreaterThan(1);
  });

  it('samples the monolith again only to explain a difference, an unsafe request under a fresh state', async () => {
    const monolithStates = startStateServer();
    const candidateStates = startStateServer();
    const [ms, cs] = await Promise.all([monolithStates.running, candidateStates.running]);
    open.push(ms, cs);
    const routes = { 'POST /shipments': () => ({ status: 201, body: { ok: true } }) };
    const create: V3Interaction = {
      description: 'create a shipment for a customer',
      providerStates: [{ name: 'customer 7 exists' }],
      request: {
        method: 'POST',
        path: '/shipments',
        headers: { 'Content-Type': 'application/json' },
        body: { customer: 7 },
      },
      response: { status: 201 },
    };
    const identical = await verify(routes, routes, [create], {
      monolith: { url: '', states: { url: `${ms.url}/_pact/state` } },
      candidate: { url: '', states: { url: `${cs.url}/_pact/state` } },
    });
    expect(identical.summary.passed).toBe(1);
    expect(monolithStates.calls.map((c) => c.action)).toEqual(['setup', 'teardown']);
    monolithStates.calls.length = 0;
    candidateStates.calls.length = 0;

    const other = { 'POST /shipments': () => ({ status: 201, body: { ok: 'yes' } }) };
    const report = await verify(routes, other, [create], {
      monolith: { url: '', states: { url: `${ms.url}/_pact/state` } },
      candidate: { url: '', states: { url: `${cs.url}/_pact/state` } },
    });
    expect(report.results[0]!.parity.status).toBe('differs');
    expect(monolithStates.calls.map((c) => c.action)).toEqual(['setup', 'teardown', 'setup', 'teardown']);
    expect(candidateStates.calls.map((c) => c.action)).toEqual(['setup', 'teardown']);
  });

  it('with a shared state lane, never overlaps state cycles across the two targets', async () => {
    const states = startStateServer();
    const stateServer = await states.running;
    open.push(stateServer);
    const routes = { 'GET /items/*': () => ({ body: { ok: true } }) };
    const stateful = Array.from({ length: 4 }, (_, i): V3Interaction => ({
      description: `stateful ${i}`,
      providerStates: [{ name: `state ${i}` }],
      request: { method: 'GET', path: `/items/${i}` },
      response: { status: 200 },
    }));
    const stateUrl = `${stateServer.url}/_pact/state`;
    const report = await verify(routes, routes, stateful, {
      stateLanes: 'shared',
      monolith: { url: '', states: { url: stateUrl } },
      candidate: { url: '', states: { url: stateUrl } },
    });
    expect(report.summary.passed).toBe(4);
    const sequence = states.calls.map((c) => `${c.action}:${c.state}`);
    expect(sequence).toHaveLength(16);
    for (let i = 0; i < sequence.length; i += 2) {
      expect(sequence[i + 1]).toBe(sequence[i]!.replace('setup', 'teardown'));
    }
  });

  it('applies a YAML noise file per route and reports what it relaxed as declared noise', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'cutover-noise-'));
    const file = join(dir, 'noise.yaml');
    await writeFile(
      file,
      'ignoreHeaders: [x-build]\nroutes:\n  "GET /shipments/*":\n    - { path: "$.servedBy", mode: ignore }\n',
    );
    const report = await verify(
      { 'GET /shipments/1': () => ({ headers: { 'x-build': 'm1' }, body: { ...shipment, servedBy: 'monolith-3' } }) },
      { 'GET /shipments/1': () => ({ headers: { 'x-build': 'c9' }, body: { ...shipment, servedBy: 'tracking-1' } }) },
      [getShipment],
      { noise: file, noiseSamples: 1 },
    );
    expect(report.results[0]!.parity).toMatchObject({
      status: 'noise-only',
      differences: [],
      noise: [expect.objectContaining({ path: '$.servedBy', noise: 'declared' })],
    });
  });

  it('refuses a run that verifies nothing, naming the filters, unless allowEmpty is set', async () => {
    const server = await serve({ 'GET /shipments/1': () => ({ body: shipment }) });
    const filtered = verify(server.url, undefined, [getShipment], {
      filters: { consumers: ['nobody'], routes: ['GET /orders'] },
    });
    await expect(filtered).rejects.toMatchObject({
      code: 'CUTOVER_NOTHING_VERIFIED',
      message:
        'no interactions were verified: 1 pact(s) with 1 interaction(s), 0 matched the filters (consumer "nobody"; route "GET /orders"); pass --allow-empty (allowEmpty) to accept an empty run',
    });
    await expect(verify(server.url, undefined, [])).rejects.toThrow(
      /^no interactions were verified: 1 pact\(s\) with 0 interaction\(s\);/,
    );
    const allowed = await verify(server.url, undefined, [], { allowEmpty: true });
    expect(allowed.summary.interactions).toBe(0);
    expect(verificationFailed(allowed)).toBe(false);
  });

  it('refuses to run without a target or without pacts', async () => {
    await expect(runVerify({ pacts: ['x.json'] })).rejects.toMatchObject({ code: 'CUTOVER_USAGE' });
    await expect(runVerify({ monolith: { url: 'http://127.0.0.1:1' } })).rejects.toMatchObject({
      code: 'CUTOVER_USAGE',
    });
    await expect(runVerify({ pacts: ['/nonexistent/pacts'], monolith: { url: 'http://127.0.0.1:1' } })).rejects.toThrow(
      /does not exist/,
    );
  });
});

describe('runVerify with a real OpenAPI document', () => {
  const openapi = fileURLToPath(new URL('./__fixtures__/shipments.openapi.yaml', import.meta.url));

  it('reports a violation both targets share as baseline, and one only the candidate has as a regression', async () => {
    // Both omit the documented `eta` (baseline); the candidate also sends an undocumented status value.
    const monolith = { 'GET /shipments/1': () => ({ body: { id: 1, status: 'in-transit' } }) };
    const baselineOnly = await verify(monolith, monolith, [getShipment], { openapi });
    const schema = baselineOnly.results[0]!.schema!;
    expect(schema.request).toEqual([]);
    expect(schema.monolith).toEqual([expect.objectContaining({ on: 'response', rule: 'required' })]);
    expect(schema.baseline).toEqual(schema.monolith);
    expect(schema.regressions).toEqual([]);
    expect(baselineOnly.results[0]!.route.template).toBe('/shipments/{id}');
    expect(baselineOnly.summary.passed).toBe(1);

    const regressed = await verify(
      monolith,
      { 'GET /shipments/1': () => ({ body: { id: 1, status: 'lost' } }) },
      [getShipment],
      {
        openapi,
        noiseSamples: 1,
      },
    );
    const result = regressed.results[0]!;
    expect(result.schema!.baseline).toEqual([expect.objectContaining({ rule: 'required' })]);
    expect(result.schema!.regressions).toEqual([expect.objectContaining({ instancePath: '/status', rule: 'enum' })]);
    expect(interactionStatus(result)).toBe('failed');
  });

  it('fails a monolith-only run on a monolith schema violation, reporting it', async () => {
    // The monolith omits the documented `eta`: with no candidate this is the run's own finding.
    const routes = { 'GET /shipments/1': () => ({ body: { id: 1, status: 'in-transit' } }) };
    const report = await verify(routes, undefined, [getShipment], { openapi });
    const result = report.results[0]!;
    expect(result.targets.monolith!.outcome).toBe('pass');
    expect(result.schema!.monolith).toEqual([expect.objectContaining({ rule: 'required' })]);
    expect(interactionStatus(result)).toBe('failed');
    expect(verificationFailed(report)).toBe(true);
    expect(renderConsole(report)).toContain(
      'schema violation (monolith, the only target) at /eta: response body at /eta is required',
    );
  });

  it('reports an OpenAPI validator crash as an error on the target, never a pass', async () => {
    // `pattern: "(["` is not a regular expression: validating the response throws.
    const doc = join(await mkdtemp(join(tmpdir(), 'cutover-oa-')), 'items.yaml');
    await writeFile(
      doc,
      [
        'openapi: 3.0.3',
        "info: {title: items, version: '1'}",
        'paths:',
        '  /shipments/{id}:',
        '    get:',
        '      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]',
        '      responses:',
        "        '200':",
        '          description: ok',
        '          content:',
        '            application/json:',
        '              schema:',
        '                type: object',
        '                properties:',
        '                  id: {type: integer}',
        '                  status: {type: string, pattern: "(["}',
        '',
      ].join('\n'),
    );
    const routes = { 'GET /shipments/1': () => ({ body: shipment }) };
    const report = await verify(undefined, routes, [getShipment], { openapi: doc });
    const result = report.results[0]!;
    expect(result.targets.candidate).toMatchObject({
      outcome: 'error',
      error: { code: 'CUTOVER_OPENAPI_INVALID', message: expect.stringMatching(/OpenAPI validator failed/) },
    });
    expect(interactionStatus(result)).toBe('errored');
    expect(verificationFailed(report)).toBe(true);
    expect(renderConsole(report)).toMatch(/candidate: error CUTOVER_OPENAPI_INVALID The OpenAPI validator failed/);
  });

  it('refuses an OpenAPI document that does not exist, naming it', async () => {
    const routes = { 'GET /shipments/1': () => ({ body: shipment }) };
    await expect(verify(routes, undefined, [getShipment], { openapi: '/nowhere/api.yaml' })).rejects.toThrow(
      /nowhere\/api\.yaml/,
    );
  });
});
