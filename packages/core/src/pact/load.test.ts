import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ErrorCodes, PactLoadError } from '../errors.js';
import type { HttpInteraction } from '../model.js';
import { readFileSync } from 'node:fs';
import { loadPact, openPact, parsePact } from './load.js';

const fixture = (name: string) => fileURLToPath(new URL(`./__fixtures__/${name}`, import.meta.url));

function http(i: unknown): HttpInteraction {
  expect((i as HttpInteraction).type).toBe('http');
  return i as HttpInteraction;
}

async function expectLoadError(input: string | object, pattern: RegExp, jsonPath?: string) {
  const error = await loadPact(input).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(PactLoadError);
  expect((error as PactLoadError).code).toBe(ErrorCodes.PACT_INVALID);
  expect((error as Error).message).toMatch(pattern);
  if (jsonPath) expect(JSON.stringify((error as PactLoadError).details)).toContain(jsonPath);
}

describe('loadPact', () => {
  it('reads a v2 pact: single provider state, query string, flat matching rules', async () => {
    const pact = await loadPact(fixture('v2-tracking.json'));
    expect(pact).toMatchObject({ consumer: { name: 'web-app' }, provider: { name: 'logistics' }, specMajor: 2 });
    expect(pact.source).toBe(fixture('v2-tracking.json'));
    const i = http(pact.interactions[0]);
    expect(i.providerStates).toEqual([{ name: 'shipment SHP-1 exists', params: {} }]);
    expect(i.request.query).toEqual({ lang: ['en', 'fr'] });
    expect(i.response.body).toMatchObject({ kind: 'present', content: { id: 'SHP-1' } });
    expect(Object.keys(i.response.matchingRules.body ?? {})).toEqual(expect.arrayContaining(['$.status', '$.events']));
  });

  it('reads a v3 pact: provider states with params, generators, categorised rules', async () => {
    const pact = await loadPact(fixture('v3-shipments.json'));
    expect(pact.specMajor).toBe(3);
    const i = http(pact.interactions[0]);
    expect(i.providerStates).toEqual([{ name: 'a customer exists', params: { customerId: 7 } }]);
    expect(i.request.generators.body?.['$.customerId']).toEqual({ type: 'ProviderState', expression: '${customerId}' });
    expect(i.response.status).toBe(201);
  });

  it('reads a v4 pact: HTTP interactions replayable, message interactions loaded but not replayable', async () => {
    const pact = await loadPact(fixture('v4-mixed.json'));
    expect(pact.specMajor).toBe(4);
    expect(pact.interactions.map((i) => [i.type, i.replayable])).toEqual([
      ['http', true],
      ['async-message', false],
      ['sync-message', false],
    ]);
    const i = http(pact.interactions[0]);
    expect(i).toMatchObject({ key: 'a1b2c3', pending: true });
    expect(i.response.body).toMatchObject({ kind: 'present', content: { eta: '2026-03-01' } });
    expect(i.request.generators.path?.['']).toMatchObject({ type: 'ProviderState' });
  });

  it('accepts JSON text and parsed objects as well as paths, without mutating the object', async () => {
    const text = JSON.stringify({
      consumer: { name: 'c' },
      provider: { name: 'p' },
      interactions: [{ description: 'd', request: { method: 'GET', path: '/' }, response: { status: 204 } }],
      metadata: { pactSpecification: { version: '3.0.0' } },
    });
    const object = JSON.parse(text);
    const frozen = structuredClone(object);
    expect((await loadPact(text)).interactions).toHaveLength(1);
    expect(parsePact(object).interactions).toHaveLength(1);
    expect(object).toEqual(frozen);
  });

  it('infers the spec from the shape when the metadata says nothing', () => {
    const base = { consumer: { name: 'c' }, provider: { name: 'p' } };
    const v4 = parsePact({
      ...base,
      interactions: [
        {
          type: 'Synchronous/HTTP',
          description: 'd',
          request: { method: 'GET', path: '/' },
          response: { status: 200 },
        },
      ],
    });
    expect(v4.specMajor).toBe(4);
    const v2 = parsePact({
      ...base,
      interactions: [
        {
          description: 'd',
          request: { method: 'GET', path: '/' },
          response: { status: 200, body: { a: 1 }, matchingRules: { '$.body.a': { match: 'type' } } },
        },
      ],
    });
    expect(v2.specMajor).toBe(2);
  });

  it('names the file when it cannot be read, and line and column when it is not JSON', async () => {
    await expectLoadError('/no/such/pact.json', /Cannot read pact file \/no\/such\/pact\.json: no such file/);
    const dir = await mkdtemp(join(tmpdir(), 'cutover-load-'));
    const file = join(dir, 'broken.json');
    await writeFile(file, '{\n  "consumer": { "name": "c" },\n  "provider": oops\n}');
    await expectLoadError(file, /broken\.json is not valid JSON at line 3/);
  });

  it('names the JSON path and what was expected for a malformed pact', async () => {
    await expectLoadError(
      { consumer: { name: 'c' }, provider: {}, interactions: [] },
      /\$\.provider\.name: expected the provider's name/,
      '$.provider.name',
    );
    await expectLoadError({ consumer: { name: 'c' }, provider: { name: 'p' } }, /\$\.interactions: expected an array/);
    await expectLoadError(
      {
        consumer: { name: 'c' },
        provider: { name: 'p' },
        interactions: [{ description: 'x', request: { method: 'GET', path: '/' } }],
      },
      /\$\.interactions\[0\]\.response: expected a response object, got nothing/,
    );
  });

  it('refuses an unknown specification version with its own code', async () => {
    const error = await loadPact({
      consumer: { name: 'c' },
      provider: { name: 'p' },
      interactions: [],
      metadata: { pactSpecification: { version: '9.0.0' } },
    }).catch((e: unknown) => e);
    expect((error as PactLoadError).code).toBe(ErrorCodes.PACT_SPEC_UNSUPPORTED);
    expect((error as PactLoadError).message).toBe(
      '<inline pact>: $.metadata.pactSpecification.version: expected a pact specification version cutover reads (1 to 4), got the string "9.0.0"',
    );
    const v1 = await loadPact({
      consumer: { name: 'c' },
      provider: { name: 'p' },
      interactions: [],
      metadata: { 'pact-specification': { version: '7' } },
    }).catch((e: unknown) => e);
    expect((v1 as PactLoadError).details.jsonPath).toBe("$.metadata['pact-specification'].version");
  });

  describe('with one bad interaction among good ones', () => {
    const pact = {
      consumer: { name: 'c' },
      provider: { name: 'p' },
      metadata: { pactSpecification: { version: '3.0.0' } },
      interactions: [
        { description: 'good one', request: { method: 'GET', path: '/a' }, response: { status: 200 } },
        { description: 'bad status', request: { method: 'GET', path: '/b' }, response: { status: 'OK' } },
        { description: 'good two', request: { method: 'GET', path: '/c' }, response: { status: 200 } },
      ],
    };

    it('fails the whole load by default, naming the interaction and path', async () => {
      await expectLoadError(
        pact,
        /1 of 3 interaction\(s\) cannot be loaded[\s\S]*\$\.interactions\[1\]\.response\.status/,
      );
    });

    it('keeps the others usable when asked to be lenient', async () => {
      const loaded = await loadPact(pact, { lenient: true });
      expect(loaded.interactions.map((i) => i.description)).toEqual(['good one', 'good two']);
      expect(loaded.problems).toEqual([
        expect.objectContaining({ index: 1, description: 'bad status', jsonPath: '$.interactions[1].response.status' }),
      ]);
    });
  });

  it('reads a pact file that starts with a UTF-8 byte-order mark', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cutover-bom-'));
    const file = join(dir, 'bom.json');
    const doc = {
      consumer: { name: 'c' },
      provider: { name: 'p' },
      interactions: [{ description: 'd', request: { method: 'GET', path: '/' }, response: { status: 200 } }],
    };
    await writeFile(file, `\uFEFF${JSON.stringify(doc)}`, 'utf8');
    const pact = await loadPact(file);
    expect(pact.interactions).toHaveLength(1);
    expect(parsePact(`\uFEFF${JSON.stringify(doc)}`).consumer.name).toBe('c');
    expect((await loadPact(`\uFEFF${JSON.stringify(doc)}`)).provider.name).toBe('p');
  });

  describe('problems of several kinds', () => {
    const pact = {
      consumer: { name: 'c' },
      provider: { name: 'p' },
      metadata: { pactSpecification: { version: '4.0' } },
      interactions: [
        {
          type: 'Synchronous/HTTP',
          description: 'bad rule',
          request: {
            method: 'GET',
            path: '/a',
            matchingRules: { path: { matchers: [{ match: 'regex', regex: 42 }] } },
          },
          response: { status: 200 },
        },
        {
          type: 'Synchronous/HTTP',
          description: 'v3 body in a v4 pact',
          request: { method: 'GET', path: '/b' },
          response: { status: 200, body: { id: 1 } },
        },
        {
          type: 'Synchronous/HTTP',
          description: 'bad generator',
          request: { method: 'GET', path: '/c' },
          response: { status: 200, generators: { body: { '$.id': { type: 'Nope' } } } },
        },
        { type: 'Synchronous/HTTP', description: 'bad status', request: { path: '/d' }, response: { status: 'OK' } },
      ],
    };

    it("keeps each problem's code and pure JSON path when the whole load fails", async () => {
      const error = (await loadPact(pact, { source: 'pacts/x.json' }).catch((e: unknown) => e)) as PactLoadError;
      expect(error).toBeInstanceOf(PactLoadError);
      const problems = error.details.problems as Array<{ code?: string; jsonPath: string; message: string }>;
      expect(problems.map((p) => [p.code, p.jsonPath])).toEqual([
        [ErrorCodes.MATCHING_RULE_INVALID, '$.interactions[0].request.matchingRules.path.matchers[0].regex'],
        [ErrorCodes.PACT_INVALID, '$.interactions[1].response.body'],
        [ErrorCodes.GENERATOR_INVALID, "$.interactions[2].response.generators.body['$.id'].type"],
        [ErrorCodes.PACT_INVALID, '$.interactions[3].response.status'],
      ]);
      for (const p of problems) {
        expect(p.jsonPath).not.toContain('pacts/x.json');
        expect(p.message.startsWith(`pacts/x.json: ${p.jsonPath}: expected `)).toBe(true);
        expect(p.message).toContain(', got ');
      }
    });

    it('lists them as problems, codes included, when lenient', async () => {
      const loaded = await loadPact(pact, { lenient: true, source: 'pacts/x.json' });
      expect(loaded.interactions).toEqual([]);
      expect(loaded.problems[1]).toEqual({
        index: 1,
        description: 'v3 body in a v4 pact',
        jsonPath: '$.interactions[1].response.body',
        code: ErrorCodes.PACT_INVALID,
        message:
          'pacts/x.json: $.interactions[1].response.body: expected a v4 body { content, contentType, encoded }, got an object with keys id',
      });
    });
  });
});

describe('openPact', () => {
  const all = (pact: ReturnType<typeof openPact>) => Array.from({ length: pact.size }, (_, i) => pact.interaction(i));

  it('reads every fixture exactly as parsePact does, from bytes, text or an object', () => {
    for (const name of ['v2-tracking.json', 'v3-shipments.json', 'v4-mixed.json']) {
      const bytes = readFileSync(fixture(name));
      const eager = parsePact(bytes.toString('utf8'), { source: name });
      for (const input of [bytes, bytes.toString('utf8'), JSON.parse(bytes.toString('utf8')) as object]) {
        const pact = openPact(input, { source: name });
        const { interactions, ...header } = eager;
        const { size, interaction, release, ...streamHeader } = pact;
        expect(streamHeader).toEqual(header);
        expect(size).toBe(interactions.length);
        expect(all(pact)).toEqual(interactions);
        expect([typeof interaction, typeof release]).toEqual(['function', 'function']);
      }
    }
  });

  it('reads a pretty-printed pact with a byte-order mark and non-ASCII text', () => {
    const doc = {
      consumer: { name: 'café' },
      provider: { name: 'p' },
      interactions: [
        {
          description: 'ünïcode ] }',
          request: { method: 'GET', path: '/日本' },
          response: { status: 200, body: '😀' },
        },
      ],
    };
    const bytes = Buffer.from(`\uFEFF${JSON.stringify(doc, null, 2)}`, 'utf8');
    const pact = openPact(bytes);
    expect(pact.consumer.name).toBe('café');
    expect(http(pact.interaction(0)).request.path).toBe('/日本');
    expect(all(pact)).toEqual(parsePact(doc).interactions);
  });

  it('shows each interaction to onInteraction once, with the header, while checking the pact', () => {
    const seen: string[] = [];
    const pact = openPact(readFileSync(fixture('v4-mixed.json')), {
      onInteraction: (interaction, header) => seen.push(`${header.consumer.name}: ${interaction.description}`),
    });
    expect(seen).toEqual(all(pact).map((i) => `${pact.consumer.name}: ${i.description}`));
  });

  it('builds an interaction afresh on every read, and refuses one that was released', () => {
    const pact = openPact(readFileSync(fixture('v3-shipments.json')), { source: 'v3.json' });
    const first = pact.interaction(0);
    expect(pact.interaction(0)).not.toBe(first);
    expect(pact.interaction(0)).toEqual(first);
    pact.release(0);
    expect(() => pact.interaction(0)).toThrow(/v3\.json: interaction 0 was released/);
    expect(() => pact.interaction(pact.size)).toThrow(/no interaction \d+ \(the pact has \d+\)/);
    for (let i = 1; i < pact.size; i++) pact.release(i);
    expect(() => pact.interaction(pact.size - 1)).toThrow(/was released/);
  });

  it('fails as parsePact fails: broken JSON with line and column, bad interactions listed, or kept apart when lenient', () => {
    const broken = '{\n  "consumer": { "name": "c" },\n  "interactions": [ { "description": oops } ]\n}';
    expect(() => openPact(Buffer.from(broken), { source: 'broken.json' })).toThrow(
      /broken\.json is not valid JSON at line 3/,
    );
    const doc = {
      consumer: { name: 'c' },
      provider: { name: 'p' },
      interactions: [
        { description: 'good', request: { method: 'GET', path: '/a' }, response: { status: 200 } },
        { description: 'bad', request: { method: 'GET', path: '/b' }, response: { status: 'OK' } },
        { description: 'good too', request: { method: 'GET', path: '/c' }, response: { status: 200 } },
      ],
    };
    const strict = (() => {
      try {
        openPact(doc, { source: 'x.json' });
      } catch (error) {
        return error;
      }
    })();
    expect(strict).toBeInstanceOf(PactLoadError);
    expect((strict as Error).message).toMatch(
      /1 of 3 interaction\(s\) cannot be loaded[\s\S]*\$\.interactions\[1\]\.response\.status/,
    );
    const lenient = openPact(doc, { lenient: true });
    expect(lenient.size).toBe(2);
    expect(all(lenient).map((i) => [i.index, i.description])).toEqual([
      [0, 'good'],
      [1, 'good too'],
    ]);
    expect(lenient.problems).toEqual(parsePact(doc, { lenient: true }).problems);
  });

  it('checks every copy of a repeated list and every top-level key, as JSON.parse does', () => {
    const ok = '{"description":"d","request":{"method":"GET","path":"/a"},"response":{"status":200}}';
    const head = '"consumer":{"name":"c"},"provider":{"name":"p"}';
    for (const text of [
      `{${head},"interactions":[{"x":tru}],"interactions":[${ok}]}`,
      `{${head},"messages":[nul],"interactions":[${ok}],"messages":[]}`,
      `{"\\q":1,${head},"interactions":[${ok}]}`,
    ]) {
      const eager = (() => {
        try {
          parsePact(text, { source: 'x.json' });
        } catch (error) {
          return error as Error;
        }
      })();
      expect(eager).toBeInstanceOf(PactLoadError);
      expect(() => openPact(Buffer.from(text), { source: 'x.json' }), text).toThrow(eager!.message);
    }
    const repeated = `{${head},"interactions":[{"description":"first"}],"interactions":[${ok}]}`;
    expect(all(openPact(repeated))).toEqual(parsePact(repeated).interactions);
  });

  it('lets the bytes go once every interaction is released', async () => {
    const { setFlagsFromString } = await import('node:v8');
    const { runInNewContext } = await import('node:vm');
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const text = readFileSync(fixture('v3-shipments.json'), 'utf8');
    const open = () => {
      const bytes = new TextEncoder().encode(text);
      return { pact: openPact(bytes), memory: new WeakRef(bytes.buffer) };
    };
    const { pact, memory } = open();
    for (let i = 0; i < pact.size; i++) pact.release(i);
    pact.release(0.5);
    await new Promise((resolve) => setTimeout(resolve, 0));
    gc();
    expect(memory.deref()).toBeUndefined();
    expect(pact.size).toBeGreaterThan(0);
  });

  it('never loads a truncated pact file as a shorter pact', () => {
    const text = readFileSync(fixture('v3-shipments.json'), 'utf8');
    for (let length = 0; length < text.length; length += 7) {
      expect(() => openPact(Buffer.from(text.slice(0, length)), { source: 'cut.json' }), `${length} bytes`).toThrow(
        PactLoadError,
      );
    }
  });
});
