import { exceedsJsonDepth, jsonDepthError } from '../../json-depth.js';

/**
 * JSON.parse turns `10.0` into `10`, so a decimal written by a JVM service would look like an
 * integer to the `decimal` and `integer` matchers. When a JSON body is parsed from text, the paths
 * of such numbers (a fraction or exponent in the text, a whole value after parsing) are remembered
 * here, keyed by the parsed value, so the matchers can judge the number as it was written.
 */
const hints = new WeakMap<object, Set<string>>();

/** Paths (`$.items[0].price`) of numbers written with a fraction/exponent that parsed to whole values. */
export function decimalLiteralPaths(parsed: unknown): Set<string> | undefined {
  return typeof parsed === 'object' && parsed !== null ? hints.get(parsed) : undefined;
}

// Cheap pre-check: only `d.0…` (zeros to the end of the literal) or an exponent can be a whole-valued
// decimal; most bodies have neither and skip the scan.
const CANDIDATE = /\d\.0+(?![0-9])|\d[eE]/;

/**
 * Parses JSON text like JSON.parse, remembering whole-valued decimal literals (see above). JSON
 * nested deeper than MAX_JSON_DEPTH is a LimitExceededError (a SyntaxError means not JSON).
 */
export function parseJsonKeepingDecimals(text: string): unknown {
  const value: unknown = JSON.parse(text);
  if (exceedsJsonDepth(value)) throw jsonDepthError('the body');
  if (typeof value === 'object' && value !== null && CANDIDATE.test(text)) {
    const paths = scan(text);
    if (paths.size > 0) hints.set(value, paths);
  }
  return value;
}

interface Frame {
  kind: 'object' | 'array';
  key: string | number;
  path: string;
}

function child(frame: Frame): string {
  const k = frame.key;
  if (typeof k === 'number') return `${frame.path}[${k}]`;
  return /^[A-Za-z_@#][\w\-:@#]*$/.test(k) ? `${frame.path}.${k}` : `${frame.path}['${k}']`;
}

/** A single pass over valid JSON text tracking the path of each value (same rendering as formatPath). */
function scan(text: string): Set<string> {
  const found = new Set<string>();
  const stack: Frame[] = [];
  let expectKey = false;
  let i = 0;
  const here = (): string => {
    const top = stack[stack.length - 1];
    return top ? child(top) : '$';
  };
  while (i < text.length) {
    const c = text[i] as string;
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (expectKey) {
        const top = stack[stack.length - 1] as Frame;
        top.key = JSON.parse(text.slice(i, j + 1)) as string;
        expectKey = false;
      }
      i = j + 1;
    } else if (c === '{' || c === '[') {
      stack.push({ kind: c === '{' ? 'object' : 'array', key: 0, path: here() });
      expectKey = c === '{';
      i++;
    } else if (c === '}' || c === ']') {
      stack.pop();
      i++;
    } else if (c === ',') {
      const top = stack[stack.length - 1];
      if (top?.kind === 'array') top.key = (top.key as number) + 1;
      else expectKey = true;
      i++;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      let j = i + 1;
      while (j < text.length && /[\d.eE+-]/.test(text[j] as string)) j++;
      const literal = text.slice(i, j);
      if (/[.eE]/.test(literal) && Number.isInteger(Number(literal))) found.add(here());
      i = j;
    } else {
      i++;
    }
  }
  return found;
}
