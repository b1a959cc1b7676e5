import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
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

describe('parity of JSON as written', () => {
  const get: V3Interaction = {
    description: 'get shipment 1',
    request: { method: 'GET', path: '/shipments/1' },
    response: {
      status: 200,
      body: { id: 1 },
      matchingRules: { body: { '$.id': { matchers: [{ match: 'type' }] } } },
    },
  };
  const sending = (text: string) => ({
    'GET /shipments/1': () => ({ headers: { 'content-type': 'application/json' }, body: text }),
  });

  it('finds an id the candidate rounded to a double, and reports both as written', async () => {
    const report = await verifyPair(sending('{"id":9007199254740993}'), sending('{"id":9007199254740992}'), [get]);
    const [result] = report.results;
    expect(result!.parity.status).toBe('differs');
    expect(result!.parity.differences).toEqual([
      expect.objectContaining({
        kind: 'value',
        path: '$.id',
        monolith: '9007199254740993',
        candidate: '9007199254740992',
        message: '$.id is 9007199254740993 on the monolith but 9007199254740992 on the candidate',
      }),
    ]);
    expect(renderConsole(report)).toContain('9007199254740993 on the monolith but 9007199254740992 on the candidate');
  });

  it('finds a key the candidate writes twice, though JSON.parse keeps the same value', async () => {
    const report = await verifyPair(sending('{"id":1}'), sending('{"id":999,"id":1}'), [get]);
    expect(report.results[0]!.parity.differences).toEqual([
      expect.objectContaining({
        kind: 'duplicate-key',
        path: '$.id',
        monolith: 1,
        candidate: 2,
        message:
          '$.id is written 2 times in one object on the candidate but once on the monolith: JSON parsers disagree on which copy counts',
      }),
    ]);
  });

  it('tells 10.0 from 10 but not 1.50 from 1.5', async () => {
    const report = await verifyPair(
      sending('{"id":1,"price":10.0,"rate":1.50}'),
      sending('{"id":1,"price":10,"rate":1.5}'),
      [get],
    );
    expect(report.results[0]!.parity.differences).toEqual([
      expect.objectContaining({
        path: '$.price',
        monolith: '10.0',
        candidate: '10',
        message:
          '$.price is 10.0 on the monolith but 10 on the candidate: the same value, written as a decimal on the monolith and as an integer on the candidate',
      }),
    ]);
  });

  it('compares numbers beyond the double range as written', async () => {
    const same = await verifyPair(sending('{"id":1,"big":1e400}'), sending('{"id":1,"big":1E+400}'), [get]);
    expect(same.results[0]!.parity.status).toBe('identical');
    const other = await verifyPair(sending('{"id":1,"big":1e400}'), sending('{"id":1,"big":2e400}'), [get]);
    expect(other.results[0]!.parity.differences).toEqual([
      expect.objectContaining({ path: '$.big', monolith: '1e400', candidate: '2e400' }),
    ]);
  });
});

describe('pact numbers a double does not hold', () => {
  it('reports a pact number as the pact wrote it (1e400, not null) and the answer as the target sent it', async () => {
    const { dir } = await writePacts([]);
    const file = join(dir, 'web-app-logistics.json');
    const body = '{"id": 1e400, "ref": 9007199254740993}';
    await writeFile(
      file,
      `{"consumer":{"name":"web-app"},"provider":{"name":"logistics"},"metadata":{"pactSpecification":{"version":"3.0.0"}},
      "interactions":[{"description":"get shipment 1","request":{"method":"GET","path":"/shipments/1"},
      "response":{"status":200,"headers":{"Content-Type":"application/json"},"body":${body}}}]}`,
    );
    const target = await serve({
      'GET /shipments/1': () => ({
        headers: { 'content-type': 'application/json' },
        body: '{"id": 5, "ref": 9007199254740992}',
      }),
    });
    const report = await runVerify({ pacts: [file], monolith: { url: target.url }, timeoutMs: 2000 });
    expect(report.results[0]!.targets.monolith!.mismatches.map((m) => m.message)).toEqual([
      'Expected $.id to equal 1e400, but got 5',
      'Expected $.ref to equal 9007199254740993, but got 9007199254740992',
    ]);
  });
});

describe('verdicts people can act on', () => {
  const items = [1, 2, 3].map((n): V3Interaction => ({
    description: `get item ${n}`,
    request: { method: 'GET', path: `/items/${n}` },
    response: { status: 200 },
  }));
  const legacyHeaders = {
    'access-control-allow-credentials': 'true',
    pragma: 'no-cache',
    vary: 'Origin, Accept-Encoding',
    expires: '-1',
  };
  const monolith = {
    'GET /items/*': (req: { path: string }) => ({
      headers: legacyHeaders,
      body: { id: Number(req.path.split('/')[2]), a: 1, b: 2, c: 3, d: 4, e: 5, f: 6 },
    }),
  };
  const candidate = {
    'GET /items/*': (req: { path: string }) => ({
      body: { id: req.path.split('/')[2], a: 10, b: 20, c: 30, d: 40, e: 50, f: 60 },
    }),
  };

  it('puts the body first and states headers that differ on every interaction once for the run', async () => {
    const report = await verifyPair(monolith, candidate, items);
    const first = report.results[0]!.parity.differences;
    expect(first[0]).toMatchObject({ kind: 'type', path: '$.id' });
    expect(first.map((d) => d.path).slice(-4)).toEqual([
      'expires',
      'access-control-allow-credentials',
      'pragma',
      'vary',
    ]);

    const console = renderConsole(report);
    const block = console.slice(console.indexOf('FAIL GET /items/1'), console.indexOf('FAIL GET /items/2'));
    expect(block.split('\n')[1]).toBe(
      '  parity: type at $.id: $.id is number 1 on the monolith but string "1" on the candidate',
    );
    expect(block).not.toContain('pragma');
    expect(block).toContain('parity: and 4 header differences common to the run (listed once, below)');
    expect(console.match(/never sends pragma/g)).toHaveLength(1);
    expect(console).toContain(
      'the candidate never sends pragma (the monolith sends "no-cache") on every one of the 3 compared interactions',
    );

    const markdown = renderMarkdown(report);
    expect(markdown.match(/### Header differences common to the run/g)).toHaveLength(1);
    expect(markdown).toContain('- the candidate never sends expires (the monolith sends "-1") on every one of the 3');
    expect(markdown).toContain(
      'Parity: 7 difference(s), and 4 header difference(s) common to the run (listed once above)',
    );
    // The top differences in a table, the whole list folded away.
    const table = markdown.indexOf('| type | `$.id` |');
    const details = markdown.indexOf('<details><summary>All 7 differences</summary>');
    expect(table).toBeGreaterThan(-1);
    expect(details).toBeGreaterThan(table);
    expect(markdown.slice(details)).toContain('- value at `$.f`: \\$.f is 6 on the monolith but 60 on the candidate');
  });

  it('keeps a header difference under its interaction when it is found on one interaction only', async () => {
    const once = {
      'GET /items/*': (req: { path: string }) => ({
        headers: (req.path === '/items/2' ? { 'cache-control': 'no-store' } : {}) as Record<string, string>,
        body: { id: 1 },
      }),
    };
    const report = await verifyPair(once, { 'GET /items/*': () => ({ body: { id: 1 } }) }, items);
    const console = renderConsole(report);
    expect(console).toContain('parity: header at cache-control: Header cache-control is missing on the candidate');
    expect(console).not.toContain('common to the run');
  });
});

describe('pact request bodies replayed as written', () => {
  it('sends a request body number a double does not hold exactly as the pact has it', async () => {
    const { dir } = await writePacts([]);
    const file = join(dir, 'web-app-logistics.json');
    const body = '{"ref":9007199254740993,"weight":2.0,"limit":1e400}';
    await writeFile(
      file,
      `{"consumer":{"name":"web-app"},"provider":{"name":"logistics"},"metadata":{"pactSpecification":{"version":"3.0.0"}},
      "interactions":[{"description":"create","request":{"method":"POST","path":"/shipments","headers":{"Content-Type":"application/json"},"body":${body}},
      "response":{"status":201}}]}`,
    );
    const received: string[] = [];
    const target = await serve({
      'POST /shipments': (req) => {
        received.push(req.body);
        return { status: 201 };
      },
    });
    const report = await runVerify({ pacts: [file], monolith: { url: target.url }, timeoutMs: 2000 });
    expect(report.summary.passed).toBe(1);
    expect(received).toEqual([body]);
  });
});
