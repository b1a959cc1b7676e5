import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { GeneratorError } from '../errors.js';
import type { GeneratorDefinition } from '../model.js';
import { evaluateDateExpression, formatJavaDate } from './datetime.js';
import { firstGroup, generateFromRegex } from './regex.js';

/** What a generator may draw on when it produces a value. */
export interface GeneratorContext {
  /**
   * Values returned by provider-state setup. When given, a `ProviderState` generator whose
   * expression names a missing value is an error; when absent, the pact's example is kept.
   */
  providerState?: Record<string, unknown>;
  /** Base URL of the mock server, for `MockServerURL` generators. */
  mockServerUrl?: string;
  /** The instant date/time generators count from; defaults to now. */
  now?: Date;
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Names the reference implementation accepts, mapped to one spelling. */
const ALIASES: Record<string, string> = {
  randomint: 'RandomInt',
  randomdecimal: 'RandomDecimal',
  randomhexadecimal: 'RandomHexadecimal',
  randomstring: 'RandomString',
  regex: 'Regex',
  uuid: 'Uuid',
  date: 'Date',
  time: 'Time',
  datetime: 'DateTime',
  timestamp: 'DateTime',
  randomboolean: 'RandomBoolean',
  providerstate: 'ProviderState',
  mockserverurl: 'MockServerURL',
};

/** The canonical name of a generator type, or undefined when it is not one cutover knows. */
export function canonicalGeneratorType(type: string): string | undefined {
  return ALIASES[type.toLowerCase()];
}

/**
 * Produces the value a generator stands for, given the example value the pact holds at that place.
 *
 * @example
 * generateValue({ type: 'RandomInt', min: 1, max: 6 }, 3) // e.g. 5
 * generateValue({ type: 'ProviderState', expression: '/shipments/${id}' }, '/shipments/1', { providerState: { id: 42 } })
 */
export function generateValue(def: GeneratorDefinition, example: unknown, context: GeneratorContext = {}): unknown {
  const type = canonicalGeneratorType(String(def.type));
  const fail = (message: string, cause?: unknown) =>
    new GeneratorError(`${String(def.type)} generator: ${message}`, { cause, details: { generator: def } });
  switch (type) {
    case 'RandomInt': {
      const min = integerOption(def, 'min', 0, fail);
      const max = integerOption(def, 'max', 2147483647, fail);
      if (min > max) throw fail(`min (${min}) is greater than max (${max})`);
      return min + Math.floor(Math.random() * (max - min + 1));
    }
    case 'RandomDecimal': {
      const digits = integerOption(def, 'digits', 10, fail);
      if (digits < 1) throw fail('digits must be at least 1');
      let text = String(randomInt(1, 10));
      for (let i = 1; i < digits; i++) text += String(randomInt(0, 10));
      const point = digits === 1 ? 1 : randomInt(1, digits);
      return Number(`${text.slice(0, point)}.${text.slice(point) || '0'}`);
    }
    case 'RandomHexadecimal': {
      const digits = integerOption(def, 'digits', 10, fail);
      return randomBytes(Math.ceil(digits / 2))
        .toString('hex')
        .slice(0, digits);
    }
    case 'RandomString': {
      const size = integerOption(def, 'size', 20, fail);
      let out = '';
      for (let i = 0; i < size; i++) out += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
      return out;
    }
    case 'Regex': {
      if (typeof def.regex !== 'string') throw fail('needs a "regex" string');
      const value = generateFromRegex(def.regex);
      if (value instanceof Error) throw fail(value.message, value.cause);
      return value;
    }
    case 'Uuid': {
      const uuid = randomUUID();
      switch (def.format ?? 'lower-case-hyphenated') {
        case 'simple':
          return uuid.replaceAll('-', '');
        case 'upper-case-hyphenated':
          return uuid.toUpperCase();
        case 'URN':
          return `urn:uuid:${uuid}`;
        case 'lower-case-hyphenated':
          return uuid;
        default:
          throw fail(`unknown format ${JSON.stringify(def.format)}`);
      }
    }
    case 'Date':
    case 'Time':
    case 'DateTime': {
      const defaults = { Date: 'yyyy-MM-dd', Time: 'HH:mm:ss', DateTime: "yyyy-MM-dd'T'HH:mm:ss.SSSXXX" };
      const format = typeof def.format === 'string' ? def.format : defaults[type];
      const base = context.now ?? new Date();
      const at = typeof def.expression === 'string' ? evaluateDateExpression(def.expression, base) : base;
      return formatJavaDate(at, format);
    }
    case 'RandomBoolean':
      return Math.random() < 0.5;
    case 'ProviderState':
      return fromProviderState(def, example, context, fail);
    case 'MockServerURL': {
      if (context.mockServerUrl === undefined) return example;
      if (typeof def.example !== 'string' || typeof def.regex !== 'string') throw fail('needs "example" and "regex"');
      const path = firstGroup(def.regex, def.example);
      if (path instanceof Error) throw fail(path.message, path.cause);
      return context.mockServerUrl.replace(/\/$/, '') + path;
    }
    default:
      throw fail('unknown generator type');
  }
}

function integerOption(
  def: GeneratorDefinition,
  key: string,
  fallback: number,
  fail: (message: string) => GeneratorError,
): number {
  const value = def[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw fail(`"${key}" must be an integer`);
  return value;
}

const PLACEHOLDER = /\$\{([^}]+)\}/g;

function fromProviderState(
  def: GeneratorDefinition,
  example: unknown,
  context: GeneratorContext,
  fail: (message: string) => GeneratorError,
): unknown {
  if (typeof def.expression !== 'string') throw fail('needs an "expression" such as "${id}"');
  const state = context.providerState;
  if (state === undefined) return example;
  const lookup = (name: string) => {
    const key = name.trim();
    if (!(key in state)) {
      const known = Object.keys(state);
      throw fail(
        `provider-state setup returned no value "${key}" for expression ${JSON.stringify(def.expression)}` +
          (known.length ? ` (it returned: ${known.join(', ')})` : ' (it returned no values)'),
      );
    }
    return state[key];
  };
  const whole = /^\$\{([^}]+)\}$/.exec(def.expression);
  // A lone placeholder keeps the value's type (an id stays a number); a template makes a string.
  const value = whole
    ? lookup(whole[1]!)
    : def.expression.replace(PLACEHOLDER, (_, name: string) => String(lookup(name)));
  return convert(value, def.dataType, fail);
}

function convert(value: unknown, dataType: unknown, fail: (message: string) => GeneratorError): unknown {
  switch (typeof dataType === 'string' ? dataType.toUpperCase() : 'RAW') {
    case 'STRING':
      return typeof value === 'string' ? value : JSON.stringify(value);
    case 'INTEGER': {
      const n = Number(value);
      if (!Number.isInteger(n)) throw fail(`value ${JSON.stringify(value)} is not an integer`);
      return n;
    }
    case 'DECIMAL':
    case 'FLOAT': {
      const n = Number(value);
      if (Number.isNaN(n)) throw fail(`value ${JSON.stringify(value)} is not a number`);
      return n;
    }
    case 'BOOLEAN':
      if (value === true || value === 'true') return true;
      if (value === false || value === 'false') return false;
      throw fail(`value ${JSON.stringify(value)} is not a boolean`);
    default:
      return value;
  }
}
