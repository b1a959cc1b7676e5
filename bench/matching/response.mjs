// Response-matching throughput: a ~2 KB JSON body under ~10 matching rules, one core.
// Run against the built package:  npx tsc -b packages/core && node bench/matching/response.mjs
import { matchHttpResponse, normalizeResponse, observedResponse } from '@cutover/core';

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
const expected = normalizeResponse(
  {
    status: 200,
    headers: { 'Content-Type': 'application/json' },
    body: expectedBody,
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
  },
  4,
);
const text = JSON.stringify(actualBody);
const actual = observedResponse({ status: 200, headers: { 'content-type': 'application/json' }, body: text });

const check = matchHttpResponse(expected, actual);
if (!check.ok) throw new Error(`benchmark fixture does not match: ${JSON.stringify(check.mismatches, null, 2)}`);

const iterations = Number(process.env.ITERATIONS ?? 20000);
const runs = Number(process.env.RUNS ?? 7);
for (let i = 0; i < 2000; i++) matchHttpResponse(expected, actual); // warm-up

function measure(fn) {
  const rates = [];
  for (let r = 0; r < runs; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) fn();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    rates.push(iterations / seconds);
  }
  rates.sort((a, b) => a - b);
  return { rates, median: rates[Math.floor(rates.length / 2)] };
}

const matchOnly = measure(() => matchHttpResponse(expected, actual));
const withParse = measure(() =>
  matchHttpResponse(
    expected,
    observedResponse({ status: 200, headers: { 'content-type': 'application/json' }, body: text }),
  ),
);
console.log(
  `body: ${text.length} bytes, rules: ${Object.keys(expected.matchingRules.body).length}, runs: ${runs} x ${iterations}`,
);
console.log(`matching only     (matches/s): ${matchOnly.rates.map((x) => Math.round(x)).join(', ')}`);
console.log(`with JSON parsing (matches/s): ${withParse.rates.map((x) => Math.round(x)).join(', ')}`);
console.log(
  `median: ${Math.round(matchOnly.median)} matches/s matching only, ${Math.round(withParse.median)} matches/s including JSON.parse (target >= 20000)`,
);
