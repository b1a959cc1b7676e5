// Verify benchmark (run by hand): cutover's two-target run against the stock pact-verifier on one
// target, side by side at each size, on a pact whose every interaction has a provider state.
//
//   npm run build && node bench/verify/run.mjs
//
// Environment: SIZES (cutover sizes, default "20,200,2000"), STOCK_SIZES (default "20,200,2000";
// empty to skip the stock verifier), CONCURRENCY (cutover --concurrency, default 8), REPEAT (runs
// per size and tool, default 3; the table shows each run), BASELINE (another built checkout of
// cutover, e.g. an older commit). At each size the tools take turns, run after run, so all see the
// same machine. CPU seconds (user + system of the verifier process alone) are reported beside wall
// time: on a shared machine they move far less with load.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, cliOf, median, startServer, timed, verifyArgs, writePact } from './lib.mjs';

const out = join(ROOT, 'bench', '.out', 'verify');
mkdirSync(out, { recursive: true });
const list = (value, fallback) => (value ?? fallback).split(',').filter(Boolean).map(Number);
const sizes = list(process.env.SIZES, '20,200,2000');
const stockSizes = list(process.env.STOCK_SIZES, '20,200,2000');
const concurrency = process.env.CONCURRENCY ?? '8';
const repeat = Number(process.env.REPEAT ?? 3);
const STOCK = 'stock pact-verifier (1 target)';
const builds = [{ tool: 'cutover (2 targets)', root: ROOT }];
if (process.env.BASELINE)
  builds.push({ tool: `baseline ${process.env.BASELINE} (2 targets)`, root: process.env.BASELINE });

const monolith = await startServer();
const candidate = await startServer();
const rows = [];
const report = (row) => {
  rows.push(row);
  console.log(
    `${row.tool} n=${row.n}: ${row.seconds.toFixed(2)} s (cpu ${row.cpu.toFixed(2)} s, load ${row.load.toFixed(1)}), ` +
      `peak RSS ${row.rssMb.toFixed(0)} MB, exit ${row.code}${row.note ?? ''}`,
  );
  if (row.code !== 0) console.log(row.stdout.slice(-2000), row.stderr.slice(-2000));
};
try {
  for (const n of [...new Set([...stockSizes, ...sizes])].sort((a, b) => a - b)) {
    const file = writePact(n, out);
    for (let run = 0; run < repeat; run++) {
      if (stockSizes.includes(n)) {
        const r = await timed(join(ROOT, 'node_modules', '.bin', 'pact-verifier'), [
          '--file',
          file,
          '--hostname',
          '127.0.0.1',
          '--port',
          String(monolith.port),
          '--state-change-url',
          `${monolith.url}/_pact/state`,
          '--state-change-teardown',
          '--loglevel',
          'error',
        ]);
        report({ tool: STOCK, n, ...r });
      }
      if (!sizes.includes(n)) continue;
      for (const build of builds) {
        const json = join(out, `cutover-${n}.json`);
        const r = await timed(process.execPath, [
          cliOf(build.root),
          ...verifyArgs(file, monolith, candidate, ['--concurrency', concurrency, '--json', json]),
        ]);
        const { summary } = JSON.parse(readFileSync(json, 'utf8'));
        const note = `, ${summary.passed}/${summary.interactions} passed, parity identical ${summary.parity.identical}`;
        report({ tool: build.tool, n, ...r, note });
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
// Medians side by side: how many times faster cutover (two targets) is than the stock verifier (one).
console.log(
  '\n| interactions | stock wall / CPU (s) | cutover wall / CPU (s) | faster, wall | faster, CPU |\n| --- | --- | --- | --- | --- |',
);
for (const n of sizes.filter((size) => stockSizes.includes(size))) {
  const pick = (tool, key) => median(rows.filter((r) => r.tool === tool && r.n === n).map((r) => r[key]));
  const [sw, sc, cw, cc] = [
    pick(STOCK, 'seconds'),
    pick(STOCK, 'cpu'),
    pick(builds[0].tool, 'seconds'),
    pick(builds[0].tool, 'cpu'),
  ];
  console.log(
    `| ${n.toLocaleString('en')} | ${sw.toFixed(2)} / ${sc.toFixed(2)} | ${cw.toFixed(2)} / ${cc.toFixed(2)} | ${(sw / cw).toFixed(1)}× | ${(sc / cc).toFixed(1)}× |`,
  );
}
