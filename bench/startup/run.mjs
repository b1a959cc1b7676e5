// Start-up benchmark (run by hand): what every cutover command pays before its first request,
// measured side by side with `node -e 0` in one run, the commands taking turns round after round.
//
//   npm run build && node bench/startup/run.mjs
//
// Environment: PROFILE (a folder: first writes one CPU profile per command there), ROUNDS (default 11), NODE (the node binary to measure, default this one; e.g. a
// Node 24 from `npm i node@24` in a temporary folder), BASELINE (another built checkout of cutover:
// each command runs with both builds, in turn, in every round). On Node 22.1+ the launcher turns on Node's
// module compile cache: the first round fills it, so the medians are those of a warm cache, as a
// user's second and later runs are.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, cliOf, median, startServer, timed, verifyArgs, writePact } from '../verify/lib.mjs';

const node = process.env.NODE ?? process.execPath;
const rounds = Number(process.env.ROUNDS ?? 11);
const cli = cliOf(ROOT);
const work = mkdtempSync(join(tmpdir(), 'cutover-startup-bench-'));
const OPENAPI = 'contracts/openapi/logistics.yaml';

/** Starts an example service (`node --import tsx <entry> --port 0 ...`) and resolves to its URL. */
function startExample(entry, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', entry, '--port', '0', ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve({ child, url: match[1] });
    });
    child.once('exit', (code) => reject(new Error(`${entry} exited (${code}) before listening`)));
  });
}

const children = [];
try {
  const monolith = await startServer();
  const candidate = await startServer();
  children.push(monolith.child, candidate.child);
  const pact1 = writePact(1, work);

  // The example system, verified once: the gate's evidence.
  const data = join(work, 'logistics.json');
  const example = await startExample('examples/logistics-monolith/src/main.ts', ['--data', data]);
  children.push(example.child);
  const service = await startExample('examples/tracking-service/src/main.ts', ['--data', data]);
  children.push(service.child);
  const results = join(work, 'verify.json');
  const evidence = await timed(node, [
    cli,
    'verify',
    '--pact',
    'contracts/pacts',
    '--provider',
    'logistics',
    '--openapi',
    OPENAPI,
    '--monolith',
    example.url,
    '--monolith-state-url',
    `${example.url}/_pact/provider-states`,
    '--candidate',
    service.url,
    '--candidate-state-url',
    `${service.url}/_pact/provider-states`,
    '--shared-state',
    '--filter-route',
    '/api/tracking/**',
    '--json',
    results,
  ]);
  if (evidence.code !== 0) throw new Error(`verify of the example system exited ${evidence.code}\n${evidence.stderr}`);
  const routing = join(work, 'routing');
  mkdirSync(routing);

  const cases = [
    { what: '`node -e 0`', args: ['-e', '0'] },
    { what: '`cutover --help`', args: [cli, '--help'] },
    {
      what: '`cutover openapi check`, one pact (web-app)',
      args: [cli, 'openapi', 'check', '--openapi', OPENAPI, '--pact', 'contracts/pacts/web-app-logistics.json'],
    },
    {
      what: '`cutover openapi check`, example system (both pacts)',
      args: [cli, 'openapi', 'check', '--openapi', OPENAPI, '--pact', 'contracts/pacts'],
    },
    {
      what: '`cutover verify`, 1 interaction, two targets',
      args: [cli, ...verifyArgs(pact1, monolith, candidate, ['--json', join(work, 'verify-1.json')])],
    },
    {
      what: '`cutover gate`, example system',
      args: [
        cli,
        'gate',
        '--policy',
        'contracts/cutover.yaml',
        '--results',
        results,
        '--pact',
        'contracts/pacts',
        '--openapi',
        OPENAPI,
        '--routing-out',
        routing,
        '--gateway',
        'json',
      ],
    },
  ];
  if (process.env.BASELINE) {
    const other = cliOf(process.env.BASELINE);
    for (const c of [...cases]) {
      if (c.args[0] !== cli) continue;
      cases.splice(cases.indexOf(c) + 1, 0, { what: `${c.what}, baseline`, args: [other, ...c.args.slice(1)] });
    }
  }
  if (process.env.PROFILE) {
    // One CPU profile per command (chrome://inspect or speedscope reads them), outside the rounds.
    for (const [i, c] of cases.entries()) {
      if (c.args[0] !== cli) continue;
      const dir = join(process.env.PROFILE, String(i));
      mkdirSync(dir, { recursive: true });
      const r = await timed(node, ['--cpu-prof', `--cpu-prof-dir=${dir}`, ...c.args]);
      if (r.code !== 0) throw new Error(`${c.what} exited ${r.code} under the profiler\n${r.stderr.slice(-2000)}`);
      console.log(`${c.what}: CPU profile in ${dir}`);
    }
  }
  const runs = cases.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (const [i, c] of cases.entries()) {
      const r = await timed(node, c.args);
      if (r.code !== 0)
        throw new Error(`${c.what} exited ${r.code}\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`);
      runs[i].push(r);
    }
  }
  const base = median(runs[0].map((r) => r.seconds));
  const baseCpu = median(runs[0].map((r) => r.cpu));
  const { stdout: version } = await timed(node, ['--version']);
  console.log(`\n${version.trim()}, ${rounds} rounds, ${new Date().toISOString()}`);
  console.log('\n| what | wall (s), median | × `node -e 0` | CPU (s), median | × `node -e 0` | peak RSS (MB) |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const [i, c] of cases.entries()) {
    const wall = median(runs[i].map((r) => r.seconds));
    const cpu = median(runs[i].map((r) => r.cpu));
    const rss = median(runs[i].map((r) => r.rssMb));
    console.log(
      `| ${c.what} | ${wall.toFixed(3)} | ${(wall / base).toFixed(2)} | ${cpu.toFixed(3)} | ${(cpu / baseCpu).toFixed(2)} | ${rss.toFixed(0)} |`,
    );
  }
} finally {
  for (const child of children) child.kill();
  rmSync(work, { recursive: true, force: true });
}
