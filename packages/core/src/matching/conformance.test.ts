import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { matchRequest, matchResponse } from './index.js';

// The Pact specification's own cases live beside the repository: <repo>/../shared/pact-spec-testcases.
const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../../..');
// PACT_SPEC_TESTCASES points elsewhere (and lets the skip path be exercised by hand).
const casesRoot = resolve(repoRoot, process.env.PACT_SPEC_TESTCASES ?? '../shared/pact-spec-testcases');

interface SpecCase {
  file: string;
  kind: 'request' | 'response';
  specVersion: string;
  data: { match: boolean; comment?: string; expected: unknown; actual: unknown };
}

function listJson(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .flatMap((name) => {
      const full = join(dir, name);
      return statSync(full).isDirectory() ? listJson(full) : name.endsWith('.json') ? [full] : [];
    })
    .sort();
}

function specVersionOf(data: Record<string, unknown>, fallback: string): string {
  const metadata = data.metadata as Record<string, unknown> | undefined;
  const spec =
    (metadata?.pactSpecification as { version?: string } | undefined)?.version ?? metadata?.['pact-specification'];
  return typeof spec === 'string' ? spec : typeof data.specVersion === 'string' ? data.specVersion : fallback;
}

function loadCases(): SpecCase[] {
  const cases: SpecCase[] = [];
  for (const [folder, version] of [
    ['v3', '3.0.0'],
    ['v4', '4.0'],
  ] as const) {
    for (const kind of ['request', 'response'] as const) {
      for (const file of listJson(join(casesRoot, folder, kind))) {
        const data = JSON.parse(readFileSync(file, 'utf8')) as SpecCase['data'] & Record<string, unknown>;
        cases.push({ file: relative(casesRoot, file), kind, specVersion: specVersionOf(data, version), data });
      }
    }
  }
  return cases;
}

const available = existsSync(casesRoot);
const cases = available ? loadCases() : [];
let agree = 0;

const suite = available ? describe : describe.skip;

suite(`Pact specification conformance (${casesRoot})`, () => {
  afterAll(() => {
    console.log(`pact conformance: ${cases.length} cases, ${agree} agree`);
  });

  it('finds the v3 and v4 request and response cases', () => {
    expect(cases.length).toBeGreaterThan(300);
  });

  it.each(cases.map((c) => [c.file, c] as const))('%s', (_file, c) => {
    const match = c.kind === 'request' ? matchRequest : matchResponse;
    const result = match(c.data.expected, c.data.actual, { specVersion: c.specVersion });
    const detail = result.mismatches.map((m) => m.message).join('\n');
    expect(result.ok, `${c.data.comment ?? ''}\n${detail}`).toBe(c.data.match);
    // A failed match always explains itself.
    expect(result.mismatches.length === 0).toBe(result.ok);
    agree++;
  });
});

// Why the suite skips, printed once so the default reporter's output says so, not only a skipped title.
const skipReason = `skipped: the spec test cases are not at ${casesRoot} (put shared/pact-spec-testcases beside the repository, or set PACT_SPEC_TESTCASES, to run them)`;

if (!available) {
  console.warn(`pact conformance ${skipReason}`);
  describe('Pact specification conformance', () => {
    it.skip(skipReason, () => {});
  });
}
