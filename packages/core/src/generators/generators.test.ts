import { describe, expect, it } from 'vitest';
import { ErrorCodes, GeneratorError } from '../errors.js';
import type { HttpRequest } from '../model.js';
import { applyGenerators } from './apply.js';
import { evaluateDateExpression, formatJavaDate } from './datetime.js';
import { generateValue } from './generate.js';

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
      /min \(5\) is greater than max \(3\)/,
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
