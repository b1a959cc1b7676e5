import { createHash } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH } from '@cutover/core';
import type { VerificationReport } from '@cutover/core';
import { checkedOption, formatByteSize, parseByteSize, VERIFY_LIMITS } from './limits.js';
import type { VerifyOptions } from './options.js';
import { renderConsole } from './reporters/console.js';
import { renderJsonChunks } from './reporters/json.js';
import { renderJunit } from './reporters/junit.js';
import { renderMarkdown } from './reporters/markdown.js';
import { REPORT_VALUE_LIMIT, reportValue } from './report-values.js';
import { runVerify } from './run.js';
import { interactionStatus } from './status.js';
import { startServer, v3Pact, writePacts } from './testing/index.js';
import type { FixtureHandler, Running, V3Interaction } from './testing/index.js';

const open: Running[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function url(routes: Record<string, FixtureHandler>): Promise<string> {
  const server = await startServer(routes);
  open.push(server);
  return server.url;
}

/** `depth` arrays inside each other around `leaf`, as JSON text. */
function nested(depth: number, leaf = '1'): string {
  return '['.repeat(depth) + leaf + ']'.repeat(depth);
}

const json = { 'content-type': 'application/json' };

function get(path: string, body?: unknown): V3Interaction {
  return {
    description: `GET ${path}`,
    request: { method: 'GET', path },
    response: { status: 200, ...(body === undefined ? {} : { body }) },
  };
}

async function verify(
  interactions: V3Interaction[],
  monolith: Record<string, FixtureHandler>,
  candidate: Record<string, FixtureHandler>,
  extra: Partial<VerifyOptions> = {},
): Promise<VerificationReport> {
  const { dir } = await writePacts([v3Pact('web-app', 'logistics', interactions)]);
  return runVerify({
    pacts: [dir],
    timeoutMs: 5000,
    ...extra,
    monolith: { ...extra.monolith, url: await url(monolith) },
    candidate: { ...extra.candidate, url: await url(candidate) },
  });
}

/** Every report format renders the report (none recurses past the stack). */
function renderAll(report: VerificationReport): void {
  renderConsole(report);
  JSON.parse([...renderJsonChunks(report)].join(''));
  renderJunit(report);
  renderMarkdown(report);
}

describe('runVerify safety limits', () => {
  it('errors an interaction whose targets answer JSON nested 5,000 deep (CUTOVER_LIMIT_EXCEEDED); the run and its reports complete', async () => {
    const routes = {
      'GET /deep': () => ({ headers: json, body: nested(5000) }),
      'GET /ok': () => ({ body: { id: 1 } }),
    };
    const report = await verify([get('/deep'), get('/ok', { id: 1 })], routes, routes);
    const [deep, ok] = report.results;
    expect(interactionStatus(deep!)).toBe('errored');
    for (const target of ['monolith', 'candidate'] as const) {
      expect(deep!.targets[target]!.error).toMatchObject({ code: 'CUTOVER_LIMIT_EXCEEDED' });
      expect(deep!.targets[target]!.error!.message).toMatch(
        /^http:\/\/127\.0\.0\.1:\d+ answered HTTP 200: the body nests JSON deeper than 256 levels, the limit for JSON bodies$/,
      );
    }
    expect(interactionStatus(ok!)).toBe('passed');
    expect(report.summary).toMatchObject({ interactions: 2, passed: 1, errored: 1 });
    expect(() => renderAll(report)).not.toThrow();
  });

  it('judges JSON nested exactly MAX_JSON_DEPTH deep: pact matching, parity and every report', async () => {
    const pactBody = JSON.parse(nested(MAX_JSON_DEPTH)) as unknown;
    // A recursive schema makes the OpenAPI validator walk the whole depth too.
    const openapi = join(await mkdtemp(join(tmpdir(), 'cutover-limits-')), 'api.yaml');
    await writeFile(
      openapi,
      `openapi: 3.0.3
info: { title: t, version: '1' }
paths:
  /deep:
    get:
      responses:
        '200':
          description: ok
          content: { application/json: { schema: { $ref: '#/components/schemas/Node' } } }
components:
  schemas:
    Node: { oneOf: [{ type: integer }, { type: array, items: { $ref: '#/components/schemas/Node' } }] }
`,
    );
    const report = await verify(
      [get('/deep', pactBody)],
      { 'GET /deep': () => ({ headers: json, body: nested(MAX_JSON_DEPTH) }) },
      { 'GET /deep': () => ({ headers: json, body: nested(MAX_JSON_DEPTH, '"1"') }) },
      { noiseSamples: 1, openapi },
    );
    const [result] = report.results;
    expect(result!.targets.monolith!.outcome).toBe('pass');
    expect(result!.targets.candidate!.outcome).toBe('fail');
    expect(result!.parity.status).toBe('differs');
    expect(result!.parity.differences[0]).toMatchObject({ kind: 'type', path: `$${'[0]'.repeat(MAX_JSON_DEPTH)}` });
    expect(result!.schema!.monolith).toEqual([]);
    expect(result!.schema!.regressions.length).toBeGreaterThan(0);
    expect(() => renderAll(report)).not.toThrow();
  });

  it('errors an interaction whose body is over maxBodyBytes, naming the size and the limit', async () => {
    const big = 'x'.repeat(2 ** 20 + 1);
    const report = await verify(
      [get('/big'), get('/ok')],
      { 'GET /big': () => ({ body: big }), 'GET /ok': () => ({ body: 'ok' }) },
      { 'GET /big': () => ({ body: 'small' }), 'GET /ok': () => ({ body: 'ok' }) },
      { maxBodyBytes: 2 ** 20 },
    );
    const [tooBig, ok] = report.results;
    expect(tooBig!.targets.monolith!.error).toMatchObject({
      code: 'CUTOVER_LIMIT_EXCEEDED',
      message: expect.stringMatching(
        /^GET http:\/\/127\.0\.0\.1:\d+\/big answered a body of at least 1048577 bytes, over the 1 MiB body limit/,
      ),
    });
    expect(tooBig!.targets.candidate!.outcome).toBe('pass');
    expect(interactionStatus(tooBig!)).toBe('errored');
    expect(interactionStatus(ok!)).toBe('passed');
  });

  it('errors an interaction whose state setup answers JSON nested deeper than the limit', async () => {
    const states = await url({ 'POST /state': () => ({ headers: json, body: `{"id":${nested(5000)}}` }) });
    const stateful: V3Interaction = { ...get('/ok'), providerStates: [{ name: 'a shipment exists' }] };
    const report = await verify(
      [stateful],
      { 'GET /ok': () => ({ body: 'ok' }) },
      { 'GET /ok': () => ({ body: 'ok' }) },
      {
        monolith: { url: 'replaced', states: { url: `${states}/state` } },
      },
    );
    expect(report.results[0]!.targets.monolith!.error).toEqual({
      code: 'CUTOVER_PROVIDER_STATE_FAILED',
      message: `State setup of "a shipment exists" at ${states}/state answered JSON nested deeper than 256 levels`,
    });
  });

  it('refuses numeric options out of range with a usage error naming the option and its range', async () => {
    const { dir } = await writePacts([v3Pact('web-app', 'logistics', [get('/ok')])]);
    const base: VerifyOptions = { pacts: [dir], monolith: { url: 'http://127.0.0.1:9' } };
    const cases: [Partial<VerifyOptions>, string][] = [
      [{ timeoutMs: 3_000_000_000 }, 'timeoutMs must be an integer from 1 to 2147483647, got 3000000000'],
      [{ retries: 11 }, 'retries must be an integer from 0 to 10, got 11'],
      [{ concurrency: 0 }, 'concurrency must be an integer from 1 to 512, got 0'],
      [{ noiseSamples: 1.5 }, 'noiseSamples must be an integer from 1 to 10, got 1.5'],
      [{ maxBodyBytes: 2 ** 31 }, 'maxBodyBytes must be an integer from 1 to 1073741824, got 2147483648'],
    ];
    for (const [options, message] of cases) {
      await expect(runVerify({ ...base, ...options })).rejects.toMatchObject({ code: 'CUTOVER_USAGE', message });
    }
  });
});

describe('option helpers', () => {
  it('parses byte sizes with units of 1024, and refuses anything else naming the option', () => {
    expect(parseByteSize('--max-body', '10MB')).toBe(10 * 2 ** 20);
    expect(parseByteSize('--max-body', '512 kib')).toBe(512 * 1024);
    expect(parseByteSize('--max-body', '1.5g')).toBe(1.5 * 2 ** 30);
    expect(parseByteSize('--max-body', '4096')).toBe(4096);
    expect(() => parseByteSize('--max-body', '-1MB')).toThrow(
      '--max-body must be a size such as 10MB, 512KB or 1048576 (bytes), got "-1MB"',
    );
    expect(formatByteSize(VERIFY_LIMITS.maxBodyBytes.default)).toBe('10 MiB');
    expect(formatByteSize(1536)).toBe('1.5 KiB');
  });

  it('returns the default for an absent value and the value within range', () => {
    expect(checkedOption('--retries', undefined, VERIFY_LIMITS.retries)).toBe(2);
    expect(checkedOption('--retries', 0, VERIFY_LIMITS.retries)).toBe(0);
    expect(() => checkedOption('--timeout', Number.NaN, VERIFY_LIMITS.timeoutMs)).toThrow(
      '--timeout must be an integer from 1 to 2147483647, got something that is not a number',
    );
  });
});

describe('large values in results', () => {
  it('keeps a report small when the targets answer large bodies: values truncated with their size and sha256', async () => {
    const monolithBody = 'a'.repeat(500_000);
    const candidateBody = 'b'.repeat(600_000);
    const report = await verify(
      [{ description: 'GET /text', request: { method: 'GET', path: '/text' }, response: { status: 200, body: 'c' } }],
      { 'GET /text': () => ({ headers: { 'content-type': 'text/plain' }, body: monolithBody }) },
      { 'GET /text': () => ({ headers: { 'content-type': 'text/plain' }, body: candidateBody }) },
      { noiseSamples: 1 },
    );
    const [result] = report.results;
    const [difference] = result!.parity.differences;
    const sha = (text: string) => createHash('sha256').update(text).digest('hex');
    expect(difference!.monolith).toBe(`${'a'.repeat(256)}… [truncated: 500000 bytes, sha256 ${sha(monolithBody)}]`);
    expect(difference!.candidate).toBe(`${'b'.repeat(256)}… [truncated: 600000 bytes, sha256 ${sha(candidateBody)}]`);
    const mismatch = result!.targets.candidate!.mismatches.find((m) => m.kind === 'body');
    expect(mismatch?.actual).toMatch(/^b+… \[truncated: 600000 bytes, sha256 [0-9a-f]{64}\]$/);
    expect([...renderJsonChunks(report)].join('').length).toBeLessThan(20_000);
  });

  it('leaves values up to REPORT_VALUE_LIMIT bytes whole, and summarises larger JSON and bytes', () => {
    const small = { id: 1, name: 'x'.repeat(100) };
    expect(reportValue(small)).toBe(small);
    expect(reportValue('é'.repeat(REPORT_VALUE_LIMIT / 2))).toBe('é'.repeat(REPORT_VALUE_LIMIT / 2));
    expect(reportValue('é'.repeat(REPORT_VALUE_LIMIT / 2 + 1))).toMatch(/\[truncated: 4098 bytes, sha256 /);
    const list = Array.from({ length: 2000 }, (_, i) => i);
    expect(reportValue(list)).toMatch(/^\[0,1,2,.*… \[truncated: \d+ bytes, sha256 [0-9a-f]{64}\]$/);
    expect(reportValue(new Uint8Array(5000))).toMatch(/^<5000 bytes> \[truncated: 5000 bytes, sha256 [0-9a-f]{64}\]$/);
    expect(reportValue(null)).toBeNull();
    expect(reportValue(undefined)).toBeUndefined();
  });
});
