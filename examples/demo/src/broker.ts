import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBroker } from '@cutover/broker';
import { BrokerClient, listDecisions, publishContracts, resolveBrokerConnection } from '@cutover/broker-client';
import { ROOT, runCommand } from './processes.js';

/** The broker the demo talks to: its own embedded one, or the one PACT_BROKER_BASE_URL names. */
export interface DemoBroker {
  url: string;
  embedded: boolean;
  client: BrokerClient;
  close(): Promise<void>;
}

/**
 * With PACT_BROKER_BASE_URL set (credentials from PACT_BROKER_TOKEN / _USERNAME / _PASSWORD, as the
 * Pact clients read them), that broker; otherwise a broker started in this process on a free port,
 * over a SQLite file in a temporary folder that goes when the demo ends.
 */
export async function startDemoBroker(env: NodeJS.ProcessEnv = process.env): Promise<DemoBroker> {
  const { url, auth } = resolveBrokerConnection({}, env);
  if (url) {
    const client = new BrokerClient({ url, ...(auth ? { auth } : {}) });
    return { url, embedded: false, client, close: async () => {} };
  }
  const dir = mkdtempSync(join(tmpdir(), 'cutover-demo-broker-'));
  try {
    const broker = await createBroker({ database: { file: join(dir, 'broker.db') } });
    const local = await broker.listen({ port: 0 });
    return {
      url: local,
      embedded: true,
      client: new BrokerClient({ url: local }),
      close: async () => {
        await broker.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

const require = createRequire(import.meta.url);

/** Why the stock Pact CLI cannot run here (not installed, no binary for this platform), or undefined. */
function pactCliMissing(output: string): string | undefined {
  const lines = output
    .split('\n')
    .filter((l) => /Couldn't find application binary|ENOENT|EACCES|exec format error|GLIBC/.test(l));
  return lines.length ? lines.join(' ').trim() : undefined;
}

export interface PublishOptions {
  pactDir: string;
  version: string;
  branch: string;
  echo: (line: string) => void;
  /** The stock CLI's entry point (default: @pact-foundation/pact-cli's `bin/pact.js`). */
  pactCli?: string;
}

/**
 * Publishes every pact file in `pactDir` with the stock `pact broker publish` (from
 * @pact-foundation/pact-cli). When that CLI cannot run on this machine, says why and publishes the
 * same pacts through cutover's own client instead; a broker refusing the pacts fails either way.
 * Resolves to how the pacts went: `pact broker publish` or the fallback.
 */
export async function publishPacts(broker: DemoBroker, options: PublishOptions): Promise<'pact-cli' | 'fallback'> {
  let why: string | undefined;
  let bin: string | undefined;
  try {
    bin = options.pactCli ?? require.resolve('@pact-foundation/pact-cli/bin/pact.js');
    if (!existsSync(bin)) throw new Error(`${bin} does not exist`);
  } catch (error) {
    bin = undefined;
    why = `@pact-foundation/pact-cli is not installed (npm ci installs it as a dev dependency): ${(error as Error).message}`;
  }
  if (bin) {
    const args = ['broker', 'publish', options.pactDir, '--consumer-app-version', options.version];
    args.push('--branch', options.branch, '--broker-base-url', broker.url);
    options.echo(`$ pact ${args.join(' ')}`);
    const run = await runCommand(process.execPath, [bin, ...args], { echo: options.echo }).catch((error: Error) => ({
      code: null,
      stdout: '',
      stderr: error.message,
    }));
    if (run.code === 0) return 'pact-cli';
    why = pactCliMissing(`${run.stdout}\n${run.stderr}`);
    if (!why) throw new Error(`pact broker publish exited with ${run.code}`);
  }
  options.echo(`⚠ the stock Pact CLI cannot run here: ${why}`);
  options.echo('⚠ publishing the same pacts with cutover’s Pact Broker client instead (POST /contracts/publish)');
  const files = readdirSync(join(ROOT, options.pactDir)).filter((f) => f.endsWith('.json'));
  const byConsumer = new Map<string, Record<string, unknown>[]>();
  for (const file of files) {
    const pact = JSON.parse(readFileSync(join(ROOT, options.pactDir, file), 'utf8')) as Record<string, unknown>;
    const consumer = (pact.consumer as { name: string }).name;
    byConsumer.set(consumer, [...(byConsumer.get(consumer) ?? []), pact]);
  }
  for (const [consumer, pacts] of byConsumer) {
    await publishContracts(broker.client, {
      pacticipant: consumer,
      version: options.version,
      branch: options.branch,
      contracts: pacts.map((content) => ({ content })),
    });
    options.echo(`published ${pacts.length} pact(s) of ${consumer} ${options.version}`);
  }
  return 'fallback';
}

/** The newest decision the broker recorded for `route` and `candidateVersion`, with its URL. */
export async function recordedDecision(
  broker: DemoBroker,
  route: string,
  candidateVersion: string,
): Promise<{ outcome: string; href: string } | undefined> {
  const [latest] = await listDecisions(broker.client, { route, candidateVersion });
  if (!latest) return undefined;
  const href =
    (latest._links as { self?: { href?: string } } | undefined)?.self?.href ?? `${broker.url}/cutover/decisions`;
  return { outcome: String(latest.outcome), href };
}
