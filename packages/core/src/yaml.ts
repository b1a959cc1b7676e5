import type * as JsYaml from 'js-yaml';
import type * as Yaml from 'yaml';
import { CutoverError, ErrorCodes, type ErrorCode } from './errors.js';
import { lazyRequire } from './lazy-require.js';

/**
 * `yaml` keeps node positions and writes YAML; js-yaml reads. Positions are wanted only for a
 * policy's errors and writing only for Envoy routing, so a run that needs neither (every verify,
 * every openapi check) never loads its 200 KB.
 */
const yamlDocuments = lazyRequire<typeof Yaml>('yaml');
/** The reader, likewise loaded by the first YAML read: `verify` of JSON pacts reads none. */
const jsYaml = lazyRequire<typeof JsYaml>('js-yaml');

/**
 * However small a text, its aliases may expand it to this many values; beyond that, to as many
 * values as it has characters. A legitimate document reuses a few blocks; a "billion laughs"
 * document (aliases of aliases) would expand a few hundred bytes to billions of values.
 */
export const YAML_MIN_EXPANDED_VALUES = 100_000;

export interface ParseYamlOptions {
  /** The file path or URL the text came from; every error names it. */
  source: string;
  /** What the text is, for messages: `the policy`, `the OpenAPI document` (default `the file`). */
  what?: string;
  /** Code of the error thrown (default `CUTOVER_CONFIG_INVALID`). */
  code?: ErrorCode;
}

/**
 * Parses untrusted YAML or JSON text into plain data: every YAML read in cutover goes through
 * here. YAML 1.2 core schema (no YAML 1.1 timestamps or merge keys), duplicate keys refused, and
 * aliases may neither expand the data beyond {@link YAML_MIN_EXPANDED_VALUES} values or the text's
 * length, whichever is larger, nor refer to a node that contains them: both would make every
 * later walk over the data hang.
 *
 * @throws CutoverError with `options.code`, naming `options.source`; `details`: `file`, and
 * `line`/`column` for syntax errors.
 * @example
 * const policy = parseYaml(text, { source: 'contracts/cutover.yaml', what: 'the policy' });
 */
export function parseYaml(text: string, options: ParseYamlOptions): unknown {
  const what = options.what ?? 'the file';
  const code = options.code ?? ErrorCodes.CONFIG_INVALID;
  // JSON.parse is many times faster than any YAML parser on large JSON documents, and JSON has no aliases.
  if (/^\s*[{[]/.test(text)) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // Not strict JSON (comments, trailing commas...): YAML may still read it.
    }
  }
  let value: unknown;
  try {
    // js-yaml rather than `yaml`: ten times faster on multi-megabyte documents.
    const yaml = jsYaml();
    value = yaml.load(text, { schema: yaml.CORE_SCHEMA, filename: options.source });
  } catch (error) {
    const mark = (error as { mark?: { line?: number; column?: number } }).mark;
    const at = typeof mark?.line === 'number' ? { line: mark.line + 1, column: (mark.column ?? 0) + 1 } : undefined;
    const reason = (error as { reason?: string }).reason ?? (error as Error).message.split('\n')[0];
    const where = at ? `${options.source}:${at.line}:${at.column}` : options.source;
    throw new CutoverError(code, `${where}: ${what} is not valid YAML or JSON: ${reason}`, {
      cause: error,
      details: { file: options.source, ...at },
    });
  }
  // Without an anchor (`&name`) and an alias (`*name`), nothing is shared.
  if (/&[^\s,[\]{}]/.test(text) && /\*[^\s,[\]{}]/.test(text)) {
    const limit = Math.max(YAML_MIN_EXPANDED_VALUES, text.length);
    const problem = aliasProblem(value, limit);
    if (problem) {
      const reason =
        problem === 'recursive'
          ? 'a YAML alias refers to a node that contains it (recursive data)'
          : `its YAML aliases expand it to more than ${limit.toLocaleString('en-US')} values (an alias bomb)`;
      throw new CutoverError(code, `${options.source}: ${what} is refused: ${reason}`, {
        details: { file: options.source, ...(problem === 'recursive' ? {} : { limit }) },
      });
    }
  }
  return value;
}

/**
 * Counts the values of `root` as a tree (every alias expanded), each shared node measured once,
 * and stops as soon as the count passes `limit` or a node turns out to contain itself.
 */
function aliasProblem(root: unknown, limit: number): 'expansion' | 'recursive' | undefined {
  const measured = new Map<object, number>();
  const open = new Set<object>();
  interface Frame {
    node: object;
    children: unknown[];
    next: number;
    size: number;
  }
  const enter = (node: object): Frame => {
    open.add(node);
    return { node, children: Array.isArray(node) ? node : Object.values(node), next: 0, size: 1 };
  };
  if (typeof root !== 'object' || root === null) return undefined;
  const stack: Frame[] = [enter(root)];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    if (frame.next < frame.children.length) {
      const child = frame.children[frame.next++];
      if (typeof child !== 'object' || child === null) frame.size += 1;
      else if (open.has(child)) return 'recursive';
      else if (measured.has(child)) frame.size += measured.get(child)!;
      else stack.push(enter(child));
      if (frame.size > limit) return 'expansion';
      continue;
    }
    stack.pop();
    open.delete(frame.node);
    measured.set(frame.node, frame.size);
    const parent = stack[stack.length - 1];
    if (parent) {
      parent.size += frame.size;
      if (parent.size > limit) return 'expansion';
    }
  }
  return undefined;
}

/**
 * Where values sit in YAML text, for messages that point at a line: `locate(['routes', 0, 'path'])`
 * gives the line and column of the deepest node of that path that exists. Only for text that
 * {@link parseYaml} accepted; the text is read again without building any data.
 *
 * @example
 * const locate = yamlLocator(text);
 * locate(['routes', 1, 'methods']) // { line: 12, column: 14 }
 */
export function yamlLocator(
  text: string,
): (path: readonly (string | number)[]) => { line: number; column: number } | undefined {
  const { LineCounter, isNode, parseDocument } = yamlDocuments();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  return (path) => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) {
        const { line, col } = lineCounter.linePos(node.range[0]);
        return { line, column: col };
      }
    }
    return undefined;
  };
}

/**
 * `value` as YAML text (block style, keys in insertion order): how cutover writes YAML artifacts.
 *
 * @example
 * stringifyYaml({ virtual_hosts: [{ name: 'api' }] }) // 'virtual_hosts:\n  - name: api\n'
 */
export function stringifyYaml(value: unknown): string {
  return yamlDocuments().stringify(value);
}
