// Warm-up benchmark (run by hand): CPU and wall time per interaction over one verify run, window by
// window, to show what the first interactions cost compared with later ones. One in-process
// `runVerify` (the built @cutover/verifier) of a generated pact against two bench servers.
//
//   npx tsc -b packages/verifier && node bench/verify/warmup.mjs
//
// Environment: SIZE (interactions, default 2000), WINDOW (interactions per row, default 200).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { ROOT, startServer, writePact } from './lib.mjs';

const { runVerify } = await import(join(ROOT, 'packages', 'verifier', 'dist', 'index.js'));
const size = Number(process.env.SIZE ?? 2000);
const window = Number(process.env.WINDOW ?? 200);
const out = join(ROOT, 'bench', '.out', 'verify');
mkdirSync(out, { recursive: true });
const file = writePact(size, out);
const monolith = await startServer();
const candidate = await startServer();
const target = (server) => ({ url: server.url, states: { url: `${server.url}/_pact/state` } });
const rows = [];
let cpu = process.cpuUsage();
let wall = performance.now();
try {
  const report = await runVerify({
    pacts: [file],
    monolith: target(monolith),
    candidate: target(candidate),
    concurrency: 8,
    onProgress(done) {
      if (done === 0 || done % window !== 0) return;
      const used = process.cpuUsage(cpu);
      const now = performance.now();
      rows.push({ done, cpuMs: (used.user + used.system) / 1000 / window, wallMs: (now - wall) / window });
      cpu = process.cpuUsage();
      wall = now;
    },
  });
  if (report.summary.passed !== size) throw new Error(`${report.summary.passed}/${size} interactions passed`);
} finally {
  monolith.child.kill();
  candidate.child.kill();
}
console.log(`${size} interactions, load average ${loadavg()[0].toFixed(1)}\n`);
console.log('| interactions | CPU per interaction (ms) | wall per interaction (ms) |\n| --- | --- | --- |');
for (const r of rows) {
  console.log(`| ${r.done - window + 1}–${r.done} | ${r.cpuMs.toFixed(2)} | ${r.wallMs.toFixed(2)} |`);
}
