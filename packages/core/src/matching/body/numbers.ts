import { exceedsJsonDepth, jsonDepthError } from '../../json-depth.js';

/**
 * What JSON.parse loses of a JSON text, kept beside the parsed value.
 *
 * - Number literals JSON.parse changes: `10.0` becomes `10` (a decimal written by a JVM service
 *   would look like an integer to the `decimal` and `integer` matchers), `9007199254740993` becomes
 *   `9007199254740992` (the float64 id bug of a rewrite), `1e400` becomes `Infinity`.
 * - Keys written more than once in one object (`{"id":999,"id":1}`): JSON.parse keeps the last.
 *
 * Both are recorded per parsed object or array and key, so they follow the value wherever it is
 * handed (a pact's body, a sub-tree), and are read with {@link numberLiteral} and {@link keyCount}.
 */
const literals = new WeakMap<object, Map<string | number, string>>();
const repeats = new WeakMap<object, Map<string, number>>();
/** Roots already scanned for repeated keys. */
const scannedForKeys = new WeakSet<object>();

// Cheap pre-check for texts that may hold a number JSON.parse changes: `d.0…` (zeros to the end of
// the literal), an exponent, or 16+ digits. Most bodies have none and skip the scan.
const CANDIDATE = /\d\.0+(?![0-9])|\d[eE]|\d{16}|[\d.]{17}/;

/**
 * The exact decimal value of a JSON number literal, as a comparable key: `1.50`, `15e-1` and
 * `0.15E1` give the same key, `9007199254740993` and `9007199254740992` different ones.
 */
export function decimalKey(literal: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(literal.trim());
  if (!m) return literal;
  const fraction = m[3] ?? '';
  const all = (m[2]! + fraction).replace(/^0+/, '');
  if (all === '') return '0';
  const digits = all.replace(/0+$/, '');
  const exponent = BigInt(m[4] ?? 0) - BigInt(fraction.length) + BigInt(all.length - digits.length);
  return `${m[1]}${digits}e${exponent}`;
}

/** True when JSON.parse changes what the literal says: a whole-valued decimal, a value a double does not hold. */
function changedByParse(literal: string): boolean {
  const value = Number(literal);
  if (!Number.isFinite(value)) return true;
  if (Number.isInteger(value) && /[.eE]/.test(literal)) return true;
  return decimalKey(literal) !== decimalKey(String(value));
}

/**
 * The number literal as it was written at `container[key]`, when JSON.parse changed it
 * (`10.0`, `9007199254740993`, `1e400`); undefined when the parsed number says it all.
 */
export function numberLiteral(container: object, key: string | number): string | undefined {
  const literal = literals.get(container)?.get(key);
  if (literal === undefined) return undefined;
  // A key repeated with different values may leave the literal of a copy JSON.parse dropped.
  const value = (container as Record<string | number, unknown>)[key];
  return typeof value === 'number' && Object.is(Number(literal), value) ? literal : undefined;
}

/** How many times `key` was written in the object (1 unless the text repeated it; see {@link scanJsonKeys}). */
export function keyCount(object: object, key: string): number {
  return repeats.get(object)?.get(key) ?? 1;
}

/**
 * Parses JSON text like JSON.parse, remembering the number literals it changes (see above). JSON
 * nested deeper than MAX_JSON_DEPTH is a LimitExceededError (a SyntaxError means not JSON).
 */
export function parseJsonKeepingNumbers(text: string): unknown {
  const value: unknown = JSON.parse(text);
  if (exceedsJsonDepth(value)) throw jsonDepthError('the body');
  if (typeof value === 'object' && value !== null && CANDIDATE.test(text)) scan(text, value, false);
  return value;
}

/**
 * Records, for a value JSON.parse made of `text`, the number literals it changed and the keys the
 * text repeats. A full pass over the text: for parity, where a repeated key is a difference.
 */
export function scanJsonKeys(text: string, parsed: unknown): void {
  if (typeof parsed !== 'object' || parsed === null || scannedForKeys.has(parsed)) return;
  scannedForKeys.add(parsed);
  scan(text, parsed, true);
}

/** Keeps the number literals of `text` (a document JSON.parse made `parsed` of) on the parsed values. */
export function keepNumberLiterals(text: string, parsed: unknown): void {
  if (typeof parsed === 'object' && parsed !== null && CANDIDATE.test(text)) scan(text, parsed, false);
}

/**
 * JSON.stringify that writes each number JSON.parse changed as it was written (`1e400`, not `null`;
 * `9007199254740993`, not its rounding), so a pact's request body is replayed as the pact has it.
 */
export function stringifyJsonKeepingNumbers(value: unknown): string {
  try {
    return write(value, undefined) ?? 'null';
  } catch (error) {
    // Deeper than the stack allows: JSON.stringify's own limits apply, with numbers as doubles.
    if (error instanceof RangeError) return JSON.stringify(value);
    throw error;
  }
}

function write(value: unknown, literal: string | undefined): string | undefined {
  if (typeof value === 'number') return literal ?? JSON.stringify(value);
  if (typeof value !== 'object' || value === null || typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    return `[${value.map((item, i) => write(item, numberLiteral(value, i)) ?? 'null').join(',')}]`;
  }
  const parts: string[] = [];
  for (const [key, item] of Object.entries(value)) {
    const text = write(item, numberLiteral(value, key));
    if (text !== undefined) parts.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${parts.join(',')}}`;
}

interface Frame {
  /** The parsed object/array this part of the text became; undefined for a copy JSON.parse dropped. */
  node: Record<string | number, unknown> | undefined;
  array: boolean;
  key: string | number;
  keys?: Set<string>;
}

/** One pass over valid JSON text, in step with the value JSON.parse made of it. */
function scan(text: string, root: object, countKeys: boolean): void {
  const stack: Frame[] = [];
  let expectKey = false;
  let i = 0;
  const record = (literal: string): void => {
    const top = stack[stack.length - 1];
    if (!top?.node || !changedByParse(literal)) return;
    let map = literals.get(top.node);
    if (!map) literals.set(top.node, (map = new Map()));
    map.set(top.key, literal);
  };
  while (i < text.length) {
    const c = text[i] as string;
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (expectKey) {
        const top = stack[stack.length - 1] as Frame;
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        top.key = key;
        expectKey = false;
        if (top.keys) {
          if (top.keys.has(key) && top.node) {
            let map = repeats.get(top.node);
            if (!map) repeats.set(top.node, (map = new Map()));
            map.set(key, (map.get(key) ?? 1) + 1);
          } else top.keys.add(key);
        }
      }
      i = j + 1;
    } else if (c === '{' || c === '[') {
      const parent = stack[stack.length - 1];
      const value = parent === undefined ? root : parent.node?.[parent.key];
      const array = c === '[';
      const node =
        typeof value === 'object' && value !== null && Array.isArray(value) === array
          ? (value as Record<string | number, unknown>)
          : undefined;
      stack.push({ node, array, key: 0, ...(countKeys && !array ? { keys: new Set<string>() } : {}) });
      expectKey = !array;
      i++;
    } else if (c === '}' || c === ']') {
      stack.pop();
      i++;
    } else if (c === ',') {
      const top = stack[stack.length - 1];
      if (top?.array) top.key = (top.key as number) + 1;
      else expectKey = true;
      i++;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      let j = i + 1;
      while (j < text.length && /[\d.eE+-]/.test(text[j] as string)) j++;
      record(text.slice(i, j));
      i = j;
    } else {
      i++;
    }
  }
}
