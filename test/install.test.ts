import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Service } from '../examples/demo/src/processes.js';
import { startService, stopAll } from '../examples/demo/src/processes.js';
import { ROOT, run, startCutover } from './support/cli.js';
import { installFromTarballs, publishablePackages } from './support/install.js';
import { exampleTargetArgs } from './support/services.js';

/**
 * cutover as another team's repository gets it: every publishable package packed and installed from
 * its tarball into a folder outside this workspace, then used through `npx cutover`, a plain `.mjs`
 * file and a type-checked TypeScript file. A file missing from `files`, a wrong `exports`/`bin`/
 * `types` entry, or a dependency used but only hoisted from the workspace fails here.
 * Everything runs on the node that runs the test (`.ci/run` runs it on Node 22 and 24 too, that
 * node's folder first on the PATH, so `npx` and the bin's `#!/usr/bin/env node` find it as well).
 */
const node = process.execPath;
const project = mkdtempSync(join(tmpdir(), 'cutover-install-'));
const contracts = join(ROOT, 'contracts');
const dataFile = join(project, 'logistics.json');
let monolith: Service;
let candidate: Service;

/** `npx cutover …` in the user's project, on the chosen node. */
function cutover(args: string[]) {
  return run(node, [join(project, 'node_modules', '.bin', 'cutover'), ...args], { cwd: project, timeoutMs: 120_000 });
}

beforeAll(async () => {
  [, monolith, candidate] = await Promise.all([
    installFromTarballs(project, ['@types/node@20']),
    startService('monolith', 'examples/logistics-monolith/src/main.ts', ['--data', dataFile]),
    startService('tracking-service', 'examples/tracking-service/src/main.ts', ['--data', dataFile]),
  ]);
}, 540_000);
afterAll(async () => {
  await stopAll();
  rmSync(project, { recursive: true, force: true });
});

describe('cutover installed from its tarballs, outside the workspace', { timeout: 120_000 }, () => {
  it('installs every publishable package with the bin, as a dev dependency', () => {
    const manifest = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    expect(Object.keys(manifest.devDependencies)).toEqual(
      expect.arrayContaining(publishablePackages().map((p) => p.name)),
    );
  });

  it('runs `npx cutover --help`, listing the commands', async () => {
    const npx = await run('npx', ['--no-install', 'cutover', '--help'], { cwd: project });
    expect(npx.code, npx.stderr).toBe(0);
    expect(npx.stdout).toMatch(/cutover verify/);
    expect(npx.stdout).toMatch(/cutover gate/);
    const version = await cutover(['--version']);
    expect(version.stdout.trim()).toBe(
      (JSON.parse(readFileSync(join(ROOT, 'packages/cli/package.json'), 'utf8')) as { version: string }).version,
    );
  });

  it('checks the example pacts against the OpenAPI document', async () => {
    const checked = await cutover([
      'openapi',
      'check',
      '--openapi',
      join(contracts, 'openapi/logistics.yaml'),
      '--pact',
      join(contracts, 'pacts'),
    ]);
    expect(checked.code, checked.stdout + checked.stderr).toBe(0);
  });

  it('verifies the example monolith and candidate, and the gate allows the first rollout step', async () => {
    const out = join(project, 'reports');
    mkdirSync(out, { recursive: true });
    const verified = await cutover([
      'verify',
      '--pact',
      join(contracts, 'pacts'),
      '--provider',
      'logistics',
      '--openapi',
      join(contracts, 'openapi/logistics.yaml'),
      ...exampleTargetArgs(monolith.url, candidate.url),
      '--json',
      join(out, 'verify.json'),
    ]);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    const gate = (gateway: string, ...extra: string[]) =>
      cutover([
        'gate',
        '--policy',
        join(contracts, 'cutover.yaml'),
        '--results',
        join(out, 'verify.json'),
        '--pact',
        join(contracts, 'pacts'),
        '--openapi',
        join(contracts, 'openapi/logistics.yaml'),
        '--routing-out',
        join(out, gateway),
        '--gateway',
        gateway,
        ...extra,
      ]);
    const gated = await gate('json', '--json', join(out, 'gate.json'));
    expect(gated.code, gated.stdout + gated.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'gate.json'), 'utf8'))).toMatchObject({ outcome: 'allowed' });
    // Envoy's YAML is written by the `yaml` package, which core loads on first use from its install.
    const envoy = await gate('envoy');
    expect(envoy.code, envoy.stdout + envoy.stderr).toBe(0);
    expect(readFileSync(join(out, 'envoy', 'cutover-envoy-routes.yaml'), 'utf8')).toMatch(/^virtual_hosts:$/m);
  });

  it('starts `cutover broker` on a free port with its SQLite file in the project (better-sqlite3 before Node 24, node:sqlite from 24), stores a publication, serves it and stops on SIGTERM without a warning', async () => {
    const database = join(project, 'broker', 'cutover-broker.db');
    mkdirSync(join(project, 'broker'));
    const broker = startCutover(['broker', '--port', '0', '--database', database], {
      cwd: project,
      bin: join(project, 'node_modules', '.bin', 'cutover'),
      node,
    });
    let stopped = false;
    try {
      const [, url] = await broker.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/, 60_000);
      const index = await fetch(`${url}/`, { headers: { accept: 'application/hal+json' } });
      expect(index.status).toBe(200);
      expect(((await index.json()) as { _links?: Record<string, unknown> })._links).toHaveProperty(
        'pb:publish-contracts',
      );
      const pact = readFileSync(join(contracts, 'pacts/web-app-logistics.json'), 'utf8');
      const published = await fetch(`${url}/contracts/publish`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          pacticipantName: 'web-app',
          pacticipantVersionNumber: '1.0.0',
          branch: 'main',
          contracts: [
            {
              consumerName: 'web-app',
              providerName: 'logistics',
              specification: 'pact',
              contentType: 'application/json',
              content: Buffer.from(pact).toString('base64'),
            },
          ],
        }),
      });
      expect(published.status, await published.clone().text()).toBe(200);
      const latest = await fetch(`${url}/pacts/provider/logistics/consumer/web-app/latest`);
      expect(latest.status).toBe(200);
      type Pact = { consumer: { name: string }; interactions: Array<{ description: string }> };
      const served = (await latest.json()) as Pact;
      expect(served.consumer.name).toBe('web-app');
      expect(served.interactions.map((i) => i.description)).toEqual(
        (JSON.parse(pact) as Pact).interactions.map((i) => i.description),
      );
      expect(readFileSync(database).subarray(0, 15).toString()).toBe('SQLite format 3');
      const result = await broker.stop('SIGTERM');
      stopped = true;
      expect(result.code, result.stderr).toBe(0);
      // node:sqlite is the supported engine on Node 24: its "experimental feature" warning must not show.
      expect(result.stderr).not.toMatch(/Warning/);
    } finally {
      if (!stopped) await broker.stop('SIGKILL');
    }
  });

  it('imports the programmatic APIs from a plain .mjs file', async () => {
    writeFileSync(
      join(project, 'use.mjs'),
      `import { loadPact, ErrorCodes } from '@cutover/core';
import { loadOpenApi } from '@cutover/openapi';
import { runVerify, createProgress } from '@cutover/verifier';
import { loadPolicy, decide } from '@cutover/gate';
import { BrokerClient } from '@cutover/broker-client';
import { runCli, ExitCode } from '@cutover/cli';
const pact = await loadPact(${JSON.stringify(join(contracts, 'pacts/web-app-logistics.json'))});
const doc = await loadOpenApi(${JSON.stringify(join(contracts, 'openapi/logistics.yaml'))});
const policy = await loadPolicy(${JSON.stringify(join(contracts, 'cutover.yaml'))});
const kinds = [runVerify, createProgress, decide, BrokerClient, runCli].map((f) => typeof f);
console.log(JSON.stringify({ consumer: pact.consumer.name, doc: typeof doc, provider: policy.provider, kinds, code: ErrorCodes.PACT_INVALID, ok: ExitCode.Ok }));
`,
    );
    const used = await run(node, ['use.mjs'], { cwd: project });
    expect(used.code, used.stderr).toBe(0);
    expect(JSON.parse(used.stdout)).toEqual({
      consumer: 'web-app',
      doc: 'object',
      provider: 'logistics',
      kinds: ['function', 'function', 'function', 'function', 'function'],
      code: 'CUTOVER_PACT_INVALID',
      ok: 0,
    });
  });

  it('type-checks a TypeScript file against the published .d.ts files (tsc --noEmit, no skipLibCheck)', async () => {
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: ['node'],
        },
        include: ['use.ts'],
      }),
    );
    writeFileSync(
      join(project, 'use.ts'),
      `import { loadPact, type Pact, type VerificationReport } from '@cutover/core';
import { loadOpenApi, type OpenApiDocument } from '@cutover/openapi';
import { runVerify, type VerifyOptions } from '@cutover/verifier';
import { loadPolicy, decide } from '@cutover/gate';
import { BrokerClient } from '@cutover/broker-client';
import { runCli } from '@cutover/cli';

export async function use(options: VerifyOptions): Promise<[Pact, OpenApiDocument, VerificationReport, number]> {
  const pact: Pact = await loadPact('pact.json');
  const doc: OpenApiDocument = await loadOpenApi('openapi.yaml');
  const report: VerificationReport = await runVerify(options);
  void [loadPolicy, decide, BrokerClient];
  return [pact, doc, report, await runCli(['--help'])];
}
`,
    );
    const tsc = await run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', project], {
      cwd: project,
    });
    expect(tsc.code, tsc.stdout + tsc.stderr).toBe(0);
  });
});
