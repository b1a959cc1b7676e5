import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Service } from './processes.js';
import { ROOT, runCommand, startService, stopAll } from './processes.js';
import { differencesOf, sideBySide } from './side-by-side.js';

/**
 * `npm run demo`: the whole point of cutover in one command. Consumer tests write pacts, the
 * monolith and the extracted tracking service start on free ports, `cutover verify` checks both,
 * `cutover gate` allows the shift; then the service is restarted with a realistic bug and the gate
 * blocks, showing the difference side by side; with the 1% shift applied, the gate rolls it back.
 *
 * The flow is a list of steps; a step may be skipped (with the reason printed), so a broker
 * publish step sits in the list and runs when PACT_BROKER_BASE_URL is set.
 */

const DIVERGENCES = ['dropped-field', 'renamed-field', 'status-code', 'date-format', 'leaked-field'];
const { values: args } = parseArgs({
  options: {
    divergence: { type: 'string', default: process.env.DEMO_DIVERGENCE ?? 'leaked-field' },
    out: { type: 'string', default: '.cutover/demo' },
  },
});
if (!DIVERGENCES.includes(args.divergence)) {
  console.error(`demo: --divergence must be one of ${DIVERGENCES.join(', ')} (got "${args.divergence}")`);
  process.exit(2);
}

const OUT = resolve(ROOT, args.out);
const CLI = join(ROOT, 'packages/cli/bin/cutover.js');
const VITEST = join(ROOT, 'node_modules/vitest/vitest.mjs');
const PACTS = 'contracts/pacts';
const OPENAPI = 'contracts/openapi/logistics.yaml';
const POLICY = 'contracts/cutover.yaml';
const MIGRATING = '/api/tracking/**';

interface Context {
  started: number;
  dataFile: string;
  monolith?: Service;
  candidate?: Service;
  divergence: string;
}

interface Step {
  title: string;
  /** A reason to skip this step, or undefined to run it. */
  skip?: (ctx: Context) => string | undefined;
  run: (ctx: Context) => Promise<void>;
}

class StepFailed extends Error {}

const rel = (path: string) => relative(ROOT, path) || '.';
const indent = (line: string) => console.log(`    │ ${line}`);

/** Runs `cutover <args>` as a user would and checks the exit code. */
async function cutover(cliArgs: string[], expectCode: number): Promise<void> {
  console.log(`    $ cutover ${cliArgs.map((a) => (/[\s*]/.test(a) ? `'${a}'` : a)).join(' ')}`);
  const { code } = await runCommand(process.execPath, [CLI, ...cliArgs], { echo: indent, env: { NO_COLOR: '1' } });
  if (code !== expectCode) {
    throw new StepFailed(`cutover ${cliArgs[0]} exited with ${code}; expected ${expectCode}`);
  }
}

/** The candidate version the demo verifies and gates (a CI run would use the commit SHA). */
const DEMO_VERSION = 'demo';

function verifyArgs(ctx: Context, dir: string, withCandidate: boolean): string[] {
  const m = ctx.monolith!.url;
  const a = ['verify', '--pact', PACTS, '--provider', 'logistics', '--openapi', OPENAPI];
  a.push('--monolith', m, '--monolith-state-url', `${m}/_pact/provider-states`);
  if (withCandidate) {
    const c = ctx.candidate!.url;
    // Both targets read one data file (the shared replica), so provider states must not interleave.
    a.push('--candidate', c, '--candidate-state-url', `${c}/_pact/provider-states`, '--shared-state');
    a.push('--filter-route', MIGRATING);
  }
  a.push('--provider-version', DEMO_VERSION);
  a.push('--json', `${dir}/verify.json`, '--junit', `${dir}/verify.junit.xml`, '--markdown', `${dir}/verify.md`);
  return a;
}

function gateArgs(dir: string, policy = POLICY): string[] {
  return [
    'gate',
    '--policy',
    policy,
    '--results',
    `${dir}/verify.json`,
    // The gate refuses results for another candidate version, or for pacts that changed since.
    '--candidate-version',
    DEMO_VERSION,
    '--pact',
    PACTS,
    '--openapi',
    OPENAPI,
    '--json',
    `${dir}/gate.json`,
    '--markdown',
    `${dir}/gate.md`,
    '--junit',
    `${dir}/gate.junit.xml`,
    '--routing-out',
    `${dir}/routing`,
    '--gateway',
    'json',
    'nginx',
    'envoy',
  ];
}

async function startCandidate(ctx: Context, divergence: string): Promise<void> {
  // Explicit even when faithful: a DIVERGENCE variable in the environment must not leak into the demo.
  const extra = ['--divergence', divergence];
  ctx.candidate = await startService('tracking-service', 'examples/tracking-service/src/main.ts', [
    '--data',
    ctx.dataFile,
    ...extra,
  ]);
  console.log(
    `    tracking-service${divergence === 'none' ? '' : ` (divergence: ${divergence})`} on ${ctx.candidate.url}`,
  );
}

const steps: Step[] = [
  {
    title: 'Consumer contract tests write the pacts (web-app, mobile-app)',
    run: async (ctx) => {
      console.log('    $ vitest run examples/consumers');
      const { code } = await runCommand(process.execPath, [VITEST, 'run', 'examples/consumers', '--reporter', 'dot'], {
        echo: indent,
        env: { NO_COLOR: '1' },
      });
      if (code !== 0) throw new StepFailed(`the consumer tests failed (exit ${code})`);
      for (const consumer of ['web-app', 'mobile-app']) {
        const file = join(ROOT, PACTS, `${consumer}-logistics.json`);
        if (!existsSync(file) || statSync(file).mtimeMs < ctx.started - 1000)
          throw new StepFailed(`${rel(file)} was not written`);
        console.log(`    wrote ${rel(file)}`);
      }
    },
  },
  {
    title: 'Check the pacts against the OpenAPI document (nothing running yet)',
    run: () =>
      cutover(
        [
          'openapi',
          'check',
          '--openapi',
          OPENAPI,
          '--pact',
          PACTS,
          '--json',
          `${rel(OUT)}/0-openapi/check.json`,
          '--markdown',
          `${rel(OUT)}/0-openapi/check.md`,
        ],
        0,
      ),
  },
  {
    title: 'Publish the pacts to the broker',
    skip: () =>
      process.env.PACT_BROKER_BASE_URL
        ? undefined
        : 'PACT_BROKER_BASE_URL is not set; verifying the pact files directly',
    run: async () => {
      const { code } = await runCommand(
        join(ROOT, 'node_modules/.bin/pact'),
        [
          'broker',
          'publish',
          PACTS,
          '--consumer-app-version',
          `demo-${Date.now()}`,
          '--branch',
          'demo',
          '--broker-base-url',
          process.env.PACT_BROKER_BASE_URL!,
        ],
        { echo: indent },
      );
      if (code !== 0) throw new StepFailed(`pact broker publish exited with ${code}`);
    },
  },
  {
    title: 'Start the monolith and the extracted tracking service on free ports',
    run: async (ctx) => {
      ctx.monolith = await startService('logistics-monolith', 'examples/logistics-monolith/src/main.ts', [
        '--data',
        ctx.dataFile,
      ]);
      console.log(
        `    logistics-monolith on ${ctx.monolith.url} (data: ${rel(ctx.dataFile)}, shared with the service)`,
      );
      await startCandidate(ctx, 'none');
    },
  },
  {
    title: 'Verify the monolith against every consumer interaction',
    run: (ctx) => cutover(verifyArgs(ctx, `${rel(OUT)}/1-monolith`, false), 0),
  },
  {
    title: `Verify monolith and candidate on ${MIGRATING}: pacts, parity, OpenAPI`,
    run: (ctx) => cutover(verifyArgs(ctx, `${rel(OUT)}/2-faithful`, true), 0),
  },
  {
    title: 'Gate the traffic shift (expect: allowed, routing artifact written)',
    run: async () => {
      await cutover(gateArgs(`${rel(OUT)}/2-faithful`), 0);
      const routing = join(OUT, '2-faithful/routing');
      const files = existsSync(routing) ? readdirSync(routing) : [];
      if (!files.includes('cutover-weights.json'))
        throw new StepFailed(`the gate allowed but wrote no routing artifact in ${rel(routing)}`);
      console.log(`    routing artifacts: ${files.map((f) => `${rel(routing)}/${f}`).join(', ')}`);
    },
  },
  {
    title: `Restart the tracking service with a bug (${args.divergence})`,
    run: async (ctx) => {
      await ctx.candidate?.stop();
      await startCandidate(ctx, ctx.divergence);
    },
  },
  {
    title: 'Verify again (expect: failures)',
    run: (ctx) => cutover(verifyArgs(ctx, `${rel(OUT)}/3-${ctx.divergence}`, true), 1),
  },
  {
    title: 'Gate the traffic shift again (expect: blocked, no routing artifact)',
    run: async (ctx) => {
      const dir = join(OUT, `3-${ctx.divergence}`);
      await cutover(gateArgs(rel(dir)), 1);
      const left = existsSync(join(dir, 'routing')) ? readdirSync(join(dir, 'routing')) : [];
      if (left.length > 0) throw new StepFailed(`the gate blocked but ${rel(dir)}/routing holds ${left.join(', ')}`);
      const decision = JSON.parse(readFileSync(join(dir, 'gate.json'), 'utf8')) as Parameters<typeof differencesOf>[0];
      console.log('\n    What the candidate answers differently (monolith | candidate):\n');
      for (const line of sideBySide(differencesOf(decision)).split('\n')) console.log(`      ${line}`);
    },
  },
  {
    title: 'The 1% shift was applied before the bug shipped: gate again (expect: rollback to 0%, exit 3)',
    run: async (ctx) => {
      // What an operator does after applying a shift: raise currentWeight to the weight applied.
      const dir = join(OUT, '4-rollback');
      mkdirSync(dir, { recursive: true });
      const text = readFileSync(join(ROOT, POLICY), 'utf8');
      if (!text.includes('currentWeight: 0')) throw new StepFailed(`${POLICY} no longer starts the route at 0%`);
      writeFileSync(join(dir, 'cutover.yaml'), text.replace('currentWeight: 0', 'currentWeight: 1'));
      copyFileSync(join(OUT, `3-${ctx.divergence}`, 'verify.json'), join(dir, 'verify.json'));
      await cutover(gateArgs(rel(dir), `${rel(dir)}/cutover.yaml`), 3);
      const weights = JSON.parse(readFileSync(join(dir, 'routing/cutover-weights.json'), 'utf8')) as {
        outcome: string;
        routes: { name: string; weights: { candidate: number }; previousWeight: number }[];
      };
      const back = weights.routes.find((r) => r.weights.candidate < r.previousWeight);
      if (weights.outcome !== 'rollback' || !back)
        throw new StepFailed(`the gate exited 3 but ${rel(dir)}/routing/cutover-weights.json takes no traffic back`);
      console.log(
        `    rollback artifact: ${rel(dir)}/routing/ takes ${back.name} from ${back.previousWeight}% back to ${back.weights.candidate}%`,
      );
    },
  },
];

/** Set on Ctrl-C: steps then fail because their processes are being stopped, which is no news. */
let stopping = false;

async function main(): Promise<number> {
  // Only what an earlier demo run wrote is removed, whatever folder --out names.
  mkdirSync(OUT, { recursive: true });
  for (const entry of readdirSync(OUT)) {
    if (/^(\d-[\w-]+|logistics-data\.json)$/.test(entry)) rmSync(join(OUT, entry), { recursive: true, force: true });
  }
  if (!existsSync(CLI)) {
    console.error(`demo: ${rel(CLI)} is missing; build first (npm ci builds it, or npm run build)`);
    return 2;
  }
  const ctx: Context = { started: Date.now(), dataFile: join(OUT, 'logistics-data.json'), divergence: args.divergence };
  console.log('cutover demo: strangling /api/tracking/** out of the logistics monolith\n');
  for (const [index, step] of steps.entries()) {
    const label = `${index + 1}/${steps.length}`;
    const reason = step.skip?.(ctx);
    if (reason) {
      console.log(`[${label}] ${step.title} — skipped: ${reason}\n`);
      continue;
    }
    console.log(`[${label}] ${step.title}`);
    const began = Date.now();
    try {
      await step.run(ctx);
    } catch (error) {
      if (stopping) return 130;
      console.error(`\n✘ step ${label} failed: ${(error as Error).message}`);
      if (!(error instanceof StepFailed)) console.error((error as Error).stack);
      return 1;
    }
    console.log(`    ✔ ${((Date.now() - began) / 1000).toFixed(1)} s\n`);
  }
  console.log(
    'Done: the faithful service passed the gate; the buggy one was blocked, and rolled back once it had traffic.',
  );
  console.log(`Reports (Markdown, JUnit, JSON) and routing artifacts: ${rel(OUT)}/`);
  for (const dir of readdirSync(OUT)
    .filter((d) => statSync(join(OUT, d)).isDirectory())
    .sort()) {
    console.log(`  ${rel(OUT)}/${dir}/  ${readdirSync(join(OUT, dir)).sort().join('  ')}`);
  }
  console.log(
    `Try another bug: npm run demo -- --divergence ${DIVERGENCES.filter((d) => d !== args.divergence).join('|')}`,
  );
  return 0;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.error(`\ndemo: ${signal}, stopping every process it started`);
    void stopAll().finally(() => process.exit(130));
  });
}

let code = 1;
try {
  code = await main();
} finally {
  await stopAll();
}
process.exit(code);
