import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseShadowEvidence } from '@cutover/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, startService, stopAll, type Service } from './processes.js';
import { describeShadow, GENERATED_PATHS, shadowGeneratedTraffic } from './shadow-step.js';

/** The demo's shadow step on the real example services, with the built CLI (run `npm run build` first). */
const dir = mkdtempSync(join(tmpdir(), 'demo-shadow-'));
let monolith: Service;
let leaky: Service;
beforeAll(async () => {
  const data = ['--data', join(dir, 'logistics.json')];
  monolith = await startService('logistics-monolith', 'examples/logistics-monolith/src/main.ts', data);
  leaky = await startService('tracking-service', 'examples/tracking-service/src/main.ts', [
    ...data,
    '--divergence',
    'leaked-field',
  ]);
});
afterAll(async () => {
  await stopAll();
  rmSync(dir, { recursive: true, force: true });
});

describe('the demo’s shadow step', { timeout: 90_000 }, () => {
  it('shows the leaked e-mail address on generated live requests, exit 1, nothing else differing', async () => {
    const out = join(dir, 'shadow.json');
    const result = await shadowGeneratedTraffic({
      cli: join(ROOT, 'packages/cli/bin/cutover.js'),
      monolith: monolith.url,
      candidate: leaky.url,
      out,
      openapi: 'contracts/openapi/logistics.yaml',
      rounds: 1,
    });
    expect(result.code).toBe(1);
    expect(result.sent).toBe(GENERATED_PATHS.length);
    const evidence = parseShadowEvidence(result.evidence, out);
    expect(evidence.totals).toMatchObject({ seen: GENERATED_PATHS.length, compared: GENERATED_PATHS.length });
    const kinds = evidence.routes.flatMap((r) => r.differences.map((d) => `${r.path} ${d.kind} ${d.path}`));
    expect(kinds).toEqual(['/api/tracking/{shipmentId} extra $.customerEmail']);
    expect(describeShadow(evidence)[0]).toMatch(
      /^GET \/api\/tracking\/\{shipmentId\}: extra \$\.customerEmail on 5 of 6 live requests \(e\.g\. \/api\/tracking\/SHP-1001: /,
    );
  });
});
