// Target HTTP client benchmark (run by hand): CPU and wall time per request of the verifier's
// TargetClient, 8 requests in flight (verify's default concurrency) against a bench server in its
// own process, after a warm-up round. BASELINE (another built checkout) times its client in the
// same rounds, taking turns.
//
//   npx tsc -b packages/verifier && node bench/verify/client.mjs
//   BASELINE=/path/to/older/checkout node bench/verify/client.mjs
//
// Environment: REQUESTS per round (default 2000), ROUNDS (default 7).
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { ROOT, median, startServer } from './lib.mjs';

const requests = Number(process.env.REQUESTS ?? 2000);
const rounds = Number(process.env.ROUNDS ?? 7);
const server = await startServer();
const builds = [{ name: 'this build', root: ROOT }];
if (process.env.BASELINE) builds.push({ name: `baseline ${process.env.BASELINE}`, root: process.env.BASELINE });
for (const build of builds) {
  const { TargetClient } = await import(join(build.root, 'packages', 'verifier', 'dist', 'http.js'));
  build.client = new TargetClient(server.url, { connections: 8, timeoutMs: 10_000, retries: 2 });
  build.runs = [];
}

async function round(client) {
  let sent = 0;
  const lane = async () => {
    while (sent < requests) {
      sent++;
      const response = await client.send({ method: 'GET', path: '/items/1', headers: { accept: 'application/json' } });
      if (response.status !== 404) throw new Error(`unexpected status ${response.status}`);
    }
  };
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(Array.from({ length: 8 }, lane));
  const used = process.cpuUsage(cpu);
  return { cpuUs: (used.user + used.system) / requests, wallUs: ((performance.now() - started) * 1000) / requests };
}

try {
  for (const build of builds) await round(build.client); // warm-up
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 ? [...builds].reverse() : builds;
    for (const build of order) build.runs.push(await round(build.client));
  }
} finally {
  await Promise.all(builds.map((b) => b.client.close()));
  server.child.kill();
}
console.log(`${requests} requests per round, ${rounds} rounds, load average ${loadavg()[0].toFixed(1)}\n`);
console.log('| client | CPU per request (µs), median | wall per request (µs), median |\n| --- | --- | --- |');
for (const b of builds) {
  const cpu = median(b.runs.map((x) => x.cpuUs));
  const wall = median(b.runs.map((x) => x.wallUs));
  console.log(`| ${b.name} | ${cpu.toFixed(1)} | ${wall.toFixed(1)} |`);
}
