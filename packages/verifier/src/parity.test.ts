import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HttpBody } from '@cutover/core';
import { formatOf, judgeParity } from './judge.js';
import { diffResponses, formatPath } from './parity.js';
import type { ComparableResponse } from './parity.js';
import { NoiseRules, loadNoiseConfig, validateNoiseConfig } from './noise.js';

function json(content: unknown, status = 200, headers: Record<string, string[]> = {}): ComparableResponse {
  const body: HttpBody = { kind: 'present', content, contentType: 'application/json' };
  return { status, headers: { 'content-type': ['application/json'], ...headers }, body };
}

const none = new NoiseRules().forRoute('GET', '/x');

function parity(
  monolith: ComparableResponse,
  candidate: ComparableResponse,
  samples: ComparableResponse[] = [],
  config = {},
) {
  const noise = new NoiseRules(validateNoiseConfig(config)).forRoute('GET', '/shipments/1');
  return judgeParity(
    diffResponses(monolith, candidate, noise),
    samples.map((s) => diffResponses(monolith, s, noise)),
    noise,
  );
}

describe('structural diff', () => {
  it('finds missing, extra, type and value differences with their paths', () => {
    const diffs = diffResponses(
      json({ a: 1, b: 'x', c: { d: true } }),
      json({ a: '1', c: { d: false }, e: null }),
      none,
    );
    expect(diffs.map((d) => [d.kind, d.path])).toEqual([
      ['type', '$.a'],
      ['missing', '$.b'],
      ['value', '$.c.d'],
      ['extra', '$.e'],
    ]);
  });

  it('reports array length changes and order-only changes', () => {
    expect(diffResponses(json([1, 2, 3]), json([1, 2]), none).map((d) => d.kind)).toEqual(['array-length']);
    const reordered = diffResponses(
      json({ items: [{ id: 1 }, { id: 2 }] }),
      json({ items: [{ id: 2 }, { id: 1 }] }),
      none,
    );
    expect(reordered).toEqual([expect.objectContaining({ kind: 'array-order', path: '$.items' })]);
  });

  it('ignores hop-by-hop and volatile headers but reports other header differences', () => {
    const m = json({}, 200, { date: ['Mon'], server: ['a'], 'cache-control': ['no-store'] });
    const c = json({}, 200, { date: ['Tue'], server: ['b'], 'cache-control': ['max-age=60'] });
    expect(diffResponses(m, c, none)).toEqual([expect.objectContaining({ kind: 'header', path: 'cache-control' })]);
  });

  it('reports a JSON body against a text body as a body-type difference', () => {
    const text: ComparableResponse = {
      status: 200,
      headers: { 'content-type': ['text/plain'] },
      body: { kind: 'present', content: 'ok' },
    };
    expect(diffResponses(json({ ok: true }), text, none).map((d) => d.kind)).toEqual(['header', 'body-type']);
  });

  it('ranks the status first, then the body, then headers consumers act on, then the other headers', () => {
    const m = json({ id: 7, name: 'a' }, 200, {
      'access-control-allow-origin': ['*'],
      pragma: ['no-cache'],
      vary: ['Origin'],
      location: ['/a'],
      'x-b': ['1'],
    });
    const c: ComparableResponse = {
      status: 201,
      headers: { 'content-type': ['text/plain'], 'x-a': ['2'], 'set-cookie': ['s=1'] },
      body: { kind: 'present', content: { id: '7', name: 'a' }, contentType: 'application/json' },
    };
    const result = parity(m, c);
    expect(result.differences.map((d) => d.path)).toEqual([
      '$',
      '$.id',
      'content-type',
      'location',
      'set-cookie',
      'access-control-allow-origin',
      'pragma',
      'vary',
      'x-a',
      'x-b',
    ]);
  });

  it('writes paths in matching-rule syntax', () => {
    expect(formatPath(['items', 0, 'a.b', 'c'])).toBe("$.items[0]['a.b'].c");
  });
});

describe('noise', () => {
  it('applies declared ignore, type, tolerance and unordered rules and reports them as declared noise', () => {
    const result = parity(
      json({ meta: { trace: 'a' }, price: 10.0, name: 'x', tags: [{ id: 1 }, { id: 2 }], eta: 'soon' }),
      json({ meta: { trace: 'b' }, price: 10.004, name: 'y', tags: [{ id: 2 }, { id: 1 }], eta: 'later' }),
      [],
      {
        rules: [{ path: '$.meta', mode: 'ignore' }],
        routes: {
          'GET /shipments/*': [
            { path: '$.price', mode: 'tolerance', tolerance: 0.01 },
            { path: '$.name', mode: 'type' },
            { path: '$.tags', mode: 'unordered', key: 'id' },
          ],
        },
      },
    );
    expect(result.differences).toEqual([expect.objectContaining({ path: '$.eta' })]);
    expect(result.noise.map((n) => [n.path, n.noise])).toEqual(
      expect.arrayContaining([
        ['$.meta.trace', 'declared'],
        ['$.price', 'declared'],
        ['$.name', 'declared'],
        ['$.tags', 'declared'],
      ]),
    );
    expect(result.status).toBe('differs');
  });

  it('keeps a difference beyond the declared tolerance', () => {
    const result = parity(json({ price: 10 }), json({ price: 10.5 }), [], {
      rules: [{ path: '$.price', mode: 'tolerance', tolerance: 0.01 }],
    });
    expect(result.status).toBe('differs');
  });

  it('relaxes a value that varies between monolith samples, but never a type change', () => {
    const sampled = parity(json({ id: 1 }), json({ id: 7 }), [json({ id: 2 })]);
    expect(sampled).toMatchObject({ status: 'noise-only', noise: [expect.objectContaining({ noise: 'sampled' })] });
    const typed = parity(json({ id: 1 }), json({ id: '7' }), [json({ id: 2 })]);
    expect(typed.status).toBe('differs');
  });

  it('requires a sampled value to keep the format the monolith shows (UUID stays UUID)', () => {
    const uuid = (n: number) => `${n}0000000-0000-4000-8000-000000000000`;
    expect(parity(json({ id: uuid(1) }), json({ id: uuid(3) }), [json({ id: uuid(2) })]).status).toBe('noise-only');
    expect(parity(json({ id: uuid(1) }), json({ id: 'abc' }), [json({ id: uuid(2) })]).status).toBe('differs');
  });

  it('does not relax a path the samples did not vary', () => {
    expect(parity(json({ id: 1, n: 'a' }), json({ id: 1, n: 'b' }), [json({ id: 1, n: 'a' })]).status).toBe('differs');
  });

  it('counts a header the candidate leaves out when the monolith varies only its value, and says so', () => {
    const at = (n: number) => json({}, 201, { location: [`http://m.example/shipments/${n}`] });
    const dropped = json({}, 201);
    const result = parity(at(1), dropped, [at(2)]);
    expect(result.status).toBe('differs');
    expect(result.differences).toEqual([
      expect.objectContaining({
        kind: 'header',
        path: 'location',
        candidate: undefined,
        message:
          "Header location is missing on the candidate (monolith: http://m.example/shipments/1): the monolith's own samples vary in this header's value but always send it",
      }),
    ]);
    expect(result.differences[0]!.message).not.toMatch(/candidate's is not/);
  });

  it('treats a header the monolith itself sometimes leaves out as sampled noise when the candidate leaves it out', () => {
    const sent = json({}, 200, { 'x-cache': ['HIT'] });
    expect(parity(sent, json({}), [json({})]).status).toBe('noise-only');
  });

  it('detects obvious formats', () => {
    expect(formatOf('2026-01-01T10:00:00Z')).toBe('date-time');
    expect(formatOf('2026-01-01')).toBe('date');
    expect(formatOf('123e4567-e89b-12d3-a456-426614174000')).toBe('uuid');
    expect(formatOf(3)).toBe('integer');
    expect(formatOf('hello')).toBeUndefined();
  });

  it('rejects a malformed noise config, naming the JSON path', () => {
    expect(() => validateNoiseConfig({ rules: [{ path: '$.a', mode: 'sometimes' }] }, 'noise.yaml')).toThrow(
      /noise\.yaml at \$\.rules\[0\]\.mode/,
    );
    expect(() => validateNoiseConfig({ rules: [{ path: '$.a', mode: 'tolerance' }] }, 'noise.yaml')).toThrow(
      /tolerance/,
    );
    expect(() => validateNoiseConfig({ ignore: [] }, 'noise.yaml')).toThrow(/unknown key/);
  });

  it('refuses a noise file whose YAML aliases expand without bound, fast, with a code and the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cutover-noise-'));
    const file = join(dir, 'noise.yaml');
    const levels = 'abcdefghi';
    const bomb = [
      'a: &a [x,x,x,x,x,x,x,x,x]',
      ...levels
        .slice(1)
        .split('')
        .map((name, i) => `${name}: &${name} [${Array(9).fill(`*${levels[i]}`).join(',')}]`),
    ].join('\n');
    await writeFile(file, bomb);
    try {
      const started = performance.now();
      await expect(loadNoiseConfig(file)).rejects.toMatchObject({
        code: 'CUTOVER_CONFIG_INVALID',
        message: expect.stringMatching(/noise\.yaml: the noise config is refused: its YAML aliases expand it/),
        details: expect.objectContaining({ file }),
      });
      expect(performance.now() - started).toBeLessThan(1000);
      await writeFile(file, 'rules: [\n');
      await expect(loadNoiseConfig(file)).rejects.toThrow(
        /noise\.yaml:\d+:\d+: the noise config is not valid YAML or JSON/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
