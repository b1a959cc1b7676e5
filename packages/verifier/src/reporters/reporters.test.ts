import { describe, expect, it } from 'vitest';
import { escapeMarkdown } from '@cutover/core';
import type { InteractionResult, SchemaViolation, VerificationReport } from '@cutover/core';
import { interactionStatus, verificationFailed } from '../status.js';
import { renderConsole } from './console.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';

const passed: InteractionResult = {
  pact: 0,
  consumer: 'web-app',
  provider: 'logistics',
  description: 'get shipment 1',
  providerStates: [],
  pending: false,
  route: { method: 'GET', path: '/shipments/1', template: '/shipments/{id}' },
  targets: {
    monolith: { outcome: 'pass', status: 200, mismatches: [], timingMs: 2 },
    candidate: { outcome: 'pass', status: 200, mismatches: [], timingMs: 3 },
  },
  parity: { status: 'identical', differences: [], noise: [] },
};

const failed: InteractionResult = {
  ...passed,
  description: 'get shipment <2> & "friends"',
  providerStates: [{ name: 'shipment 2 exists', params: {} }],
  route: { method: 'GET', path: '/shipments/2', template: '/shipments/{id}' },
  targets: {
    monolith: { outcome: 'pass', status: 200, mismatches: [], timingMs: 2 },
    candidate: {
      outcome: 'fail',
      status: 200,
      mismatches: [
        { kind: 'body', path: '$.id', expected: 1, actual: '1', message: 'Expected a number at $.id but got a string' },
      ],
      timingMs: 3,
    },
  },
  parity: {
    status: 'differs',
    differences: [
      {
        kind: 'type',
        path: '$.id',
        monolith: 2,
        candidate: '2',
        message: '$.id is number 2 on the monolith but string "2" on the candidate',
      },
    ],
    noise: [{ kind: 'value', path: '$.checkedAt', monolith: 'a', candidate: 'b', message: 'varies', noise: 'sampled' }],
  },
  schema: {
    request: [],
    monolith: [],
    candidate: [],
    baseline: [],
    regressions: [
      {
        code: 'response.body.type',
        severity: 'error',
        on: 'response',
        instancePath: '/id',
        schemaPath: '#/x',
        rule: 'type',
        message: '/id must be integer',
      },
    ],
  },
};

const errored: InteractionResult = {
  ...passed,
  description: 'create shipment',
  route: { method: 'POST', path: '/shipments' },
  targets: {
    monolith: { outcome: 'pass', status: 201, mismatches: [], timingMs: 2 },
    candidate: {
      outcome: 'error',
      mismatches: [],
      error: { code: 'CUTOVER_TARGET_UNREACHABLE', message: 'POST http://c/shipments failed: ECONNREFUSED' },
      timingMs: 1,
    },
  },
  parity: { status: 'not-compared', differences: [], noise: [] },
};

const report: VerificationReport = {
  format: 'cutover.verification/v1',
  tool: { name: 'cutover', version: '0.1.0' },
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: '2026-01-01T00:00:01.000Z',
  provider: { name: 'logistics' },
  targets: { monolith: { url: 'http://m' }, candidate: { url: 'http://c' } },
  pacts: [{ consumer: 'web-app', provider: 'logistics', source: 'pacts/web-app.json' }],
  results: [passed, failed, errored],
  summary: {
    interactions: 3,
    passed: 1,
    failed: 1,
    errored: 1,
    skipped: 0,
    parity: { identical: 1, noiseOnly: 0, differs: 1, notCompared: 1 },
  },
};

describe('reporters', () => {
  it('console: lists what failed with reasons, a per-route table and the summary', () => {
    const text = renderConsole(report);
    expect(text).toContain(
      'FAIL GET /shipments/{id} — web-app: get shipment <2> & "friends" (given shipment 2 exists)',
    );
    expect(text).toContain('candidate: pact mismatch at $.id: Expected a number at $.id but got a string');
    expect(text).toContain('parity: type at $.id');
    expect(text).toContain('schema regression (candidate) at /id');
    expect(text).toContain('ERROR POST /shipments');
    expect(text).toMatch(/GET \/shipments\/\{id\}\s+2\s+1\s+1\s+0/);
    expect(text).toContain('3 interactions: 1 passed, 1 failed, 1 errored, 0 skipped');
    expect(text).not.toContain('get shipment 1');
  });

  it('junit: one testcase per interaction, failures and errors escaped', () => {
    const xml = renderJunit(report);
    expect(xml).toContain('<testsuites name="cutover verify" tests="3" failures="1" errors="1" skipped="0">');
    expect(xml).toContain('<testsuite name="web-app → logistics" tests="3" failures="1" errors="1"');
    expect(xml).toContain('name="web-app: get shipment &lt;2&gt; &amp; &quot;friends&quot; (given shipment 2 exists)"');
    expect(xml).toMatch(/<failure message="candidate: pact mismatch at \$\.id[^"]*" type="failed">/);
    expect(xml).toMatch(/<error message="candidate: error CUTOVER_TARGET_UNREACHABLE/);
    expect(xml.match(/<testcase /g)).toHaveLength(3);
  });

  it('markdown: per route, what broke, differences side by side', () => {
    const md = renderMarkdown(report);
    expect(md).toContain('## ❌ cutover verify: logistics');
    expect(md).toContain('### `GET /shipments/{id}` — 1 failing');
    expect(md).toContain('| type | `$.id` | `2` | `"2"` |');
    expect(md).toContain('- **candidate**: error `CUTOVER_TARGET_UNREACHABLE`');
    expect(md).toContain('OpenAPI violations that fail it:');
    expect(md).toContain('- schema regression (candidate) at /id: /id must be integer \\[response.body.type\\]');
  });

  it('markdown: stays a postable pull-request comment however many interactions fail', () => {
    const many = Array.from({ length: 2000 }, (_, i) => ({
      ...failed,
      description: `get item ${i}`,
      route: { method: 'GET', path: `/items/${i}` },
    }));
    const md = renderMarkdown({ ...report, results: many });
    expect(md.length).toBeLessThanOrEqual(60_000);
    const shown = md.split('\n').filter((line) => line.startsWith('### `GET /items/')).length;
    expect(shown).toBeGreaterThan(10);
    expect(md).toContain(
      `_Cut to fit a pull-request comment: ${2000 - shown} failing interaction(s) on ${2000 - shown} route(s) are not shown here`,
    );
    expect(renderMarkdown({ ...report, results: many }, { maxLength: 200_000 }).length).toBeGreaterThan(60_000);
  });

  it('markdown: shows the first failing interactions of a route and counts the rest', () => {
    const same = Array.from({ length: 10 }, (_, i) => ({ ...failed, description: `get shipment ${i}` }));
    const md = renderMarkdown({ ...report, results: same });
    expect(md).toContain('### `GET /shipments/{id}` — 10 failing');
    expect(md.match(/^#### /gm)).toHaveLength(3);
    expect(md).toContain('… and 7 more failing on this route.');
    expect(md).not.toContain('Cut to fit');
  });

  it('markdown: says so when everything passed', () => {
    const md = renderMarkdown({
      ...report,
      results: [passed],
      summary: { ...report.summary, interactions: 1, failed: 0, errored: 0 },
    });
    expect(md).toContain('## ✅');
    expect(md).toContain('Every interaction passed');
  });
});

const violation = (instancePath: string, message: string): SchemaViolation => ({
  code: 'response.body.required',
  severity: 'error',
  on: 'response',
  instancePath,
  schemaPath: '#/x',
  rule: 'required',
  message,
});

describe('reporters: OpenAPI violations', () => {
  // Passing, but the monolith and candidate share a violation, the monolith has one of its own
  // and the request breaks the document: all reported, none failing the interaction.
  const noted: InteractionResult = {
    ...passed,
    schema: {
      request: [{ ...violation('/query/limit', 'limit must be integer'), on: 'request' }],
      monolith: [violation('/eta', 'eta is required'), violation('/weight', 'weight is required')],
      candidate: [violation('/eta', 'eta is required')],
      baseline: [violation('/eta', 'eta is required')],
      regressions: [],
    },
  };
  const notedReport: VerificationReport = {
    ...report,
    results: [noted],
    summary: { ...report.summary, interactions: 1, passed: 1, failed: 0, errored: 0 },
  };

  it('lists baseline, monolith-only and request violations of a passing interaction in every report', () => {
    expect(interactionStatus(noted)).toBe('passed');
    const baseline = 'schema baseline (shared with the monolith) at /eta: eta is required [response.body.required]';
    const monolithOnly = 'schema violation (monolith only) at /weight: weight is required';
    const request = 'schema violation (request) at /query/limit: limit must be integer';
    const text = renderConsole(notedReport);
    expect(text).toContain('NOTE GET /shipments/{id} — web-app: get shipment 1');
    for (const line of [baseline, monolithOnly, request]) expect(text).toContain(line);
    const md = renderMarkdown(notedReport);
    expect(md).toContain('## ✅');
    expect(md).toContain('### OpenAPI violations that do not fail the run');
    for (const line of [baseline, monolithOnly, request]) expect(md).toContain(escapeMarkdown(line));
    const xml = renderJunit(notedReport);
    expect(xml).toMatch(/<system-out>schema baseline \(shared with the monolith\) at \/eta/);
    for (const line of [monolithOnly, request]) expect(xml).toContain(line);
  });

  it("fails a monolith-only run on the monolith's own violations (it is the only target, not a baseline)", () => {
    const single: InteractionResult = {
      ...passed,
      targets: { monolith: passed.targets.monolith! },
      parity: { status: 'not-compared', differences: [], noise: [] },
      schema: {
        request: [],
        monolith: [violation('/eta', 'eta is required')],
        candidate: [],
        baseline: [],
        regressions: [],
      },
    };
    expect(interactionStatus(single)).toBe('failed');
    const singleReport: VerificationReport = {
      ...report,
      targets: { monolith: { url: 'http://m' } },
      results: [single],
    };
    expect(verificationFailed(singleReport)).toBe(true);
    const text = renderConsole(singleReport);
    expect(text).toContain('FAIL GET /shipments/{id}');
    expect(text).toContain('schema violation (monolith, the only target) at /eta: eta is required');
    expect(renderMarkdown(singleReport)).toContain('schema violation (monolith, the only target) at /eta');
    expect(renderJunit(singleReport)).toMatch(
      /<failure message="schema violation \(monolith, the only target\) at \/eta/,
    );
  });
});

describe('JSON report', () => {
  it('renders exactly the report as one JSON document, one line per result', async () => {
    const { renderJsonChunks } = await import('./json.js');
    const text = [...renderJsonChunks(report)].join('');
    expect(JSON.parse(text)).toEqual(report);
    expect(text.split('\n').filter((line) => line.trimStart().startsWith('{"pact"'))).toHaveLength(3);
    const empty = [...renderJsonChunks({ ...report, results: [] })].join('');
    expect(JSON.parse(empty)).toEqual({ ...report, results: [] });
  });

  it('names the file when the JSON report cannot be written', async () => {
    const { writeJsonReport } = await import('./json.js');
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    // A regular file where a folder should be: the write must fail, and say where.
    const blocker = join(await mkdtemp(join(tmpdir(), 'cutover-json-')), 'not-a-folder');
    await writeFile(blocker, '');
    await expect(writeJsonReport(report, join(blocker, 'verify.json'))).rejects.toMatchObject({
      code: 'CUTOVER_OUTPUT_FAILED',
      message: expect.stringContaining(join(blocker, 'verify.json')),
    });
  });
});

describe('console summary table', () => {
  it('shows failing routes first and sums up the tail beyond maxRoutes', () => {
    const many = Array.from({ length: 5 }, (_, i) => ({ ...passed, route: { method: 'GET', path: `/items/${i}` } }));
    const text = renderConsole({ ...report, results: [...many, failed] }, { maxRoutes: 2 });
    const tableLines = text.split('\n').filter((l) => /^(route|GET|… )/.test(l));
    expect(tableLines[1]).toMatch(/^GET \/shipments\/\{id\}/);
    expect(tableLines[3]).toMatch(/^… 4 more routes\s+4\s+4/);
  });
});

describe('reporters: text from pacts, targets and URLs', () => {
  const ESC = '\u001b';
  const BEL = '\u0007';
  const hostile: InteractionResult = {
    ...failed,
    description: `**urgent** [click](http://evil) ${ESC}[2J${BEL}`,
    providerStates: [{ name: 'item <b>1</b> | exists', params: {} }],
    parity: {
      status: 'differs',
      differences: [
        {
          kind: 'value',
          path: '$.a`b|c',
          monolith: 'x`y',
          candidate: `${ESC}[31m|`,
          message: 'differs',
        },
      ],
      noise: [],
    },
  };
  const hostileReport: VerificationReport = {
    ...report,
    targets: { monolith: { url: 'http://ci:secret@m' }, candidate: { url: 'https://token@c' } },
    results: [hostile],
  };

  it('console: control characters are shown as \\u escapes and URL credentials are hidden', () => {
    const text = renderConsole(hostileReport);
    for (const c of ['\u0007', '\u001b']) expect(text).not.toContain(c);
    expect(text).toContain('[click](http://evil) \\u001b[2J\\u0007');
    expect(text).toContain('monolith http://***:***@m/, candidate https://***@c/');
    expect(text).not.toContain('secret');
  });

  it('markdown: descriptions and states cannot format, link or break the table; code spans hold backticks', () => {
    const md = renderMarkdown(hostileReport);
    for (const c of ['\u0007', '\u001b']) expect(md).not.toContain(c);
    expect(md).toContain('#### web-app: \\*\\*urgent\\*\\* \\[click\\](http://evil) \\\\u001b\\[2J\\\\u0007');
    expect(md).toContain('(given item \\<b\\>1\\</b\\> \\| exists)');
    const row = md.split('\n').find((line) => line.startsWith('| value'))!;
    expect(row).toBe('| value | `` $.a`b\\|c `` | `` "x`y" `` | `"\\u001b[31m\\|"` |');
    expect(row.split(/(?<!\\)\|/).length).toBe(6);
    expect(md).toContain('**monolith** http://\\*\\*\\*:\\*\\*\\*@m/');
    expect(md).not.toContain('secret');
  });

  it('junit: stays well-formed XML and shows control characters instead of dropping them', () => {
    const xml = renderJunit(hostileReport);
    // eslint-disable-next-line no-control-regex
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    expect(xml).toContain(
      'name="web-app: **urgent** [click](http://evil) \\u001b[2J\\u0007 (given item &lt;b&gt;1&lt;/b&gt; | exists)"',
    );
  });
});
