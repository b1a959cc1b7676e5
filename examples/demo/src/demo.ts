import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { publishPacts, recordedDecision, startDemoBroker, type DemoBroker } from './broker.js';
import type { Service } from './processes.js';
import { ROOT, runCommand, startService, stopAll } from './processes.js';
import { differencesOf, sideBySide } from './side-by-side.js';
import { describeShadow, shadowGeneratedTraffic } from './shadow-step.js';

/**
 * `npm run demo`: the whole point of cutover in one command. Consumer tests write pacts, the
 * stock `pact broker publish` puts them in a contract broker (an embedded one, or the one
 * PACT_BROKER_BASE_URL names), the monolith and the extracted tracking service start on free ports,
 * `cutover verify` checks both with the broker's pacts and publishes its results there, and
 * `cutover gate` allows the shift on that evidence and records its decision in the broker; then the
 * service is restarted with a realistic bug and the gate blocks, showing the difference side by side.
 *
 * The flow is a list of steps; a step may be skipped (with the reason printed).
 */

const DIVERGENCES = ['dropped-field', 'renamed-field', 'status-code', 'date-format', 'leaked-field'];
const { values: args } = parseArgs({
  options: {
    divergence: { type: 'string', default: process.env.DEMO_DIVERGENCE ?? 'leaked-field' },
    out: { type: 'string', default: '.cutover/demo' },
    // Keeps the embedded broker serving after the run, to browse its pages; Ctrl-C ends it.
    serve: { type: 'boolean', default: false },
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
/** The policy's name for the route of MIGRATING, under which the broker keeps its decisions. */
const ROUTE = 'tracking';
/** The consumers' branch, and the provider's: the demo verifies the pacts of this branch. */
const BRANCH = 'demo';

interface Context {
  started: number;
  dataFile: string;
  monolith?: Service;
  candidate?: Service;
  broker?: DemoBroker;
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
  console.log(`    $ cutover ${cliArgs.map((a) => (/[\s*{"]/.test(a) ? `'${a}'` : a)).join(' ')}`);
  const { code } = await runCommand(process.execPath, [CLI, ...cliArgs], { echo: indent, env: { NO_COLOR: '1' } });
  if (code !== expectCode) {
    throw new StepFailed(`cutover ${cliArgs[0]} exited with ${code}; expected ${expectCode}`);
  }
}

/** The candidate version the demo verifies and gates (a CI run would use the commit SHA): the faithful build, then the buggy one. */
const candidateVersion = (ctx: Context, buggy: boolean) => (buggy ? `demo-${ctx.divergence}` : 'demo-faithful');

/**
 * The pacts come from the broker (the latest of each consumer on the demo branch); with the
 * candidate, the results are published there, as the candidate version on the demo branch.
 */
function verifyArgs(ctx: Context, dir: string, candidate?: { buggy: boolean }): string[] {
  const m = ctx.monolith!.url;
  const a = ['verify', '--broker-url', ctx.broker!.url, '--provider', 'logistics'];
  a.push('--consumer-version-selector', JSON.stringify({ branch: BRANCH }), '--openapi', OPENAPI);
  a.push('--monolith', m, '--monolith-state-url', `${m}/_pact/provider-states`);
  if (candidate) {
    const c = ctx.candidate!.url;
    // Both targets read one data file (the shared replica), so provider states must not interleave.
    a.push('--candidate', c, '--candidate-state-url', `${c}/_pact/provider-states`, '--shared-state');
    a.push('--filter-route', MIGRATING);
    a.push('--publish', '--provider-version', candidateVersion(ctx, candidate.buggy), '--branch', BRANCH);
  }
  a.push('--json', `${dir}/verify.json`, '--junit', `${dir}/verify.junit.xml`, '--markdown', `${dir}/verify.md`);
  return a;
}

/** The gate reads its evidence from the broker (the latest pacts' verifications by the candidate version) and records its decision there. */
function gateArgs(ctx: Context, dir: string, buggy: boolean): string[] {
  return [
    'gate',
    '--policy',
    POLICY,
    '--broker-url',
    ctx.broker!.url,
    '--candidate-version',
    candidateVersion(ctx, buggy),
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
    title: 'Start the contract broker (PACT_BROKER_BASE_URL names an outside one instead)',
    run: async (ctx) => {
      ctx.broker = await startDemoBroker();
      console.log(
        ctx.broker.embedded
          ? `    cutover broker on ${ctx.broker.url} (embedded: SQLite in a temporary folder, gone when the demo ends)`
          : `    using the broker at ${ctx.broker.url} (PACT_BROKER_BASE_URL)`,
      );
      console.log(`    migration board: ${ctx.broker.url}/ui/board`);
    },
  },
  {
    title: 'Publish the pacts to the broker with the stock `pact broker publish`',
    run: async (ctx) => {
      // A new consumer version each run: a broker refuses changed pacts under a version it already has.
      const how = await publishPacts(ctx.broker!, {
        pactDir: PACTS,
        version: `demo-${Date.now()}`,
        branch: BRANCH,
        echo: indent,
      });
      if (how === 'fallback') console.log('    ⚠ published without the stock Pact CLI (see above)');
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
    run: (ctx) => cutover(verifyArgs(ctx, `${rel(OUT)}/1-monolith`), 0),
  },
  {
    title: `Verify monolith and candidate on ${MIGRATING}: pacts, parity, OpenAPI; publish the results to the broker`,
    run: (ctx) => cutover(verifyArgs(ctx, `${rel(OUT)}/2-faithful`, { buggy: false }), 0),
  },
  {
    title:
      'Gate the traffic shift on the broker’s evidence (expect: allowed, routing artifact written, decision recorded)',
    run: async (ctx) => {
      await cutover(gateArgs(ctx, `${rel(OUT)}/2-faithful`, false), 0);
      await showDecision(ctx, false);
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
    title:
      'Shadow generated live traffic through `cutover shadow` (expect: the bug on live requests, before any shift)',
    run: async (ctx) => {
      const out = join(OUT, `3-${ctx.divergence}`, 'shadow.json');
      console.log(
        `    $ cutover shadow --monolith ${ctx.monolith!.url} --candidate ${ctx.candidate!.url} --out ${rel(out)} …`,
      );
      const shadow = await shadowGeneratedTraffic({
        cli: CLI,
        monolith: ctx.monolith!.url,
        candidate: ctx.candidate!.url,
        out,
        openapi: OPENAPI,
        echo: indent,
      });
      if (shadow.code !== 1) throw new StepFailed(`cutover shadow exited with ${shadow.code}; expected 1`);
      console.log(`\n    ${shadow.sent} generated requests; what shadow traffic shows:`);
      for (const line of describeShadow(shadow.evidence)) console.log(`      ${line}`);
    },
  },
  {
    title: 'Verify again and publish the results (expect: failures)',
    run: (ctx) => cutover(verifyArgs(ctx, `${rel(OUT)}/3-${ctx.divergence}`, { buggy: true }), 1),
  },
  {
    title: 'Gate the traffic shift again (expect: blocked, no routing artifact, decision recorded)',
    run: async (ctx) => {
      const dir = join(OUT, `3-${ctx.divergence}`);
      await cutover(gateArgs(ctx, rel(dir), true), 1);
      await showDecision(ctx, true);
      const left = existsSync(join(dir, 'routing')) ? readdirSync(join(dir, 'routing')) : [];
      if (left.length > 0) throw new StepFailed(`the gate blocked but ${rel(dir)}/routing holds ${left.join(', ')}`);
      const decision = JSON.parse(readFileSync(join(dir, 'gate.json'), 'utf8')) as Parameters<typeof differencesOf>[0];
      console.log('\n    What the candidate answers differently (monolith | candidate):\n');
      for (const line of sideBySide(differencesOf(decision)).split('\n')) console.log(`      ${line}`);
    },
  },
];

/** Prints the decision the gate recorded in the broker; a gate that recorded none fails the step. */
async function showDecision(ctx: Context, buggy: boolean): Promise<void> {
  const version = candidateVersion(ctx, buggy);
  const decision = await recordedDecision(ctx.broker!, ROUTE, version);
  if (!decision) throw new StepFailed(`the broker holds no decision for route ${ROUTE} and candidate ${version}`);
  console.log(`    decision recorded in the broker: ${decision.outcome}, ${decision.href}`);
}

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
  demo = ctx;
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
  console.log('Done: the faithful service passed the gate, the buggy one was blocked.');
  console.log(`Reports (Markdown, JUnit, JSON) and routing artifacts: ${rel(OUT)}/`);
  for (const dir of readdirSync(OUT)
    .filter((d) => statSync(join(OUT, d)).isDirectory())
    .sort()) {
    console.log(`  ${rel(OUT)}/${dir}/  ${readdirSync(join(OUT, dir)).sort().join('  ')}`);
  }
  const broker = ctx.broker!;
  console.log(`Broker: ${broker.url} — pacts, verification results and both decisions; board: ${broker.url}/ui/board`);
  console.log(
    `Try another bug: npm run demo -- --divergence ${DIVERGENCES.filter((d) => d !== args.divergence).join('|')}`,
  );
  if (args.serve && broker.embedded) {
    console.log(`\nThe broker keeps serving at ${broker.url}/ui/board (--serve); Ctrl-C stops it.`);
    await new Promise(() => {});
  } else if (broker.embedded) console.log('(npm run demo -- --serve keeps the broker running to browse it)');
  return 0;
}

/** The run in progress, so that Ctrl-C and the end of the run close its broker. */
let demo: Context | undefined;

async function stopEverything(): Promise<void> {
  await stopAll();
  await demo?.broker?.close();
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.error(`\ndemo: ${signal}, stopping every process it started`);
    void stopEverything().finally(() => process.exit(130));
  });
}

let code = 1;
try {
  code = await main();
} finally {
  await stopEverything();
}
process.exit(code);
