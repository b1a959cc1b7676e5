// Broker benchmarks, for SQLite and (with CUTOVER_BENCH_POSTGRES_URL) PostgreSQL: the latest pact,
// can-i-deploy for a provider with 20 integrations at each size in VERSIONS, publishing, and the
// migration board's server time. The broker runs in a child process (server.mjs) and autocannon
// here, so each side's CPU time per request is reported next to the throughput: on a shared
// 2-core machine the CPU time is the figure that does not depend on what else runs.
//
//   npx tsc -b && node bench/broker/bench.mjs
//   bash scripts/postgres-test-server.sh bash -c 'CUTOVER_BENCH_POSTGRES_URL=$CUTOVER_TEST_POSTGRES_URL node bench/broker/bench.mjs'
//
// VERSIONS (default 500,5000,50000 per consumer; VERSIONS_POSTGRES for PostgreSQL alone), DURATION (s per run, default 5), CONNECTIONS
// (default 10), ENGINES (default sqlite, plus postgres when a URL is given).
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { loadavg } from 'node:os';
import autocannon from 'autocannon';
import { freshDatabase, INTEGRATIONS, pact } from './fixtures.mjs';
import { measureBoard } from './board.mjs';

const DURATION = Number(process.env.DURATION ?? 5);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 10);
const SCALES = (process.env.VERSIONS ?? '500,5000,50000').split(',').map(Number);
// Seeding 1,000,000 pacts into PostgreSQL takes minutes; its sizes can be chosen apart.
const POSTGRES_SCALES = (process.env.VERSIONS_POSTGRES ?? SCALES.join(',')).split(',').map(Number);
const PG_URL = process.env.CUTOVER_BENCH_POSTGRES_URL;
const ENGINES = (process.env.ENGINES ?? (PG_URL ? 'sqlite,postgres' : 'sqlite')).split(',');
if (ENGINES.includes('postgres') && !PG_URL) throw new Error('ENGINES=postgres needs CUTOVER_BENCH_POSTGRES_URL');

const CAN_I_DEPLOY = '/matrix?q[][pacticipant]=Provider&q[][version]=p1&latestby=cvpv&environment=prod';
const LATEST = '/pacts/provider/Provider/consumer/Consumer0/latest';

/** A broker in a child process on a fresh database; `ask` sends a command and waits for its answer. */
async function startServer(engine) {
  const { config, drop } = await freshDatabase(engine === 'postgres' ? PG_URL : undefined);
  const child = fork(new URL('./server.mjs', import.meta.url), {
    env: { ...process.env, BENCH_DATABASE: JSON.stringify(config) },
  });
  const ask = async (message) => {
    if (message) child.send(message);
    const [answer] = await once(child, 'message');
    if (answer.error) throw new Error(`broker process: ${answer.error}`);
    return answer;
  };
  const { url } = await ask();
  return {
    url,
    ask,
    async stop() {
      await ask({ do: 'close' });
      await drop();
    },
  };
}

function load(opts) {
  return new Promise((resolve, reject) => {
    autocannon({ duration: DURATION, connections: CONNECTIONS, ...opts }, (err, result) =>
      err ? reject(err) : resolve(result),
    );
  });
}

/** Runs autocannon and reports throughput, latency and the CPU milliseconds each side spent per request. */
async function measure(server, what, opts) {
  const serverBefore = (await server.ask({ do: 'cpu' })).cpu;
  const clientBefore = process.cpuUsage();
  const r = await load(opts);
  const client = process.cpuUsage(clientBefore);
  const serverAfter = (await server.ask({ do: 'cpu' })).cpu;
  const serverCpu = (serverAfter.user + serverAfter.system - serverBefore.user - serverBefore.system) / 1000;
  const n = Math.max(1, r.requests.total);
  const line = {
    what,
    'req/s': Math.round(r.requests.average),
    'p50 ms': r.latency.p50,
    'p99 ms': r.latency.p99,
    'server CPU ms/req': +(serverCpu / n).toFixed(3),
    'client CPU ms/req': +((client.user + client.system) / 1000 / n).toFixed(3),
    'non-2xx': r.non2xx,
    errors: r.errors,
    load: loadavg()[0].toFixed(1),
  };
  console.log(JSON.stringify(line));
  return line;
}

console.log(
  `broker benchmarks: ${ENGINES.join(', ')}; ${DURATION}s per run, ${CONNECTIONS} connections, Node ${process.version}, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);

for (const engine of ENGINES) {
  for (const versions of engine === 'postgres' ? POSTGRES_SCALES : SCALES) {
    const server = await startServer(engine);
    try {
      const { seededMs } = await server.ask({ do: 'seed', versions });
      console.log(
        `\n${engine}: ${INTEGRATIONS} integrations × ${versions} versions (${INTEGRATIONS * versions} pacts, each verified) seeded in ${seededMs} ms`,
      );
      const check = await (await fetch(`${server.url}${CAN_I_DEPLOY}`)).json();
      if (check.summary?.deployable !== true || check.matrix.length !== INTEGRATIONS)
        throw new Error(
          `can-i-deploy answered ${JSON.stringify(check.summary)} with ${check.matrix?.length} rows; expected deployable with ${INTEGRATIONS}`,
        );
      await measure(server, `${engine} ${versions}: can-i-deploy Provider p1 to prod`, {
        url: `${server.url}${CAN_I_DEPLOY}`,
      });
      await measure(server, `${engine} ${versions}: latest pact Consumer0 → Provider`, {
        url: `${server.url}${LATEST}`,
      });
    } finally {
      await server.stop();
    }
  }

  const server = await startServer(engine);
  try {
    let n = 0;
    const line = await measure(server, `${engine}: publish (one pact per request)`, {
      url: `${server.url}/contracts/publish`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      requests: [
        {
          setupRequest: (req) => {
            n++;
            const consumer = `Publisher${n % 50}`;
            return {
              ...req,
              body: JSON.stringify({
                pacticipantName: consumer,
                pacticipantVersionNumber: `v${n}`,
                branch: 'main',
                contracts: [
                  {
                    consumerName: consumer,
                    providerName: 'Provider',
                    specification: 'pact',
                    contentType: 'application/json',
                    content: Buffer.from(JSON.stringify(pact(consumer, 'Provider', n))).toString('base64'),
                  },
                ],
              }),
            };
          },
        },
      ],
    });
    const { count } = await server.ask({ do: 'count' });
    console.log(`${engine}: ${count} pacts stored (${line['non-2xx']} refused)`);
  } finally {
    await server.stop();
  }

  const { config, drop } = await freshDatabase(engine === 'postgres' ? PG_URL : undefined);
  try {
    const board = await measureBoard(config);
    console.log(
      JSON.stringify({
        what: `${engine}: board, ${board.routes} routes × ${board.decisions} decisions`,
        'median ms': +board.median.toFixed(1),
        'runs ms': board.times.map((t) => +t.toFixed(1)),
        load: loadavg()[0].toFixed(1),
      }),
    );
  } finally {
    await drop();
  }
}
