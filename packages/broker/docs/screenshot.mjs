// Regenerates migration-board.png: a broker with a few routes' gate decisions, the board in
// Debian's chromium. Run after `npx tsc -b`: node packages/broker/docs/screenshot.mjs
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { createBroker } from '../dist/index.js';

const dir = mkdtempSync(join(tmpdir(), 'cutover-shot-'));
const broker = await createBroker({ database: { file: join(dir, 'broker.db') }, webhooks: { deliver: false } });
const url = await broker.listen({ port: 0 });
const routes = [
  ['tracking', '/api/tracking/**', [0, 1, 5, 5, 25], 'allowed'],
  ['tracking-events', '/api/tracking/*/events', [0, 1, 1], 'blocked'],
  ['shipments-read', '/api/shipments/*', [0, 1, 5, 25, 50, 100], 'allowed'],
  ['labels', '/api/labels/**', [0, 0], 'blocked'],
];
const start = Date.now() - 14 * 86_400_000;
for (let step = 0; step < 6; step++) {
  const decided = routes
    .filter(([, , weights]) => step < weights.length)
    .map(([name, path, weights, last]) => {
      const final = step === weights.length - 1;
      const outcome = final ? last : 'allowed';
      const reasons =
        outcome === 'blocked'
          ? name === 'labels'
            ? [{ code: 'schema-regression', message: 'candidate: /labels/0/format is not one of pdf, zpl' }]
            : [
                {
                  code: 'parity-differs',
                  message: "web-app · get events: the candidate's response differs at $.events[0].at",
                },
              ]
          : [];
      return {
        name,
        methods: ['GET'],
        path,
        outcome,
        currentWeight: weights[Math.max(0, step - 1)],
        nextWeight: outcome === 'blocked' ? weights[Math.max(0, step - 1)] : weights[step],
        interactions: 6,
        reasons,
        notes:
          name === 'shipments-read'
            ? ['web-app · get shipment: 1 difference(s) accepted as noise ($.generatedAt)']
            : [],
      };
    });
  await fetch(`${url}/cutover/decisions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      format: 'cutover.gate-decision/v1',
      decidedAt: new Date(start + step * 2.5 * 86_400_000).toISOString(),
      policy: { source: 'contracts/cutover.yaml', provider: 'logistics' },
      candidateVersion: `tracking-service@1.${step}.0`,
      outcome: decided.some((r) => r.outcome === 'blocked') ? 'blocked' : 'allowed',
      routes: decided,
    }),
  });
}
const profile = mkdtempSync(join(tmpdir(), 'cutover-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1100, height: 520 },
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'],
});
const page = await context.newPage();
await page.goto(`${url}/ui/board`);
await page.screenshot({ path: fileURLToPath(new URL('./migration-board.png', import.meta.url)), fullPage: true });
await context.close();
await broker.close();
rmSync(dir, { recursive: true, force: true });
rmSync(profile, { recursive: true, force: true });
