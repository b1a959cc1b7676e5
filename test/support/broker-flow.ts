/*
 * A broker filled the way a team fills it: consumers publish with the stock `pact broker publish`,
 * the provider team runs `cutover verify --publish` against the example system's monolith and
 * candidate, and `cutover gate` records its decisions, step after step. Slow (a dozen CLI runs), so
 * a test file fills one broker per engine once, in beforeAll.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBroker, type Engine, type RunningBroker } from '../../packages/broker/src/__fixtures__/engines.js';
import { runPactCli } from '../../packages/broker/src/__fixtures__/pact-cli.js';
import { cutover, type RunResult } from './cli.js';
import { exampleTargetArgs, startService, type Service } from './services.js';

const MONOLITH = 'examples/logistics-monolith/src/main.ts';
const SERVICE = 'examples/tracking-service/src/main.ts';
const OPENAPI = 'contracts/openapi/logistics.yaml';
/** Pacts of other integrations, in the spec versions the example's V4 pacts do not cover (V2, V3 messages, V4 messages). */
const OTHER_PACTS = fileURLToPath(new URL('./pacts', import.meta.url));

/** The example system's routes, split the way a team moves them: one policy route per endpoint. */
function policy(currentWeight: number): string {
  const route = (name: string, path: string, consumers: string[]) => `
  - name: ${name}
    match: { methods: [GET], path: "${path}" }
    currentWeight: ${currentWeight}
    requestedWeight: 100
    rules:
      requiredConsumers: [${consumers.join(', ')}]
      requireAllOperationsExercised: true`;
  return `version: 1
provider: logistics
candidate: { service: tracking-service, upstream: tracking_service }
monolith: { upstream: monolith }
rolloutSteps: [1, 10, 50, 100]
defaults:
  requirePactPass: true
  parity: { required: true, allowNoise: true }
  schema: { required: true, allowBaseline: true }
  maxEvidenceAge: 24h
routes:${route('tracking', '/api/tracking/*', ['web-app', 'mobile-app'])}${route('tracking-events', '/api/tracking/*/events', ['web-app'])}${route('tracking-eta', '/api/tracking/*/eta', ['mobile-app'])}
`;
}

export interface FilledBroker {
  engine: Engine['name'];
  url: string;
  /** The page of web-app's pact as verified, and of the other spec versions. */
  pages: {
    v4Pact: string;
    v2Pact: string;
    v3MessagePact: string;
    v4MessagePact: string;
    /** The failed verification of web-app's pact by the leaking candidate (real parity differences and sampled noise). */
    failedVerification: string;
  };
  stop(): Promise<void>;
}

class FlowStepFailed extends Error {}

function expectCode(what: string, run: RunResult | { code: number; stdout: string; stderr: string }, code: number) {
  if (run.code !== code)
    throw new FlowStepFailed(`${what} exited ${run.code} (expected ${code})\n${run.stdout}\n${run.stderr}`);
}

/**
 * Starts a broker on `engine` and fills it through the real flow:
 *
 * 1. environments staging and production (`pact broker create-environment`);
 * 2. web-app and mobile-app publish the example's V4 pacts on main, three other integrations their
 *    V2, V3-message and V4-message pacts (`pact broker publish`);
 * 3. candidate 1.0.0 (faithful) is verified and published, recorded as deployed to staging, and the
 *    gate moves every route 0 → 1 → 10 %;
 * 4. candidate 1.1.0 leaks the customer's e-mail into the tracking page: its verification fails with
 *    a parity difference, and the gate rolls the `tracking` route back to 0 % while the other two hold at 10 %.
 *
 * Each engine gets its own example services, so several engines can be filled at once.
 */
export async function fillBrokerByRealFlow(engine: Engine): Promise<FilledBroker> {
  const dir = mkdtempSync(join(tmpdir(), `cutover-broker-flow-${engine.name}-`));
  const starting: Promise<Service>[] = [];
  const services: Service[] = [];
  let running: RunningBroker | undefined;
  try {
    running = await startBroker(engine);
    const url = running.url;
    const pact = (...args: string[]) =>
      runPactCli('pact', ['broker', ...args, '--broker-base-url', url]).then((run) => {
        expectCode(`pact broker ${args.slice(0, 2).join(' ')}`, run, 0);
        return run;
      });

    const dataFile = join(dir, 'logistics.json');
    // The monolith starts while the pacts are published; the publishers run at once (the broker takes concurrent writers).
    const monolithStarting = startService(`monolith (${engine.name})`, MONOLITH, ['--data', dataFile]);
    starting.push(monolithStarting);
    await Promise.all([
      monolithStarting,
      pact('create-environment', '--name', 'staging'),
      pact('create-environment', '--name', 'production', '--production'),
      ...[
        ['contracts/pacts/web-app-logistics.json', '1.0.0', 'main'],
        ['contracts/pacts/mobile-app-logistics.json', '1.0.0', 'main'],
        [join(OTHER_PACTS, 'billing-portal-invoicing.json'), '3.2.0', 'main'],
        [join(OTHER_PACTS, 'notifier-shipment-events.json'), '0.9.1', 'main'],
        [join(OTHER_PACTS, 'warehouse-shipment-events.json'), '2.0.0', 'feat/bins'],
      ].map(([file, version, branch]) =>
        pact('publish', file!, '--consumer-app-version', version!, '--branch', branch!),
      ),
    ]);

    const monolith = await monolithStarting;
    const candidate = (divergence: string) =>
      startService(`tracking-service (${engine.name})`, SERVICE, ['--data', dataFile, '--divergence', divergence]);

    const verify = async (candidateUrl: string, version: string) => {
      const out = join(dir, `verify-${version}.json`);
      return cutover(
        [
          'verify',
          '--broker-url',
          url,
          '--provider',
          'logistics',
          '--openapi',
          OPENAPI,
          ...exampleTargetArgs(monolith.url, candidateUrl),
          '--timeout',
          '5000',
          '--retries',
          '0',
          '--json',
          out,
          '--publish',
          '--provider-version',
          version,
          '--branch',
          'main',
        ],
        { timeoutMs: 120_000 },
      );
    };
    let step = 0;
    const gate = async (candidateVersion: string, currentWeight: number) => {
      const file = join(dir, `policy-${++step}.yaml`);
      writeFileSync(file, policy(currentWeight));
      return cutover(
        [
          'gate',
          '--policy',
          file,
          '--broker-url',
          url,
          '--candidate-version',
          candidateVersion,
          '--openapi',
          OPENAPI,
          '--json',
          join(dir, `gate-${step}.json`),
        ],
        { timeoutMs: 120_000 },
      );
    };

    const faithful = await candidate('none');
    services.push(faithful);
    expectCode('cutover verify of the faithful candidate', await verify(faithful.url, '1.0.0'), 0);
    await pact('record-deployment', '--pacticipant', 'logistics', '--version', '1.0.0', '--environment', 'staging');
    expectCode('cutover gate 0 → 1 %', await gate('1.0.0', 0), 0);
    expectCode('cutover gate 1 → 10 %', await gate('1.0.0', 1), 0);
    await faithful.stop();

    const leaky = await candidate('leaked-field');
    services.push(leaky);
    expectCode('cutover verify of the leaking candidate', await verify(leaky.url, '1.1.0'), 1);
    // The leak shows the candidate wrong with traffic on it: the gate rolls the route back (exit 3).
    expectCode('cutover gate of the leaking candidate', await gate('1.1.0', 10), 3);

    const ui = (...segments: string[]) => `/ui/${segments.map(encodeURIComponent).join('/')}`;
    const failed = await failedVerificationPage(url, 'web-app', '1.1.0');
    return {
      engine: engine.name,
      url,
      pages: {
        v4Pact: ui('pacts', 'provider', 'logistics', 'consumer', 'web-app', 'version', '1.0.0'),
        v2Pact: ui('pacts', 'provider', 'invoicing', 'consumer', 'billing-portal', 'version', '3.2.0'),
        v3MessagePact: ui('pacts', 'provider', 'shipment-events', 'consumer', 'notifier', 'version', '0.9.1'),
        v4MessagePact: ui('pacts', 'provider', 'shipment-events', 'consumer', 'warehouse', 'version', '2.0.0'),
        failedVerification: failed,
      },
      async stop() {
        await Promise.all([monolith, ...services].map((s) => s.stop()));
        await running!.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    for (const r of await Promise.allSettled(starting)) if (r.status === 'fulfilled') services.push(r.value);
    await Promise.all(services.map((s) => s.stop()));
    await running?.stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** The page of the verification that `providerVersion` published for `consumer`'s latest pact, found through the HAL links. */
async function failedVerificationPage(url: string, consumer: string, providerVersion: string): Promise<string> {
  const get = async (href: string) => {
    const res = await fetch(href.startsWith('http') ? href : `${url}${href}`);
    if (!res.ok) throw new FlowStepFailed(`GET ${href} answered ${res.status}`);
    return (await res.json()) as { _links: Record<string, { href: string }> } & Record<string, unknown>;
  };
  const pact = await get(`/pacts/provider/logistics/consumer/${consumer}/latest`);
  const latest = await get(pact._links['pb:latest-verification-results']!.href);
  if (latest.providerApplicationVersion !== providerVersion)
    throw new FlowStepFailed(
      `the latest verification of ${consumer}'s pact is by ${String(latest.providerApplicationVersion)}, not ${providerVersion}`,
    );
  return `/ui${new URL(latest._links.self!.href).pathname}`;
}
