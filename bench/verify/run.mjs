// Verify benchmark (run by hand): cutover's two-target run against the stock pact-verifier on one
// target, on a pact whose every interaction has a provider state.
//
//   npx tsc -b packages/cli && node bench/verify/run.mjs
//
// Environment: SIZES (cutover sizes, default "2000,20000"), STOCK_SIZES (default "200,2000";
// empty to skip the stock verifier), CONCURRENCY (cutover --concurrency, default 8), REPEAT (cutover
// runs per size, default 3; the table shows each run), BASELINE (another built checkout of cutover,
// e.g. an older commit: its runs alternate with this one's, so both see the same machine). CPU seconds (user + system of the verifier
// process alone) are reported beside wall time: on a shared machine they move far less with load.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(root, 'bench', '.out', 'verify');
mkdirSync(out, { recursive: true });
const list = (value, fallback) => (value ?? fallback).split(',').filter(Boolean).map(Number);
const sizes = list(process.env.SIZES, '2000,20000');
const stockSizes = list(process.env.STOCK_SIZES, '200,2000');
const concurrency = process.env.CONCURRENCY ?? '8';
const repeat = Number(process.env.REPEAT ?? 3);
const builds = [{ tool: 'cutover (2 targets)', root }];
if (process.env.BASELINE)
  builds.push({ tool: `baseline ${process.env.BASELINE} (2 targets)`, root: process.env.BASELINE });

function pact(n) {
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
  const file = join(out, `pact-${n}.json`);
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

function startServer() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'bench', 'verify', 'server.mjs')], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout.once('data', (data) => resolve({ child, port: Number(String(data).trim()) }));
    child.once('error', reject);
  });
}

/** Runs a command under /usr/bin/time -v; returns wall seconds, peak RSS (MB) and the exit code. */
function timed(command, args) {
  const startLoad = loadavg()[0];
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', ['-v', command, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
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

const monolith = await startServer();
const candidate = await startServer();
const url = (s) => `http://127.0.0.1:${s.port}`;
const rows = [];
try {
  for (const n of stockSizes) {
    const file = pact(n);
    const r = await timed(join(root, 'node_modules', '.bin', 'pact-verifier'), [
      '--file',
      file,
      '--hostname',
      '127.0.0.1',
      '--port',
      String(monolith.port),
      '--state-change-url',
      `${url(monolith)}/_pact/state`,
      '--state-change-teardown',
      '--loglevel',
      'error',
    ]);
    rows.push({ tool: 'stock pact-verifier (1 target)', n, ...r });
    console.log(
      `stock   n=${n}: ${r.seconds.toFixed(2)} s (cpu ${r.cpu.toFixed(2)} s, load ${r.load.toFixed(1)}), peak RSS ${r.rssMb.toFixed(0)} MB, exit ${r.code}`,
    );
    if (r.code !== 0) console.log(r.stdout.slice(-2000), r.stderr.slice(-2000));
  }
  for (const n of sizes) {
    const file = pact(n);
    for (let run = 0; run < repeat; run++) {
      for (const build of builds) {
        const json = join(out, `cutover-${n}.json`);
        const r = await timed(process.execPath, [
          join(build.root, 'packages', 'cli', 'dist', 'bin.js'),
          'verify',
          '--pact',
          file,
          '--monolith',
          url(monolith),
          '--candidate',
          url(candidate),
          '--monolith-state-url',
          `${url(monolith)}/_pact/state`,
          '--candidate-state-url',
          `${url(candidate)}/_pact/state`,
          '--concurrency',
          concurrency,
          '--json',
          json,
        ]);
        const report = JSON.parse(readFileSync(json, 'utf8'));
        rows.push({ tool: build.tool, n, ...r });
        console.log(
          `${build.tool} n=${n}: ${r.seconds.toFixed(2)} s (cpu ${r.cpu.toFixed(2)} s, load ${r.load.toFixed(1)}), peak RSS ${r.rssMb.toFixed(0)} MB, exit ${r.code}, ` +
            `${report.summary.passed}/${report.summary.interactions} passed, parity identical ${report.summary.parity.identical}`,
        );
        if (r.code !== 0) console.log(r.stdout.slice(-2000), r.stderr.slice(-2000));
      }
    }
  }
} finally {
  monolith.child.kill();
  candidate.child.kill();
}
console.log(
  '\n| tool | interactions | wall (s) | wall per 1,000 (s) | CPU (s) | load at start | peak RSS (MB) | exit |\n| --- | --- | --- | --- | --- | --- | --- | --- |',
);
for (const r of rows) {
  console.log(
    `| ${r.tool} | ${r.n.toLocaleString('en')} | ${r.seconds.toFixed(2)} | ${((r.seconds / r.n) * 1000).toFixed(2)} | ${r.cpu.toFixed(2)} | ${r.load.toFixed(1)} | ${r.rssMb.toFixed(0)} | ${r.code} |`,
  );
}
