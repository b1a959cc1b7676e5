import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { GeneratorError } from '../errors.js';
import type { GeneratorDefinition } from '../model.js';
import { evaluateDateExpression, formatJavaDate } from './datetime.js';
import { firstGroup, generateFromRegex, MAX_GENERATED_LENGTH } from './regex.js';

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

interface IntegerRange {
  min: number;
  max: number;
  fallback: number;
  /** Why the range stops there, for the error message. */
  why?: string;
}

const LENGTH: Omit<IntegerRange, 'fallback'> = { min: 0, max: MAX_GENERATED_LENGTH };
const INTEGER: Omit<IntegerRange, 'fallback'> = {
  min: Number.MIN_SAFE_INTEGER,
  max: Number.MAX_SAFE_INTEGER,
  why: 'the safe integers of a JSON number',
};

/** The integer options of each generator type: their ranges and defaults. */
const INTEGER_OPTIONS: Record<string, Record<string, IntegerRange>> = {
  RandomInt: { min: { ...INTEGER, fallback: 0 }, max: { ...INTEGER, fallback: 2147483647 } },
  // More digits than this make a number JSON cannot hold as a finite value.
  RandomDecimal: { digits: { min: 1, max: 300, fallback: 10, why: 'larger decimals are not finite numbers' } },
  RandomHexadecimal: { digits: { ...LENGTH, fallback: 10 } },
  RandomString: { size: { ...LENGTH, fallback: 20 } },
};

/** Where a generator definition breaks a limit: the option's key and what it must be. */
export interface GeneratorProblem {
  key: string;
  expected: string;
}

/**
 * The first option of `def` that is out of its range (integer options, `RandomInt`'s min ≤ max),
 * or undefined. The pact loader reports it with its JSON path.
 */
export function generatorProblem(def: GeneratorDefinition): GeneratorProblem | undefined {
  const type = canonicalGeneratorType(String(def.type)) ?? '';
  for (const [key, range] of Object.entries(INTEGER_OPTIONS[type] ?? {})) {
    const value = def[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < range.min || value > range.max) {
      const bounds = `an integer from ${range.min} to ${range.max}`;
      return { key, expected: range.why ? `${bounds} (${range.why})` : bounds };
    }
  }
  if (type === 'RandomInt') {
    const min = (def.min as number | undefined) ?? INTEGER_OPTIONS.RandomInt!.min!.fallback;
    const max = (def.max as number | undefined) ?? INTEGER_OPTIONS.RandomInt!.max!.fallback;
    if (min > max) return { key: 'min', expected: `an integer no greater than max (${max})` };
  }
  return undefined;
}

/** `size` random letters and digits, from random bytes (rejection keeps every character equally likely). */
function randomAlphanumeric(size: number): string {
  const out = Buffer.allocUnsafe(size);
  let length = 0;
  while (length < size) {
    const bytes = randomBytes(size - length + 16);
    for (let i = 0; i < bytes.length && length < size; i++) {
      const byte = bytes[i]!;
      if (byte < 248) out[length++] = ALPHANUMERIC.charCodeAt(byte % 62);
    }
  }
  return out.toString('latin1');
}

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
  const problem = generatorProblem(def);
  if (problem) throw fail(`"${problem.key}" must be ${problem.expected}, got ${JSON.stringify(def[problem.key])}`);
  const option = (key: string): number => (def[key] as number | undefined) ?? INTEGER_OPTIONS[type!]![key]!.fallback;
  switch (type) {
    case 'RandomInt': {
      const min = option('min');
      const max = option('max');
      return min + Math.floor(Math.random() * (max - min + 1));
    }
    case 'RandomDecimal': {
      const digits = option('digits');
      let text = String(randomInt(1, 10));
      for (let i = 1; i < digits; i++) text += String(randomInt(0, 10));
      const point = digits === 1 ? 1 : randomInt(1, digits);
      return Number(`${text.slice(0, point)}.${text.slice(point) || '0'}`);
    }
    case 'RandomHexadecimal': {
      const digits = option('digits');
      return randomBytes(Math.ceil(digits / 2))
        .toString('hex')
        .slice(0, digits);
    }
    case 'RandomString':
      return randomAlphanumeric(option('size'));
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
