import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const bin = (name: string) => require.resolve(`@pact-foundation/pact-cli/bin/${name}.js`);

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs one of the stock Rust Pact CLIs (`pact`, `pact-verifier`) from the dev dependency. */
export function runPactCli(
  name: 'pact' | 'pact-verifier',
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin(name), ...args],
      { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** A minimal valid V3 pact between `consumer` and `provider`; `marker` changes its content. */
export function samplePact(consumer: string, provider: string, marker = 'a'): Record<string, unknown> {
  return {
    consumer: { name: consumer },
    provider: { name: provider },
    interactions: [
      {
        description: `a request for thing ${marker}`,
        providerStates: [{ name: 'a thing exists' }],
        request: { method: 'GET', path: `/things/${marker}` },
        response: { status: 200, headers: { 'Content-Type': 'application/json' }, body: { id: marker } },
      },
    ],
    metadata: { pactSpecification: { version: '3.0.0' } },
  };
}

/** Publishes a sample pact through `POST /contracts/publish`, as `pact broker publish` does; throws unless 200. */
export async function publishSample(
  brokerUrl: string,
  p: { consumer: string; provider: string; version: string; branch?: string; tags?: string[]; marker?: string },
): Promise<void> {
  const res = await fetch(`${brokerUrl}/contracts/publish`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      pacticipantName: p.consumer,
      pacticipantVersionNumber: p.version,
      ...(p.branch ? { branch: p.branch } : {}),
      ...(p.tags ? { tags: p.tags } : {}),
      contracts: [
        {
          consumerName: p.consumer,
          providerName: p.provider,
          specification: 'pact',
          contentType: 'application/json',
          content: Buffer.from(JSON.stringify(samplePact(p.consumer, p.provider, p.marker))).toString('base64'),
        },
      ],
    }),
  });
  if (res.status !== 200) throw new Error(`publish answered ${res.status}: ${await res.text()}`);
}

/** Sends a JSON request to the broker and returns status and parsed body. */
export async function call(
  brokerUrl: string,
  method: string,
  path: string,
  body?: unknown,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests walk HAL answers ad hoc
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${brokerUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** Publishes a verification result of a consumer version's pact, following the pact's own link. */
export async function publishVerification(
  brokerUrl: string,
  v: {
    consumer: string;
    consumerVersion: string;
    provider: string;
    providerVersion: string;
    success: boolean;
    branch?: string;
    testResults?: unknown[];
  },
): Promise<string> {
  const pact = await call(
    brokerUrl,
    'GET',
    `/pacts/provider/${encodeURIComponent(v.provider)}/consumer/${encodeURIComponent(v.consumer)}/version/${encodeURIComponent(v.consumerVersion)}`,
  );
  if (pact.status !== 200) throw new Error(`no pact for ${v.consumer} ${v.consumerVersion}: ${pact.status}`);
  const href = pact.body._links['pb:publish-verification-results'].href as string;
  const res = await fetch(href, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      providerApplicationVersion: v.providerVersion,
      success: v.success,
      ...(v.branch ? { providerVersionBranch: v.branch } : {}),
      testResults: v.testResults ?? [],
    }),
  });
  if (res.status !== 201) throw new Error(`verification publish answered ${res.status}: ${await res.text()}`);
  return res.headers.get('location')!;
}
