import { PassThrough } from 'node:stream';
import { RESULTS_FORMAT, summarizeResults, type InteractionResult, type VerificationReport } from '@cutover/core';
import { runCli } from '../../main.js';

const recent = new Date(Date.now() - 60_000).toISOString();

/** A passing, identical GET result of `consumer` on `path`; override what a test is about. */
export function result(consumer: string, path: string, overrides: Partial<InteractionResult> = {}): InteractionResult {
  return {
    consumer,
    provider: 'logistics',
    description: `GET ${path}`,
    providerStates: [],
    pending: false,
    route: { method: 'GET', path },
    targets: {
      monolith: { outcome: 'pass', status: 200, mismatches: [], timingMs: 3 },
      candidate: { outcome: 'pass', status: 200, mismatches: [], timingMs: 3 },
    },
    parity: { status: 'identical', differences: [], noise: [] },
    schema: { request: [], monolith: [], candidate: [], baseline: [], regressions: [] },
    ...overrides,
  };
}

/** A fresh `cutover.verification/v1` report of candidate 2.0.0 of provider logistics. */
export function verification(results: InteractionResult[]): VerificationReport {
  return {
    format: RESULTS_FORMAT,
    tool: { name: 'cutover', version: '0.1.0' },
    startedAt: recent,
    finishedAt: recent,
    provider: { name: 'logistics', version: '2.0.0' },
    targets: {},
    pacts: [],
    results,
    summary: summarizeResults(results),
  };
}

/** Runs `cutover gate <args>` in-process in `dir`; resolves to its exit code and output. */
export async function runGate(
  dir: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await runCli(['gate', ...args], { stdout, stderr, cwd: dir, env });
  return { code, stdout: out, stderr: err };
}
