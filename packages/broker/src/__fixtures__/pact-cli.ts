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
