// Benchmarks for @cutover/openapi, run by hand (never as timed tests):
//
//   npx tsc -b packages/openapi && node bench/openapi/run.mjs [--quick]
//
// 1. Validation throughput: a ~1 KB JSON response body against its compiled schema, median of 7
//    interleaved rounds of 1 s after a warm-up, per CPU-second of this process (the one-core figure,
//    robust to other processes on the machine) and per wall-second, next to bare ajv on an
//    equivalent schema.
// 2. Loading + indexing a large generated document (deterministic, no real one of that size is in
//    node_modules: 3,000 paths, 6,000 operations, 3,000 component schemas, 5.4 MB of YAML), with and
//    without checking it against the OpenAPI meta-schema, median of 5 loads; then the first
//    validation (lazy compilation) and route lookups.
import { mkdtempSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { stringify } from 'yaml';
import { loadOpenApi } from '@cutover/openapi';

// The same ajv 8 + ajv-formats that @cutover/openapi uses, for a bare-ajv baseline measured side by side.
const requireFromOpenapi = createRequire(new URL('../../packages/openapi/package.json', import.meta.url));
const { Ajv } = requireFromOpenapi('ajv');
const addFormats = requireFromOpenapi('ajv-formats').default;

const quick = process.argv.includes('--quick');
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fmt = (n) => Math.round(n).toLocaleString('en-US');

// ---------------------------------------------------------------- 1. validation throughput
const shipmentSchema = {
  type: 'object',
  required: ['id', 'reference', 'status', 'weight', 'createdAt', 'events'],
  properties: {
    id: { type: 'integer', format: 'int64', readOnly: true },
    reference: { type: 'string', pattern: '^SH-[0-9]{6}$' },
    status: { type: 'string', enum: ['new', 'picked', 'in-transit', 'delivered'] },
    weight: { type: 'number', format: 'double', minimum: 0, exclusiveMinimum: true },
    note: { type: 'string', nullable: true, maxLength: 500 },
    createdAt: { type: 'string', format: 'date-time' },
    recipient: { $ref: '#/components/schemas/Address' },
    sender: { allOf: [{ $ref: '#/components/schemas/Address' }], nullable: true },
    events: { type: 'array', maxItems: 50, items: { $ref: '#/components/schemas/Event' } },
    tags: { type: 'array', items: { type: 'string' } },
  },
};
const smallDoc = {
  openapi: '3.0.3',
  info: { title: 'bench', version: '1' },
  paths: {
    '/shipments/{id}': {
      get: {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
        responses: {
          200: {
            description: 'ok',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Shipment' } } },
          },
        },
      },
    },
  },
  components: {
    schemas: {
      Shipment: shipmentSchema,
      Address: {
        type: 'object',
        required: ['name', 'city', 'country'],
        properties: {
          name: { type: 'string' },
          street: { type: 'string' },
          city: { type: 'string' },
          postcode: { type: 'string', nullable: true },
          country: { type: 'string', minLength: 2, maxLength: 2 },
        },
      },
      Event: {
        type: 'object',
        required: ['at', 'kind'],
        properties: {
          at: { type: 'string', format: 'date-time' },
          kind: { type: 'string', enum: ['created', 'scanned', 'loaded', 'delivered'] },
          location: { type: 'string' },
        },
      },
    },
  },
};
const body = {
  id: 123456,
  reference: 'SH-000042',
  status: 'in-transit',
  weight: 12.5,
  note: null,
  createdAt: '2026-01-31T10:00:00Z',
  recipient: {
    name: 'Ada Lovelace',
    street: '12 St James Square',
    city: 'London',
    postcode: 'SW1Y 4JH',
    country: 'GB',
  },
  sender: { name: 'Logistics Ltd', street: '1 Warehouse Road', city: 'Leeds', postcode: null, country: 'GB' },
  events: [
    { at: '2026-01-31T10:00:00Z', kind: 'created', location: 'Leeds depot' },
    { at: '2026-01-31T12:30:00Z', kind: 'scanned', location: 'Leeds depot' },
    { at: '2026-01-31T15:45:00Z', kind: 'loaded', location: 'Leeds depot, bay 4' },
    { at: '2026-02-01T08:10:00Z', kind: 'scanned', location: 'London hub' },
    { at: '2026-02-01T09:20:00Z', kind: 'loaded', location: 'London hub, van 12' },
    { at: '2026-02-01T11:05:00Z', kind: 'scanned', location: 'Westminster sorting office' },
    { at: '2026-02-01T14:30:00Z', kind: 'delivered', location: '12 St James Square' },
  ],
  tags: ['fragile', 'priority', 'signature-required'],
};
const bodyBytes = Buffer.byteLength(JSON.stringify(body));

const doc = await loadOpenApi(smallDoc);
const lookup = doc.findOperation('GET', '/shipments/42');
const response = { status: 200, body, contentType: 'application/json' };
if (doc.validateResponse(lookup, response).length !== 0) throw new Error('benchmark body must be valid');
const invalid = { ...response, body: { ...body, weight: -1, events: [{ kind: 'lost' }] } };
if (doc.validateResponse(lookup, invalid).length === 0) throw new Error('benchmark invalid body must be rejected');

// Rounds interleave the variants, so load from other processes hits them alike. Each round also
// records this process's CPU time: validations per CPU-second is the "one core" figure, and stays
// meaningful when other processes compete for the machine's cores.
function throughput(variants, rounds, ms) {
  const rates = variants.map(() => ({ wall: [], cpu: [] }));
  for (let r = 0; r < rounds; r++) {
    variants.forEach((fn, v) => {
      let n = 0;
      const cpu0 = process.cpuUsage();
      const start = performance.now();
      let now = start;
      while (now - start < ms) {
        for (let i = 0; i < 1000; i++) fn();
        n += 1000;
        now = performance.now();
      }
      const cpu = process.cpuUsage(cpu0);
      rates[v].wall.push((n / (now - start)) * 1000);
      rates[v].cpu.push(n / ((cpu.user + cpu.system) / 1e6));
    });
  }
  return rates;
}

// Bare ajv on a hand-translated draft-07 equivalent of the schema: the ceiling for this body.
const bare = new Ajv({ allErrors: true, strict: false });
addFormats(bare);
const toDraft7 = (schema) =>
  JSON.parse(
    JSON.stringify(schema)
      .replaceAll('#/components/schemas/', '#/definitions/')
      .replaceAll('"nullable":true', '"x-nullable":true'),
  );
const definitions = toDraft7(smallDoc.components.schemas);
definitions.Shipment.properties.weight = { type: 'number', exclusiveMinimum: 0 };
definitions.Shipment.properties.note = { type: ['string', 'null'], maxLength: 500 };
definitions.Shipment.properties.sender = { anyOf: [{ type: 'null' }, { $ref: '#/definitions/Address' }] };
definitions.Address.properties.postcode = { type: ['string', 'null'] };
const bareValidate = bare.compile({ $ref: '#/definitions/Shipment', definitions });
if (!bareValidate(body)) throw new Error('baseline must accept the body: ' + JSON.stringify(bareValidate.errors));

const rounds = quick ? 3 : 7;
const roundMs = quick ? 300 : 1000;
const variants = [
  () => bareValidate(body),
  () => doc.validateResponse(lookup, response),
  () => doc.validateResponse({ method: 'GET', path: '/shipments/42' }, response),
  () => doc.validateResponse(lookup, invalid),
];
throughput(variants, 1, roundMs); // warm-up: let the JIT settle before measuring
const [baseline, withLookup, withRouting, failing] = throughput(variants, rounds, roundMs);
const line = (label, rates) =>
  `   ${label.padEnd(50)} ${fmt(median(rates.cpu)).padStart(9)} per CPU-second   ${fmt(median(rates.wall)).padStart(9)} per wall-second`;
console.log(
  `1. validation of a ${bodyBytes}-byte response body (median of ${rounds} interleaved rounds of ${roundMs} ms):`,
);
console.log(line('bare ajv + ajv-formats, equivalent draft-07 schema', baseline));
console.log(line('validateResponse(found operation, valid body)', withLookup));
console.log(line('validateResponse(method + path, valid body)', withRouting));
console.log(line('validateResponse(found operation, 3 violations)', failing));
console.log(
  `   validateResponse(found operation) runs at ${((median(withLookup.cpu) / median(baseline.cpu)) * 100).toFixed(0)}% of bare ajv + ajv-formats (per CPU-second; faster because of the date-time format, see formats.ts)`,
);

// ---------------------------------------------------------------- 2. large document
function largeDocument(paths) {
  const schemas = {};
  const schemaCount = paths / 2;
  for (let s = 0; s < schemaCount; s++) {
    const properties = {};
    for (let p = 0; p < 12; p++) {
      properties[`field${p}`] =
        p % 4 === 0
          ? {
              type: 'string',
              maxLength: 64,
              description: `Field ${p} of resource ${s}, a reasonably long description as real documents have.`,
            }
          : p % 4 === 1
            ? { type: 'integer', format: 'int32', minimum: 0 }
            : p % 4 === 2
              ? { type: 'string', enum: ['alpha', 'beta', 'gamma'], nullable: true }
              : { $ref: `#/components/schemas/Resource${(s * 7 + p) % schemaCount}Summary` };
    }
    schemas[`Resource${s}`] = {
      type: 'object',
      required: ['field0', 'field1'],
      properties,
      example: { field0: 'x', field1: 1 },
    };
    schemas[`Resource${s}Summary`] = {
      type: 'object',
      properties: { id: { type: 'string', format: 'uuid' }, name: { type: 'string' } },
    };
  }
  const pathItems = {};
  for (let i = 0; i < paths; i++) {
    const schema = { $ref: `#/components/schemas/Resource${i % schemaCount}` };
    const base = `/api/v1/domain${i % 40}/resource${i}`;
    pathItems[`${base}/{id}`] = {
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      get: {
        operationId: `get${i}`,
        summary: `Get resource ${i}`,
        parameters: [{ name: 'expand', in: 'query', schema: { type: 'array', items: { type: 'string' } } }],
        responses: {
          200: { description: 'ok', content: { 'application/json': { schema } } },
          404: {
            description: 'not found',
            content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
          },
        },
      },
      put: {
        operationId: `put${i}`,
        requestBody: { required: true, content: { 'application/json': { schema } } },
        responses: { 200: { description: 'ok', content: { 'application/json': { schema } } } },
      },
    };
  }
  schemas.Problem = { type: 'object', properties: { title: { type: 'string' }, status: { type: 'integer' } } };
  return {
    openapi: '3.0.3',
    info: { title: 'Large generated API', version: '1' },
    servers: [{ url: 'https://api.example.com' }],
    paths: pathItems,
    components: { schemas },
  };
}

const dir = mkdtempSync(join(tmpdir(), 'cutover-bench-'));
const file = join(dir, 'large.yaml');
const pathCount = quick ? 1000 : 3000;
writeFileSync(file, stringify(largeDocument(pathCount)));
const mb = statSync(file).size / 1024 / 1024;
console.log(
  `\n2. large generated document: ${pathCount} paths, ${pathCount * 2} operations, ${pathCount} component schemas, ${mb.toFixed(1)} MB of YAML`,
);
for (const validate of [false, true]) {
  const times = [];
  const cpuTimes = [];
  let large;
  for (let r = 0; r < (quick ? 1 : 5); r++) {
    const cpu0 = process.cpuUsage();
    const start = performance.now();
    large = await loadOpenApi(file, { validate });
    times.push(performance.now() - start);
    const cpu = process.cpuUsage(cpu0);
    cpuTimes.push((cpu.user + cpu.system) / 1000);
  }
  console.log(
    `   loadOpenApi(validate: ${validate}) median ${fmt(median(times))} ms wall, ${fmt(median(cpuTimes))} ms CPU (wall runs: ${times.map(fmt).join(', ')}); schemas compiled: ${large.compiledSchemas}`,
  );
  if (!validate) {
    const target = `/api/v1/domain${(pathCount - 1) % 40}/resource${pathCount - 1}/abc`;
    let start = performance.now();
    const found = large.findOperation('GET', target);
    const v = large.validateResponse(found, {
      status: 200,
      body: { field0: 'x', field1: 1 },
      contentType: 'application/json',
    });
    console.log(
      `   first validation (lazy compile) ${fmt(performance.now() - start)} ms, ${v.length} violations, schemas compiled: ${large.compiledSchemas}`,
    );
    start = performance.now();
    let n = 0;
    while (performance.now() - start < 500) {
      for (let i = 0; i < 100; i++)
        large.findOperation('GET', `/api/v1/domain${i % 40}/resource${(i * 37) % pathCount}/x`);
      n += 100;
    }
    console.log(
      `   findOperation over ${pathCount * 2} operations: ${fmt((n / (performance.now() - start)) * 1000)} lookups/s`,
    );
  }
}
rmSync(dir, { recursive: true, force: true });
