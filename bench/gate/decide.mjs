// Gate decision throughput on a large evidence set: how long `cutover gate` spends deciding once
// the evidence is loaded. Run by hand: npx tsc -b packages/gate && node bench/gate/decide.mjs
import { summarizeResults } from '@cutover/core';
import { decide, parsePolicy, reportToEvidence, documentedOperations } from '@cutover/gate';

const INTERACTIONS = Number(process.env.INTERACTIONS ?? 20_000);
const ROUTES = Number(process.env.ROUTES ?? 20);
const RUNS = Number(process.env.RUNS ?? 7);

const routes = Array.from(
  { length: ROUTES },
  (_, i) => `  - name: r${i}
    match: { methods: [GET], path: /api/domain${i}/** }
    currentWeight: 10
    rules: { requiredConsumers: [c0, c1], requireAllOperationsExercised: true }`,
).join('\n');
const policy = parsePolicy(
  `version: 1\nprovider: p\ncandidate: { service: s }\nrolloutSteps: [1, 10, 50, 100]\nroutes:\n${routes}\n`,
  'bench.yaml',
);
const paths = {};
for (let i = 0; i < ROUTES; i++) {
  paths[`/api/domain${i}/{id}`] = { get: { responses: {} } };
  paths[`/api/domain${i}/{id}/events`] = { get: { responses: {} } };
}
const operations = documentedOperations({ paths });

const now = new Date();
const results = Array.from({ length: INTERACTIONS }, (_, i) => ({
  consumer: `c${Math.floor(i / ROUTES) % 5}`,
  provider: 'p',
  description: `interaction ${i}`,
  providerStates: [],
  pending: false,
  route: { method: 'GET', path: `/api/domain${i % ROUTES}/ID-${i}${Math.floor(i / ROUTES) % 2 ? '/events' : ''}` },
  targets: {
    monolith: { outcome: 'pass', status: 200, mismatches: [], timingMs: 1 },
    candidate: { outcome: 'pass', status: 200, mismatches: [], timingMs: 1 },
  },
  parity: {
    status: i % 3 ? 'identical' : 'noise-only',
    differences: [],
    noise: i % 3 ? [] : [{ kind: 'value', path: '$.at', monolith: 1, candidate: 2, message: 'x', noise: 'sampled' }],
  },
  schema: { request: [], monolith: [], candidate: [], baseline: [], regressions: [] },
}));
const report = {
  format: 'cutover.verification/v1',
  tool: { name: 'cutover', version: 'bench' },
  startedAt: now.toISOString(),
  finishedAt: now.toISOString(),
  provider: { name: 'p', version: '1' },
  targets: {},
  pacts: [],
  results,
  summary: summarizeResults(results),
};

const t0 = performance.now();
const evidence = { reports: [reportToEvidence(report, 'bench.json')], problems: [] };
const validateMs = performance.now() - t0;

const check = decide({ policy, evidence, operations, candidateVersion: '1', now });
if (check.outcome !== 'allowed')
  throw new Error(`fixture should be allowed: ${JSON.stringify(check.routes[0].reasons[0])}`);

const times = [];
for (let run = 0; run < RUNS; run++) {
  const start = performance.now();
  decide({ policy, evidence, operations, candidateVersion: '1', now });
  times.push(performance.now() - start);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
console.log(`${INTERACTIONS} interactions, ${ROUTES} routes, ${operations.length} documented operations`);
console.log(`validating the report: ${validateMs.toFixed(1)} ms`);
console.log(
  `decide: median ${median.toFixed(1)} ms (${Math.round(INTERACTIONS / (median / 1000)).toLocaleString('en')} interactions/s); runs ${times.map((t) => t.toFixed(1)).join(', ')} ms`,
);
