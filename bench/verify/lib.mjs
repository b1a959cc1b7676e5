// Shared by the verify and start-up benchmarks: the generated pact, the local targets, and a timer
// that reports wall time, CPU (user + system) and peak RSS of one child process.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The launcher users run (`npx cutover`): the bin of @cutover/cli, which loads the bundle. */
export function cliOf(root) {
  return join(root, 'packages', 'cli', 'bin', 'cutover.js');
}

/**
 * Writes a v3 pact of `n` interactions, each with a provider state with params and three body
 * matchers (regex, number, type), to `dir/pact-<n>.json` and returns its path.
 */
export function writePact(n, dir) {
  const interactions = [];
  for (let i = 0; i < n; i++) {
    interactions.push({
      description: `get item ${i}`,
      providerStates: [{ name: 'an item exists', params: { id: i } }],
      request: { method: 'GET', path: `/items/${i}`, headers: { Accept: 'application/json' } },
      response: {
        status: 200,
        headers: { 'Content-Type': 'application/json' },
        body: { id: i, name: `item ${i}`, price: (i % 100) + 0.5, tags: ['a', 'b'], updatedAt: '2026-01-01T00:00:00Z' },
        matchingRules: {
          body: {
            '$.name': { matchers: [{ match: 'regex', regex: '^item \\d+$' }] },
            '$.price': { matchers: [{ match: 'number' }] },
            '$.tags': { matchers: [{ match: 'type', min: 1 }] },
          },
        },
      },
    });
  }
  const file = join(dir, `pact-${n}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      consumer: { name: 'bench-consumer' },
      provider: { name: 'bench-provider' },
      interactions,
      metadata: { pactSpecification: { version: '3.0.0' } },
    }),
  );
  return file;
}

/** Starts bench/verify/server.mjs in its own process; resolves to `{ child, port, url }`. */
export function startServer() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bench', 'verify', 'server.mjs')], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout.once('data', (data) => {
      const port = Number(String(data).trim());
      resolve({ child, port, url: `http://127.0.0.1:${port}` });
    });
    child.once('error', reject);
  });
}

/** The arguments of a two-target `cutover verify` of `file` against two bench servers. */
export function verifyArgs(file, monolith, candidate, extra = []) {
  return [
    'verify',
    '--pact',
    file,
    '--monolith',
    monolith.url,
    '--candidate',
    candidate.url,
    '--monolith-state-url',
    `${monolith.url}/_pact/state`,
    '--candidate-state-url',
    `${candidate.url}/_pact/state`,
    ...extra,
  ];
}

/** Runs a command under /usr/bin/time -v; resolves to wall and CPU seconds, peak RSS (MB), exit code and output. */
export function timed(command, args, options = {}) {
  const startLoad = loadavg()[0];
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', ['-v', command, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: options.cwd ?? ROOT,
      env: options.env ?? process.env,
    });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1] ?? 0) / 1024;
      const cpu = ['User', 'System'].reduce(
        (sum, k) => sum + Number(new RegExp(`${k} time \\(seconds\\): ([\\d.]+)`).exec(stderr)?.[1] ?? 0),
        0,
      );
      resolve({ seconds, cpu, rssMb: rss, code, stdout, stderr, load: startLoad });
    });
  });
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
