import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { collectEvidence, readPactFingerprints, readResultsFile, reportToEvidence } from './evidence.js';
import { report } from './__fixtures__/evidence.js';

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
      requests: [{ method: 'GET', path: '/api/tracking/A' }],
    });
  });

  it('names a file that is not a pact', async () => {
    await expect(readPactFingerprints([await file('notpact.json', { hello: 1 })])).rejects.toThrow(
      /notpact\.json: not a pact/,
    );
    await expect(readPactFingerprints([join(dir, 'absent')])).rejects.toThrow(
      /absent: cannot read the pact file or folder/,
    );
  });
});
