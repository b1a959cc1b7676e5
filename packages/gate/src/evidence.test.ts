import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { summarizeResults, type VerificationReport } from '@cutover/core';
import { collectEvidence, readPactFingerprints, readResultsFile, reportToEvidence } from './evidence.js';
import { report, result } from './__fixtures__/evidence.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cutover-evidence-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, content: unknown): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('results files', () => {
  it('reads a cutover.verification/v1 report', async () => {
    const evidence = await collectEvidence({ resultsFiles: [await file('ok.json', report())] });
    expect(evidence.problems).toEqual([]);
    expect(evidence.reports[0]).toMatchObject({ kind: 'file', provider: 'logistics', candidateVersion: '1.4.0' });
    expect(evidence.reports[0]!.results).toHaveLength(3);
  });

  it('refuses another format, saying what it found and what it expected', async () => {
    const path = await file('other.json', { ...report(), format: 'cutover.verification/v2' });
    await expect(readResultsFile(path)).rejects.toMatchObject({
      code: 'CUTOVER_EVIDENCE_INVALID',
      message: expect.stringMatching(
        /not a cutover verification report: found format "cutover\.verification\/v2"; expected "format": "cutover\.verification\/v1"/,
      ),
    });
  });

  it('recognises a pact file given as results', async () => {
    const path = await file('pact.json', {
      consumer: { name: 'web-app' },
      provider: { name: 'logistics' },
      interactions: [],
    });
    await expect(readResultsFile(path)).rejects.toThrow(
      /found no "format" field \(this looks like a pact file, not verification results\)/,
    );
  });

  it('names the file and JSON path of a malformed result', async () => {
    const bad = report();
    (bad.results[1] as unknown as { parity: unknown }).parity = { status: 'same' };
    await expect(readResultsFile(await file('bad.json', bad))).rejects.toThrow(
      /bad\.json: \$\.results\[1\]\.parity\.status must be one of/,
    );
    const noTime = { ...report(), finishedAt: 'yesterday' };
    expect(() => reportToEvidence(noTime, 'r.json')).toThrow(/r\.json: \$\.finishedAt must be an ISO 8601 time/);
  });

  describe('refuses self-contradicting results, naming the file and the JSON path', () => {
    const diff = { kind: 'value' as const, path: '$.status', monolith: 'DELIVERED', candidate: 'LOST', message: 'x' };
    const noise = { ...diff, path: '$.generatedAt', noise: 'sampled' as const };
    const violation = {
      code: 'response.body.type',
      severity: 'error' as const,
      on: 'response' as const,
      instancePath: '/eta',
      schemaPath: '#/x',
      rule: 'type',
      message: 'must be string',
    };
    const cases: [string, Parameters<typeof result>[0], RegExp][] = [
      [
        'parity "identical" with differences',
        { parity: { status: 'identical', differences: [diff], noise: [] } },
        /\$\.results\[0\]\.parity\.differences is not empty but \.parity\.status is "identical"/,
      ],
      [
        'parity "identical" with noise',
        { parity: { status: 'identical', differences: [], noise: [noise] } },
        /\$\.results\[0\]\.parity\.noise is not empty but \.parity\.status is "identical"/,
      ],
      [
        'parity "noise-only" with differences',
        { parity: { status: 'noise-only', differences: [diff], noise: [noise] } },
        /\$\.results\[0\]\.parity\.differences has 1 difference\(s\) but \.parity\.status is "noise-only"/,
      ],
      [
        'parity "noise-only" without noise',
        { parity: { status: 'noise-only', differences: [], noise: [] } },
        /\$\.results\[0\]\.parity\.noise is empty but \.parity\.status is "noise-only"/,
      ],
      [
        'parity "differs" without differences',
        { parity: { status: 'differs', differences: [], noise: [] } },
        /\$\.results\[0\]\.parity\.differences is empty but \.parity\.status is "differs"/,
      ],
      [
        'parity "not-compared" with differences',
        { parity: { status: 'not-compared', differences: [diff], noise: [] } },
        /\$\.results\[0\]\.parity\.differences is not empty but \.parity\.status is "not-compared"/,
      ],
      [
        'a "pass" with mismatches',
        {
          targets: {
            monolith: { outcome: 'pass', mismatches: [], timingMs: 1 },
            candidate: {
              outcome: 'pass',
              mismatches: [{ kind: 'body', path: '$.status', expected: 'DELIVERED', actual: 'LOST', message: 'x' }],
              timingMs: 1,
            },
          },
        },
        /\$\.results\[0\]\.targets\.candidate\.mismatches has 1 mismatch\(es\) but \.targets\.candidate\.outcome is "pass"/,
      ],
      [
        'parity claimed without a monolith target',
        { targets: { candidate: { outcome: 'pass', mismatches: [], timingMs: 1 } } },
        /\$\.results\[0\]\.targets\.monolith is missing but \.parity\.status is "identical"/,
      ],
      [
        'parity claimed while the monolith errored',
        {
          targets: {
            monolith: { outcome: 'error', mismatches: [], timingMs: 1 },
            candidate: { outcome: 'pass', mismatches: [], timingMs: 1 },
          },
        },
        /\$\.results\[0\]\.targets\.monolith\.outcome is "error" but \.parity\.status is "identical"/,
      ],
      [
        'a candidate schema violation in neither regressions nor baseline',
        { schema: { request: [], monolith: [], candidate: [violation], baseline: [], regressions: [] } },
        /\$\.results\[0\]\.schema\.candidate\[0\] is in neither \.schema\.regressions nor \.schema\.baseline/,
      ],
      [
        'a "baseline" violation the monolith does not have',
        { schema: { request: [], monolith: [], candidate: [violation], baseline: [violation], regressions: [] } },
        /\$\.results\[0\]\.schema\.baseline\[0\] is not among both/,
      ],
    ];
    it.each(cases)('%s', (_what, overrides, message) => {
      const bad = report({ results: [result(overrides)] });
      let error: unknown;
      try {
        reportToEvidence(bad, 'audit/bad.json');
      } catch (e) {
        error = e;
      }
      expect(error).toMatchObject({ code: 'CUTOVER_EVIDENCE_INVALID', details: { source: 'audit/bad.json' } });
      expect((error as Error).message).toMatch(/^audit\/bad\.json: /);
      expect((error as Error).message).toMatch(message);
    });

    it('accepts the consistent forms cutover verify writes', () => {
      const consistent = [
        result({ parity: { status: 'differs', differences: [diff], noise: [noise] } }),
        result({ parity: { status: 'noise-only', differences: [], noise: [noise] } }),
        result({
          targets: { candidate: { outcome: 'pass', mismatches: [], timingMs: 1 } },
          parity: { status: 'not-compared', differences: [], noise: [] },
          schema: { request: [], monolith: [], candidate: [violation], baseline: [], regressions: [violation] },
        }),
        result({
          schema: {
            request: [],
            monolith: [violation],
            candidate: [violation],
            baseline: [violation],
            regressions: [],
          },
        }),
      ];
      expect(reportToEvidence(report({ results: consistent }), 'ok.json').results).toHaveLength(4);
    });

    it.each([
      [
        'a summary that counts a failing interaction as passed',
        (r: VerificationReport) => (r.summary = { ...r.summary, passed: 3, failed: 0 }),
        /\$\.summary\.passed \(3\) contradicts \$\.results, which count as passed 2$/,
      ],
      [
        'a summary that counts fewer interactions than the results hold',
        (r: VerificationReport) => (r.summary = { ...r.summary, interactions: 2 }),
        /\$\.summary\.interactions \(2\) contradicts \$\.results, which hold 3$/,
      ],
      [
        'a summary with other parity counts',
        (r: VerificationReport) => (r.summary = { ...r.summary, parity: { ...r.summary.parity, differs: 0 } }),
        /\$\.summary\.parity\.differs \(0\) contradicts \$\.results, where 1 have that parity status$/,
      ],
      [
        'a result whose pact index points at no pact',
        (r: VerificationReport) => (r.results[0]!.pact = 2),
        /\$\.results\[0\]\.pact \(2\) points at no pact: \$\.pacts has 2 entries$/,
      ],
      [
        "a result whose consumer is not its pact's",
        (r: VerificationReport) => (r.results[0]!.pact = 1),
        /\$\.results\[0\]\.consumer \("web-app"\) contradicts \$\.pacts\[1\]\.consumer \("mobile-app"\)/,
      ],
      [
        'a result index that is not a position',
        (r: VerificationReport) => (r.results[0]!.index = -1),
        /\$\.results\[0\]\.index must be a non-negative integer$/,
      ],
      [
        'filters of an unknown kind',
        (r: VerificationReport) => (r.filters = { tags: ['x'] } as never),
        /\$\.filters\.tags must be one of consumers, descriptions, states, routes/,
      ],
    ])('refuses %s, naming the JSON path', (_what, edit, message) => {
      const r = report();
      const differs = result({ parity: { status: 'differs', differences: [diff], noise: [] } });
      r.results = [differs, ...r.results.slice(1)];
      r.summary = summarizeResults(r.results);
      edit(r);
      expect(() => reportToEvidence(r, 'bad.json')).toThrow(
        expect.objectContaining({ code: 'CUTOVER_EVIDENCE_INVALID' }),
      );
      expect(() => reportToEvidence(r, 'bad.json')).toThrow(message);
    });

    it('keeps the filters of a filtered run', () => {
      const r = report({ filters: { routes: ['/api/tracking/**'] } });
      expect(reportToEvidence(r, 'r.json').filters).toEqual({ routes: ['/api/tracking/**'] });
    });

    it('refuses a report that finished before it started', () => {
      expect(() => reportToEvidence(report({ finishedAt: '2026-11-21T00:00:00.000Z' }), 'r.json')).toThrow(
        /r\.json: \$\.finishedAt \(2026-11-21T00:00:00\.000Z\) is before \$\.startedAt/,
      );
    });
  });

  it('refuses a provider.version that is not a version (it is written into routing artifacts), naming the JSON path', () => {
    for (const version of ['1.4.0\nadd_header X 1;', '1.4.0"; x', '$host', '', 42])
      expect(() =>
        reportToEvidence(report({ provider: { name: 'logistics', version: version as string } }), 'r.json'),
      ).toThrow(/r\.json: \$\.provider\.version (must start with a letter or digit|is not a string)/);
    for (const version of ['1.4.0', '1.4.0-rc.1+build.5', 'a1b2c3d', 'release/2026-11-22T01:00:00Z', 'v2~1'])
      expect(reportToEvidence(report({ provider: { name: 'logistics', version } }), 'r.json').candidateVersion).toBe(
        version,
      );
  });

  it('names the file when it is missing or not JSON', async () => {
    await expect(readResultsFile(join(dir, 'nope.json'))).rejects.toThrow(/nope\.json: cannot read the results file/);
    await expect(readResultsFile(await file('text.json', 'not json'))).rejects.toThrow(
      /text\.json: the results file is not JSON/,
    );
  });

  it('refuses an empty list of files', async () => {
    await expect(collectEvidence({ resultsFiles: [] })).rejects.toMatchObject({ code: 'CUTOVER_USAGE' });
  });
});

describe('readPactFingerprints', () => {
  it('reads pact files and folders: consumer, provider, sha256 of the text, HTTP requests', async () => {
    const pacts = join(dir, 'pacts');
    await mkdir(pacts, { recursive: true });
    const text = JSON.stringify({
      consumer: { name: 'web-app' },
      provider: { name: 'logistics' },
      interactions: [
        {
          type: 'Synchronous/HTTP',
          description: 'a',
          request: { method: 'get', path: '/api/tracking/A' },
          response: { status: 200 },
        },
        { type: 'Asynchronous/Messages', description: 'm', contents: {} },
      ],
      metadata: { pactSpecification: { version: '4.0' } },
    });
    await writeFile(join(pacts, 'web-app-logistics.json'), text);
    await writeFile(join(pacts, 'notes.txt'), 'ignored');
    const [fingerprint, ...rest] = await readPactFingerprints([pacts]);
    expect(rest).toEqual([]);
    expect(fingerprint).toEqual({
      consumer: 'web-app',
      provider: 'logistics',
      source: join(pacts, 'web-app-logistics.json'),
      sha256: createHash('sha256').update(text).digest('hex'),
      requests: [{ index: 0, description: 'a', method: 'GET', path: '/api/tracking/A' }],
    });
  });

  it('names a file that is not a pact, and a path that does not exist', async () => {
    const notPact = await file('notpact.json', { hello: 1 });
    await expect(readPactFingerprints([notPact])).rejects.toMatchObject({
      code: 'CUTOVER_PACT_INVALID',
      message: expect.stringContaining(`${notPact}: $.consumer.name`),
    });
    await expect(readPactFingerprints(['absent'], dir)).rejects.toMatchObject({
      code: 'CUTOVER_USAGE',
      message: `--pact absent: ${join(dir, 'absent')} does not exist`,
    });
  });

  it('takes globs and folders searched at any depth, relative to cwd', async () => {
    const pact = (consumer: string) =>
      JSON.stringify({
        consumer: { name: consumer },
        provider: { name: 'logistics' },
        interactions: [{ description: 'a', request: { method: 'GET', path: '/a' }, response: { status: 200 } }],
        metadata: { pactSpecification: { version: '3.0.0' } },
      });
    await mkdir(join(dir, 'deep', 'team', 'web'), { recursive: true });
    await writeFile(join(dir, 'deep', 'team', 'web', 'web-app.json'), pact('web-app'));
    await mkdir(join(dir, 'flat'), { recursive: true });
    await writeFile(join(dir, 'flat', 'mobile-logistics.json'), pact('mobile'));
    await writeFile(join(dir, 'flat', 'other.txt'), 'ignored');
    const found = await readPactFingerprints(['deep', 'flat/*-logistics.json'], dir);
    expect(found.map((p) => [p.consumer, p.source])).toEqual([
      ['web-app', join(dir, 'deep', 'team', 'web', 'web-app.json')],
      ['mobile', join(dir, 'flat', 'mobile-logistics.json')],
    ]);
  });
});
