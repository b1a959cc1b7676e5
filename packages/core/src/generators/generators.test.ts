import { describe, expect, it } from 'vitest';
import { ErrorCodes, GeneratorError } from '../errors.js';
import type { HttpRequest } from '../model.js';
import { applyGenerators } from './apply.js';
import { evaluateDateExpression, formatJavaDate } from './datetime.js';
import { generateValue } from './generate.js';
import { MAX_GENERATED_LENGTH } from './regex.js';
import { normalizeRequest } from '../pact/http.js';

const NOW = new Date('2026-11-22T08:30:15.123Z');

function request(overrides: Partial<HttpRequest>): HttpRequest {
  return {
    method: 'GET',
    path: '/api/tracking/SHP-1',
    query: {},
    headers: {},
    body: { kind: 'absent' },
    matchingRules: {},
    generators: {},
    ...overrides,
  };
}

describe('generateValue', () => {
  it('RandomInt stays within min and max', () => {
    for (let i = 0; i < 200; i++) {
      const v = generateValue({ type: 'RandomInt', min: 3, max: 5 }, 0) as number;
      expect(Number.isInteger(v) && v >= 3 && v <= 5).toBe(true);
    }
    expect(() => generateValue({ type: 'RandomInt', min: 5, max: 3 }, 0)).toThrow(
      'RandomInt generator: "min" must be an integer no greater than max (3), got 5',
    );
  });

  it('RandomDecimal has the requested number of digits', () => {
    const v = generateValue({ type: 'RandomDecimal', digits: 6 }, 0) as number;
    expect(String(v).replace('.', '').replace(/0+$/, '').length).toBeLessThanOrEqual(6);
    expect(Number.isNaN(v)).toBe(false);
  });

  it('RandomHexadecimal, RandomString and RandomBoolean produce values of the right shape', () => {
    expect(generateValue({ type: 'RandomHexadecimal', digits: 9 }, '')).toMatch(/^[0-9a-f]{9}$/);
    expect(generateValue({ type: 'RandomString', size: 12 }, '')).toMatch(/^[A-Za-z0-9]{12}$/);
    expect(typeof generateValue({ type: 'RandomBoolean' }, false)).toBe('boolean');
  });

  it('Regex generates what the pact regex matches in its own dialect, and never a huge value', () => {
    expect(generateValue({ type: 'Regex', regex: '(?-mix:ord-[[:digit:]]{3})' }, '')).toBeTypeOf('string');
    const started = performance.now();
    expect(() => generateValue({ type: 'Regex', regex: '[a-z]{1000}'.repeat(11) }, '')).toThrow(
      /can generate values of up to 11000 characters \(the limit is 10000\)/,
    );
    expect(() => generateValue({ type: 'Regex', regex: '((a{1000}){1000}){1000}' }, '')).toThrow(
      /a construct beyond the engine's limits \(error parsing regexp: invalid repeat count/,
    );
    expect(() => generateValue({ type: 'Regex', regex: '(a)\\1' }, '')).toThrow(/backreference/);
    expect(generateValue({ type: 'Regex', regex: '\\Aord\\z' }, '')).toBe('ord');
    expect(() => generateValue({ type: 'Regex', regex: '\\p{Greek}' }, '')).toThrow(
      /no value generated from regex .* matches it as the Pact reference verifier reads it/,
    );
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('Regex produces a string the regex accepts', () => {
    for (let i = 0; i < 50; i++)
      expect(generateValue({ type: 'Regex', regex: 'SHP-\\d{4}' }, '')).toMatch(/^SHP-\d{4}$/);
    expect(() => generateValue({ type: 'Regex', regex: '(' }, '')).toThrow(GeneratorError);
  });

  it('Uuid honours every format', () => {
    expect(generateValue({ type: 'Uuid' }, '')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    expect(generateValue({ type: 'Uuid', format: 'simple' }, '')).toMatch(/^[0-9a-f]{32}$/);
    expect(generateValue({ type: 'Uuid', format: 'upper-case-hyphenated' }, '')).toMatch(/^[0-9A-F-]{36}$/);
    expect(generateValue({ type: 'Uuid', format: 'URN' }, '')).toMatch(/^urn:uuid:/);
  });

  it('Date, Time and DateTime use the Java-style format and the expression', () => {
    const ctx = { now: NOW };
    expect(generateValue({ type: 'Date' }, '', ctx)).toBe('2026-11-22');
    expect(generateValue({ type: 'Time', format: 'HH:mm' }, '', ctx)).toBe('08:30');
    expect(generateValue({ type: 'DateTime' }, '', ctx)).toBe('2026-11-22T08:30:15.123Z');
    expect(generateValue({ type: 'Date', format: 'dd/MM/yyyy', expression: 'tomorrow' }, '', ctx)).toBe('23/11/2026');
    expect(
      generateValue({ type: 'timestamp', format: "yyyy-MM-dd'T'HH:mm", expression: '+ 1 day @ noon' }, '', ctx),
    ).toBe('2026-11-23T12:00');
  });

  it('ProviderState substitutes values returned by state setup, keeping the type of a lone placeholder', () => {
    const ctx = { providerState: { id: 42, code: 'SHP-9' } };
    expect(generateValue({ type: 'ProviderState', expression: '${id}' }, 1, ctx)).toBe(42);
    expect(generateValue({ type: 'ProviderState', expression: '/api/tracking/${code}' }, '/x', ctx)).toBe(
      '/api/tracking/SHP-9',
    );
    expect(generateValue({ type: 'ProviderState', expression: '${id}', dataType: 'STRING' }, '', ctx)).toBe('42');
    expect(generateValue({ type: 'ProviderState', expression: '${id}' }, 'example')).toBe('example');
  });

  it('ProviderState fails loudly when setup did not return the value', () => {
    const error = (() => {
      try {
        generateValue({ type: 'ProviderState', expression: '${missing}' }, 1, { providerState: { id: 1 } });
      } catch (e) {
        return e as GeneratorError;
      }
    })();
    expect(error?.code).toBe(ErrorCodes.GENERATOR_INVALID);
    expect(error?.message).toMatch(/returned no value "missing".*\(it returned: id\)/);
  });

  it('MockServerURL rebases the example onto the mock server', () => {
    const def = { type: 'MockServerURL', example: 'http://localhost:1234/api/x', regex: '.*(/api/.*)$' };
    expect(generateValue(def, '', { mockServerUrl: 'http://127.0.0.1:9/' })).toBe('http://127.0.0.1:9/api/x');
    expect(generateValue(def, 'kept')).toBe('kept');
  });

  it('rejects an unknown generator type, naming it', () => {
    expect(() => generateValue({ type: 'Nope' }, 1)).toThrow(/Nope generator: unknown generator type/);
  });
});

describe('date helpers', () => {
  it('formats quoted literals, names and offsets', () => {
    expect(formatJavaDate(NOW, "EEE, d MMM yyyy 'at' h:mm a XXX")).toBe('Sun, 22 Nov 2026 at 8:30 AM Z');
    expect(formatJavaDate(NOW, "yyyyMMdd''HHmmssSSS")).toBe("20261122'083015123");
  });

  it('evaluates relative expressions and refuses unreadable ones', () => {
    expect(evaluateDateExpression('yesterday - 1 week', NOW).toISOString()).toBe('2026-11-14T08:30:15.123Z');
    expect(evaluateDateExpression("next month @ 9 o'clock", NOW).toISOString()).toBe('2026-12-22T09:00:00.000Z');
    expect(() => evaluateDateExpression('sometime soon', NOW)).toThrow(/Cannot read the date expression/);
  });
});

describe('applyGenerators', () => {
  it('applies path, query, header and body generators without mutating the request', () => {
    const original = request({
      query: { token: ['x'] },
      headers: { 'X-Request-Id': ['old'] },
      body: {
        kind: 'present',
        content: { customerId: 1, items: [{ sku: 'a' }, { sku: 'b' }] },
        contentType: 'application/json',
      },
      generators: {
        path: { '': { type: 'ProviderState', expression: '/api/tracking/${id}' } },
        query: { token: { type: 'RandomHexadecimal', digits: 8 } },
        header: { 'x-request-id': { type: 'Uuid' } },
        body: {
          '$.customerId': { type: 'ProviderState', expression: '${customer}' },
          '$.items[*].sku': { type: 'Regex', regex: 'SKU-\\d' },
        },
      },
    });
    const snapshot = structuredClone(original);
    const out = applyGenerators(original, { providerState: { id: 'SHP-77', customer: 9 } });
    expect(original).toEqual(snapshot);
    expect(out.path).toBe('/api/tracking/SHP-77');
    expect(out.query.token?.[0]).toMatch(/^[0-9a-f]{8}$/);
    expect(out.headers['X-Request-Id']?.[0]).toMatch(/^[0-9a-f-]{36}$/);
    const body = (out.body as { content: { customerId: number; items: Array<{ sku: string }> } }).content;
    expect(body.customerId).toBe(9);
    expect(body.items.map((i) => i.sku)).toEqual([
      expect.stringMatching(/^SKU-\d$/),
      expect.stringMatching(/^SKU-\d$/),
    ]);
  });

  it('returns the same request when there is nothing to generate', () => {
    const r = request({});
    expect(applyGenerators(r)).toBe(r);
  });
});

describe('generator limits', () => {
  const at = { source: 'p.json', jsonPath: '$.interactions[0].request' };
  const load = (generator: Record<string, unknown>) =>
    normalizeRequest(
      { method: 'POST', path: '/', body: { name: 'x' }, generators: { body: { '$.name': generator } } },
      3,
      at,
    );

  it.each([
    [{ type: 'RandomString', size: 2_000_000_000 }, 'size', 'an integer from 0 to 10000', 'the number 2000000000'],
    [{ type: 'RandomString', size: -1 }, 'size', 'an integer from 0 to 10000', 'the number -1'],
    [{ type: 'RandomHexadecimal', digits: 1e7 }, 'digits', 'an integer from 0 to 10000', 'the number 10000000'],
    [
      { type: 'RandomDecimal', digits: 5000 },
      'digits',
      'an integer from 1 to 300 (larger decimals are not finite numbers)',
      'the number 5000',
    ],
    [
      { type: 'RandomInt', min: 0, max: 2 ** 60 },
      'max',
      'an integer from -9007199254740991 to 9007199254740991 (the safe integers of a JSON number)',
      'the number 1152921504606847000',
    ],
    [{ type: 'RandomInt', min: 7, max: 3 }, 'min', 'an integer no greater than max (3)', 'the number 7'],
    [
      { type: 'Regex', regex: 'a{2000000000}' },
      'regex',
      'a regex a value can be generated from',
      'regex "a{2000000000}" cannot be run: too big number for repeat range',
    ],
    [
      { type: 'Regex', regex: 'x{1000}'.repeat(11) },
      'regex',
      'a regex a value can be generated from',
      `regex "${'x{1000}'.repeat(11)}" can generate values of up to 11000 characters (the limit is 10000)`,
    ],
  ])('refuses %j at load with CUTOVER_GENERATOR_INVALID naming the JSON path', (generator, key, expected, got) => {
    let error: unknown;
    try {
      load(generator);
    } catch (e) {
      error = e;
    }
    const jsonPath = `$.interactions[0].request.generators.body['$.name'].${key}`;
    expect(error).toMatchObject({ code: 'CUTOVER_GENERATOR_INVALID' });
    expect((error as Error).message).toContain(`p.json: ${jsonPath}: expected ${expected}, got ${got ?? ''}`);
  });

  it('generates values at the limits quickly, and refuses more at generation time too', () => {
    const started = performance.now();
    const text = generateValue({ type: 'RandomString', size: MAX_GENERATED_LENGTH }, '') as string;
    expect(text).toMatch(/^[A-Za-z0-9]+$/);
    expect(text).toHaveLength(MAX_GENERATED_LENGTH);
    expect(generateValue({ type: 'RandomHexadecimal', digits: MAX_GENERATED_LENGTH }, '')).toHaveLength(
      MAX_GENERATED_LENGTH,
    );
    expect(Number.isFinite(generateValue({ type: 'RandomDecimal', digits: 300 }, 0))).toBe(true);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(() => generateValue({ type: 'RandomString', size: MAX_GENERATED_LENGTH + 1 }, '')).toThrow(
      'RandomString generator: "size" must be an integer from 0 to 10000, got 10001',
    );
  });
});
