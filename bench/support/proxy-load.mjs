// The load loop of the proxy benchmarks (recorder, shadow): the same bounded loop against the
// target directly, through a minimal pass-through proxy (the extra hop alone) and through the proxy
// under test, rounds interleaved, in one run; medians of the rounds.
// CONNECTIONS (default 16), SECONDS per round (default 5), ROUNDS per side (default 3).
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';

const CONNECTIONS = Number(process.env.CONNECTIONS ?? 16);
const SECONDS = Number(process.env.SECONDS ?? 5);
const ROUNDS = Number(process.env.ROUNDS ?? 3);

/** Starts a script that prints `listening on URL`; resolves with the URL and the process. */
export function start(file, env = {}) {
  const child = spawn(process.execPath, [file], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ url: m[1], child });
    });
    child.once('exit', (code) => reject(new Error(`${file} exited (${code})`)));
  });
}

function get(agent, url) {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers: { 'x-client': 'bench' } }, (res) => {
      let size = 0;
      res.on('data', (d) => (size += d.length));
      res.on('end', () =>
        res.statusCode === 200 && size > 0 ? resolve() : reject(new Error(`status ${res.statusCode}`)),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

async function round(base) {
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const latencies = [];
  const end = performance.now() + SECONDS * 1000;
  let errors = 0;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async (_, i) => {
      while (performance.now() < end) {
        const t = performance.now();
        try {
          await get(agent, `${base}/api/tracking/SHP-${1000 + (i % 8)}`);
          latencies.push(performance.now() - t);
        } catch {
          errors++;
        }
      }
    }),
  );
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return { rps: latencies.length / SECONDS, p50: at(0.5), p99: at(0.99), errors };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The target (recorder/target.mjs), the minimal proxy and the proxy under test, measured side by side. */
export async function compareProxies(label, startProxy) {
  const here = (file) => fileURLToPath(new URL(file, import.meta.url));
  const target = await start(here('../recorder/target.mjs'));
  const minimal = await start(here('../recorder/minimal-proxy.mjs'), { TARGET: target.url });
  const proxy = await startProxy(target.url);
  try {
    await round(target.url); // warm-up, every side
    await round(proxy.url);
    await round(minimal.url);
    const runs = { direct: [], minimal: [], proxy: [] };
    const line = (x) => `${x.rps.toFixed(0)} req/s p50 ${x.p50.toFixed(3)} ms p99 ${x.p99.toFixed(3)} ms`;
    for (let r = 0; r < ROUNDS; r++) {
      runs.direct.push(await round(target.url));
      runs.minimal.push(await round(minimal.url));
      runs.proxy.push(await round(proxy.url));
      console.log(
        `round ${r + 1}: direct ${line(runs.direct[r])} | minimal proxy ${line(runs.minimal[r])} | ${label} ${line(runs.proxy[r])}`,
      );
    }
    const m = (side, key) => median(runs[side].map((x) => x[key]));
    const errors = [...runs.direct, ...runs.minimal, ...runs.proxy].reduce((n, x) => n + x.errors, 0);
    console.log(`\n${CONNECTIONS} connections, ${SECONDS} s rounds, medians of ${ROUNDS}; errors: ${errors}`);
    const row = (name, key, unit, digits) => {
      const d = m('direct', key);
      const cell = (side) =>
        key === 'rps'
          ? `${m(side, key).toFixed(0)} ${unit} (${((100 * m(side, key)) / d).toFixed(1)}%)`
          : `${m(side, key).toFixed(digits)} ${unit} (+${(m(side, key) - d).toFixed(digits)})`;
      console.log(`| ${name} | ${d.toFixed(digits)} ${unit} | ${cell('minimal')} | ${cell('proxy')} |`);
    };
    console.log(`| measure | direct | minimal pass-through proxy | ${label} |`);
    console.log(`| --- | --- | --- | --- |`);
    row('p50 latency', 'p50', 'ms', 3);
    row('p99 latency', 'p99', 'ms', 3);
    row('throughput', 'rps', 'req/s', 0);
  } finally {
    target.child.kill('SIGTERM');
    proxy.child.kill('SIGTERM');
    minimal.child.kill('SIGTERM');
  }
}
