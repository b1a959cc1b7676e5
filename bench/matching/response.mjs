// Response-matching throughput: a ~2 KB JSON body under ~10 matching rules, one core.
//
//   npx tsc -b packages/core && node bench/matching/response.mjs
//
// BASELINE=/path/to/another/build/index.js runs that build of @cutover/core side by side (rounds
// interleaved, so load from other processes hits both alike) and prints the ratio.
// ITERATIONS and RUNS change the size of a run.
import assert from 'node:assert/strict';
import * as current from '@cutover/core';

const item = (i) => ({
  id: 1000 + i,
  sku: `SKU-${String(i).padStart(5, '0')}`,
  name: `Parcel ${i}`,
  weightKg: 1.25 + i,
  fragile: i % 2 === 0,
  createdAt: '2024-05-01T10:11:12.345Z',
  tags: ['express', 'tracked'],
});
const expectedBody = {
  shipment: { id: 'SHP-000123', status: 'IN_TRANSIT', carrier: 'acme', eta: '2024-05-03' },
  items: [item(0)],
  links: { self: '/shipments/SHP-000123', tracking: '/tracking/SHP-000123' },
};
const actualBody = {
  shipment: { id: 'SHP-000987', status: 'DELIVERED', carrier: 'acme', eta: '2024-06-30', extra: 'ignored' },
  items: Array.from({ length: 13 }, (_, i) => item(i + 1)),
  links: { self: '/shipments/SHP-000987', tracking: '/tracking/SHP-000987' },
};

const rule = (...matchers) => ({ combine: 'AND', matchers });
// Exactly as a v4 pact file carries it: the body is `{ content, contentType }`. (A bare object
// under a v4 body has no `content` and is read as an absent body, which matches anything: the
// first version of this benchmark did that and never compared the body.)
const pactResponse = {
  status: 200,
  headers: { 'Content-Type': 'application/json' },
  body: { content: expectedBody, contentType: 'application/json' },
  matchingRules: {
    body: {
      '$.shipment.id': rule({ match: 'regex', regex: 'SHP-\\d{6}' }),
      '$.shipment.status': rule({ match: 'regex', regex: 'CREATED|IN_TRANSIT|DELIVERED' }),
      '$.shipment.eta': rule({ match: 'date', format: 'yyyy-MM-dd' }),
      '$.items': rule({ match: 'type', min: 1, max: 50 }),
      '$.items[*].id': rule({ match: 'integer' }),
      '$.items[*].sku': rule({ match: 'regex', regex: 'SKU-\\d{5}' }),
      '$.items[*].weightKg': rule({ match: 'number' }),
      '$.items[*].createdAt': rule({ match: 'timestamp', format: "yyyy-MM-dd'T'HH:mm:ss.SSSX" }),
      '$.items[*].*': rule({ match: 'type' }),
      '$.links.*': rule({ match: 'regex', regex: '/\\w+/SHP-\\d{6}' }),
    },
  },
};
const text = JSON.stringify(actualBody);
const headers = { 'content-type': 'application/json' };

function fixture(core) {
  const expected = core.normalizeResponse(pactResponse, 4);
  assert.equal(expected.body.kind, 'present', 'the expected body must be read as present');
  const actual = core.observedResponse({ status: 200, headers, body: text });
  return { core, expected, actual };
}

/** Fails loudly unless the body is really compared: the fixture matches, broken copies do not. */
function selfCheck({ core, expected, actual }) {
  const check = core.matchHttpResponse(expected, actual);
  if (!check.ok) throw new Error(`benchmark fixture does not match: ${JSON.stringify(check.mismatches, null, 2)}`);
  const broken = [
    ['$.shipment.id', (b) => (b.shipment.id = 'SHP-98X')], // breaks the regex rule
    ['$.items[3].sku', (b) => delete b.items[3].sku], // a missing field
    ['$.items[5].id', (b) => (b.items[5].id = '1006')], // breaks the integer rule
    ['$.items[7].createdAt', (b) => (b.items[7].createdAt = '2024-05-01 10:11')], // breaks the timestamp format
    ['$.links.tracking', (b) => (b.links.tracking = '/tracking/SHP-1')], // breaks the `.*` regex rule
    ['$.items', (b) => (b.items = [])], // breaks min: 1
  ];
  for (const [path, breakIt] of broken) {
    const body = structuredClone(actualBody);
    breakIt(body);
    const result = core.matchHttpResponse(
      expected,
      core.observedResponse({ status: 200, headers, body: JSON.stringify(body) }),
    );
    assert.equal(result.ok, false, `a body broken at ${path} must not match (is the body compared at all?)`);
    assert.ok(
      result.mismatches.some((m) => m.path === path),
      `a body broken at ${path} must report a mismatch there, got ${JSON.stringify(result.mismatches.map((m) => m.path))}`,
    );
  }
}

const variants = [{ name: 'this build', ...fixture(current) }];
if (process.env.BASELINE) {
  const baseline = await import(process.env.BASELINE);
  variants.push({ name: `baseline (${process.env.BASELINE})`, ...fixture(baseline) });
}
for (const v of variants) selfCheck(v);

const iterations = Number(process.env.ITERATIONS ?? 20000);
const runs = Number(process.env.RUNS ?? 7);

function once(v, parse) {
  if (parse) v.core.matchHttpResponse(v.expected, v.core.observedResponse({ status: 200, headers, body: text }));
  else v.core.matchHttpResponse(v.expected, v.actual);
}

// Warm-up, then rounds interleaved across variants and measures.
for (const v of variants) {
  for (let i = 0; i < 2000; i++) {
    once(v, false);
    once(v, true);
  }
}
// Wall-clock rates and rates per CPU-second of this process (the one-core figure: on a shared,
// loaded machine the wall clock also counts time spent waiting for a core).
const rates = variants.map(() => ({ match: [], parse: [], matchCpu: [], parseCpu: [] }));
for (let r = 0; r < runs; r++) {
  variants.forEach((v, k) => {
    for (const measure of ['match', 'parse']) {
      const cpu = process.cpuUsage();
      const start = process.hrtime.bigint();
      for (let i = 0; i < iterations; i++) once(v, measure === 'parse');
      const wall = Number(process.hrtime.bigint() - start) / 1e9;
      const used = process.cpuUsage(cpu);
      rates[k][measure].push(iterations / wall);
      rates[k][`${measure}Cpu`].push(iterations / ((used.user + used.system) / 1e6));
    }
  });
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (xs) => xs.map((x) => Math.round(x)).join(', ');

console.log(
  `body: ${text.length} bytes, body rules: ${Object.keys(pactResponse.matchingRules.body).length}, runs: ${runs} x ${iterations}`,
);
variants.forEach((v, k) => {
  const m = rates[k];
  console.log(`${v.name}`);
  console.log(`  matching only, per CPU-second     : ${fmt(m.matchCpu)}`);
  console.log(`  matching only, per wall-second    : ${fmt(m.match)}`);
  console.log(`  with observedResponse, per CPU-s  : ${fmt(m.parseCpu)}`);
  console.log(`  with observedResponse, per wall-s : ${fmt(m.parse)}`);
  console.log(
    `  median matches/s: ${Math.round(median(m.matchCpu))} per CPU-second (${Math.round(median(m.match))} per wall-second) matching only; ` +
      `${Math.round(median(m.parseCpu))} per CPU-second (${Math.round(median(m.parse))} per wall-second) including observedResponse's JSON parse. Target: >= 20000 matching only`,
  );
});
if (variants.length === 2) {
  const ratio = (m) => (median(rates[0][m]) / median(rates[1][m])).toFixed(2);
  console.log(
    `ratio this build / baseline (medians): matching only ${ratio('matchCpu')}x per CPU-second, ${ratio('match')}x per wall-second; ` +
      `including parsing ${ratio('parseCpu')}x per CPU-second, ${ratio('parse')}x per wall-second`,
  );
}
