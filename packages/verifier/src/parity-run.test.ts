import { afterEach, describe, expect, it } from 'vitest';
import type { VerificationReport } from '@cutover/core';
import { renderConsole } from './reporters/console.js';
import { renderMarkdown } from './reporters/markdown.js';
import { runVerify } from './run.js';
import type { VerifyOptions } from './options.js';
import { startServer, startStateServer } from './testing/servers.js';
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

/** Verifies `interactions` with the monolith and the candidate answering from `routes`. */
async function verifyPair(
  monolith: Record<string, FixtureHandler>,
  candidate: Record<string, FixtureHandler>,
  interactions: V3Interaction[],
  extra: Partial<VerifyOptions> = {},
): Promise<VerificationReport> {
  const { dir } = await writePacts([v3Pact('web-app', 'logistics', interactions)]);
  const [m, c] = await Promise.all([serve(monolith), serve(candidate)]);
  return runVerify({
    pacts: [dir],
    timeoutMs: 2000,
    ...extra,
    monolith: { ...extra.monolith, url: m.url },
    candidate: { ...extra.candidate, url: c.url },
  });
}

describe('noise sampling of unsafe requests', () => {
  const create: V3Interaction = {
    description: 'create a shipment',
    request: { method: 'POST', path: '/shipments', headers: { 'Content-Type': 'application/json' }, body: { w: 1 } },
    response: { status: 201 },
  };
  /** A monolith whose POSTs create a shipment each time, counted. */
  function countingMonolith() {
    const seen: string[] = [];
    const routes = {
      'POST /shipments': () => {
        seen.push('POST');
        return { status: 201, body: { id: seen.length, created: true } };
      },
    };
    return { seen, routes };
  }
  const candidate = { 'POST /shipments': () => ({ status: 201, body: { id: 9, created: 'yes' } }) };

  it('never re-sends a POST without a provider state to isolate it, and says why its differences count', async () => {
    const monolith = countingMonolith();
    const report = await verifyPair(monolith.routes, candidate, [create]);
    expect(monolith.seen).toEqual(['POST']);
    const parity = report.results[0]!.parity;
    expect(parity.status).toBe('differs');
    // Without samples, the id the monolith hands out cannot be told apart from a real difference.
    expect(parity.differences.map((d) => d.path)).toEqual(['$.id', '$.created']);
    expect(parity.notSampled).toMatch(/POST is not a safe method and no provider state isolates a second request/);
    expect(renderConsole(report)).toContain(`parity: no noise sample: ${parity.notSampled}`);
    expect(renderMarkdown(report)).toContain('No noise sample: POST is not a safe method');
  });

  it('re-sends an unsafe request for noise samples when sampleUnsafeMethods opts in', async () => {
    const monolith = countingMonolith();
    const report = await verifyPair(monolith.routes, candidate, [create], { sampleUnsafeMethods: true });
    expect(monolith.seen).toEqual(['POST', 'POST']);
    const parity = report.results[0]!.parity;
    expect(parity.notSampled).toBeUndefined();
    // The id the monolith hands out varies between its own samples: noise. `created` does not.
    expect(parity.noise.map((d) => d.path)).toEqual(['$.id']);
    expect(parity.differences.map((d) => d.path)).toEqual(['$.created']);
  });

  it('re-sends an unsafe request under a fresh provider state cycle, without asking', async () => {
    const states = startStateServer();
    const stateServer = await states.running;
    open.push(stateServer);
    const monolith = countingMonolith();
    const stateful = { ...create, providerStates: [{ name: 'customer 7 exists' }] };
    const stateUrl = `${stateServer.url}/_pact/state`;
    const report = await verifyPair(monolith.routes, candidate, [stateful], {
      monolith: { url: '', states: { url: stateUrl } },
      candidate: { url: '', states: { url: stateUrl } },
    });
    expect(monolith.seen).toEqual(['POST', 'POST']);
    expect(report.results[0]!.parity.notSampled).toBeUndefined();
  });

  it('does not mention sampling when an unsafe request answers the same on both targets', async () => {
    const monolith = countingMonolith();
    const twin = countingMonolith();
    const report = await verifyPair(monolith.routes, twin.routes, [create]);
    expect(report.results[0]!.parity).toEqual({ status: 'identical', differences: [], noise: [] });
    expect(monolith.seen).toEqual(['POST']);
  });
});

describe('Content-Type parity', () => {
  const get: V3Interaction = {
    description: 'get shipment 1',
    request: { method: 'GET', path: '/shipments/1' },
    response: { status: 200 },
  };
  const answering = (contentType: string) => ({
    'GET /shipments/1': () => ({ headers: { 'content-type': contentType }, body: '{"id":1}' }),
  });

  it('is identical when only case, parameter order or JSON’s charset=utf-8 differ', async () => {
    const report = await verifyPair(answering('application/json'), answering('Application/JSON; charset=UTF-8'), [get]);
    expect(report.results[0]!.parity).toEqual({ status: 'identical', differences: [], noise: [] });
  });

  it('says exactly which part of the Content-Type differs', async () => {
    const report = await verifyPair(
      answering('application/vnd.shipment+json; version=2'),
      answering('application/vnd.shipment+json; charset=utf-8; version=3'),
      [get],
    );
    expect(report.results[0]!.parity.differences).toEqual([
      expect.objectContaining({
        kind: 'header',
        path: 'content-type',
        message:
          'Header content-type differs: the parameter version is 2 on the monolith but 3 on the candidate ("application/vnd.shipment+json; version=2" on the monolith, "application/vnd.shipment+json; charset=utf-8; version=3" on the candidate)',
      }),
    ]);
  });
});
