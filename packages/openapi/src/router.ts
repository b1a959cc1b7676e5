import { compileGroupPattern, escapeRegex, type GroupPattern } from '@cutover/core';
/**
 * Finds the documented operation for a method and a concrete path: servers' base paths, templated
 * segments (`/shipments/{id}`, `/files/{name}.{ext}`), literal segments preferred over templated
 * ones, and ambiguous templates reported.
 */

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

type Segment =
  | { kind: 'literal'; text: string }
  | { kind: 'template'; key: string; regex: GroupPattern; names: string[]; hasLiteral: boolean };

export interface RouteEntry<T> {
  template: string;
  /** Base paths (`''`, `/v1`) this template is served under. */
  bases: string[];
  methods: Map<string, T>;
}

interface Entry<T> extends RouteEntry<T> {
  segments: Segment[];
  /** Insertion order: among equally specific templates, the first in the document wins. */
  order: number;
}

interface Node<T> {
  literals: Map<string, Node<T>>;
  templated: Map<string, { segment: Extract<Segment, { kind: 'template' }>; node: Node<T> }>;
  entries: Entry<T>[];
}

export type RouteLookup<T> =
  | {
      kind: 'found';
      entry: RouteEntry<T>;
      value: T;
      params: Record<string, string>;
      basePath: string;
      ambiguousWith: RouteEntry<T>[];
    }
  | { kind: 'no-path' }
  | { kind: 'no-method'; allowed: string[]; templates: string[] };

const newNode = <T>(): Node<T> => ({ literals: new Map(), templated: new Map(), entries: [] });

/**
 * A segment that is one parameter and nothing else (`{id}`: most templates) needs no regex
 * engine: RE2's `^(.+)$` takes any value that is not empty and has no line break.
 */
const WHOLE_SEGMENT: GroupPattern = {
  exec: (value) => (value !== '' && !value.includes('\n') ? [value, value] : null),
};

function parseSegment(text: string): Segment {
  if (!text.includes('{')) return { kind: 'literal', text };
  const names: string[] = [];
  let pattern = '';
  let key = '';
  let hasLiteral = false;
  let rest = text;
  while (rest.length > 0) {
    const open = rest.indexOf('{');
    const close = open >= 0 ? rest.indexOf('}', open) : -1;
    if (open < 0 || close < 0) {
      pattern += escapeRegex(rest);
      key += rest;
      hasLiteral = true;
      break;
    }
    if (open > 0) {
      pattern += escapeRegex(rest.slice(0, open));
      key += rest.slice(0, open);
      hasLiteral = true;
    }
    names.push(rest.slice(open + 1, close));
    // Greedy, so an earlier parameter takes all the later literals allow: `{name}.{ext}` splits
    // `report.v2.pdf` at the last dot (name `report.v2`, ext `pdf`), as file extensions mean.
    pattern += '(.+)';
    key += '{}';
    rest = rest.slice(close + 1);
  }
  // The document and the pact's path are both untrusted: `{a}{b}{c}…` must not backtrack.
  const regex = names.length === 1 && !hasLiteral ? WHOLE_SEGMENT : compileGroupPattern(`^${pattern}$`);
  return { kind: 'template', key, regex, names, hasLiteral };
}

/** Splits a path into segments; a trailing slash is not significant. */
export function pathSegments(path: string): string[] {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  return trimmed.split('/').slice(1);
}

function decode(text: string): string {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A server URL's path part as a matcher: `https://{host}/api/{version}` → `/api/(v1|v2)`. */
export interface BasePath {
  key: string;
  regex: RegExp;
  /** The path a gateway sees: each variable at its `default` (else its first `enum` value, else `{name}`). */
  path: string;
}

export function serverBasePath(
  url: string,
  variables: Record<string, { default?: unknown; enum?: unknown[] }> = {},
): BasePath {
  let path = url.replace(/^([a-z][a-z0-9+.-]*:|\{[^}]*\}:)?\/\/[^/]*/i, '');
  path = path.split(/[?#]/)[0] ?? '';
  if (path.endsWith('/')) path = path.slice(0, -1);
  if (path !== '' && !path.startsWith('/')) path = '/' + path;
  let regex = '';
  let concrete = '';
  let rest = path;
  while (rest.length > 0) {
    const open = rest.indexOf('{');
    const close = open >= 0 ? rest.indexOf('}', open) : -1;
    if (open < 0 || close < 0) {
      regex += escapeRegex(rest);
      concrete += rest;
      break;
    }
    regex += escapeRegex(rest.slice(0, open));
    concrete += rest.slice(0, open);
    const name = rest.slice(open + 1, close);
    const variable = variables[name];
    const choices = Array.isArray(variable?.enum) ? variable.enum.map(String) : [];
    regex += choices.length > 0 ? `(?:${choices.map(escapeRegex).join('|')})` : '[^/]+';
    concrete += typeof variable?.default === 'string' ? variable.default : (choices[0] ?? `{${name}}`);
    rest = rest.slice(close + 1);
  }
  return { key: path, regex: new RegExp(`^${regex}(?=/|$)`), path: concrete };
}

interface Candidate<T> {
  entry: Entry<T>;
  /**
   * Segment kinds in base 3, leftmost most significant (literal 2, mixed 1, parameter 0): candidates
   * have the same number of segments, so a larger number is a more literal match.
   */
  rank: number;
  /** Captured values per segment (empty for literal segments). */
  captured: string[][];
  basePath: string;
}

/** A trie of path templates, matched segment by segment. */
export class Router<T> {
  private readonly root: Node<T> = newNode();
  private readonly bases = new Map<string, BasePath>();
  private entries = 0;

  add(template: string, bases: BasePath[], method: string, value: T): void {
    let node = this.root;
    for (const text of pathSegments(template)) {
      const segment = parseSegment(text);
      if (segment.kind === 'literal') {
        let next = node.literals.get(segment.text);
        if (!next) node.literals.set(segment.text, (next = newNode()));
        node = next;
      } else {
        let next = node.templated.get(segment.key);
        if (!next) node.templated.set(segment.key, (next = { segment, node: newNode() }));
        else next.segment = segment;
        node = next.node;
      }
    }
    let entry = node.entries.find((e) => e.template === template);
    if (!entry) {
      entry = {
        template,
        bases: [],
        methods: new Map(),
        segments: pathSegments(template).map(parseSegment),
        order: this.entries++,
      };
      node.entries.push(entry);
    }
    for (const base of bases) {
      this.bases.set(base.key, base);
      if (!entry.bases.includes(base.key)) entry.bases.push(base.key);
    }
    entry.methods.set(method.toUpperCase(), value);
  }

  lookup(method: string, concretePath: string): RouteLookup<T> {
    const upper = method.toUpperCase();
    const candidates: Candidate<T>[] = [];
    for (const base of this.bases.values()) {
      const m = base.regex.exec(concretePath);
      if (!m) continue;
      const rest = concretePath.slice(m[0].length) || '/';
      this.match(pathSegments(rest), base.key, m[0], candidates);
    }
    if (candidates.length === 0) return { kind: 'no-path' };
    let best: Candidate<T> | undefined;
    for (const c of candidates) {
      if (!c.entry.methods.has(upper)) continue;
      if (
        !best ||
        c.rank > best.rank ||
        (c.rank === best.rank &&
          (c.basePath.length > best.basePath.length ||
            (c.basePath.length === best.basePath.length && c.entry.order < best.entry.order)))
      ) {
        best = c;
      }
    }
    if (!best) {
      const allowed = new Set<string>();
      for (const c of candidates) for (const m of c.entry.methods.keys()) allowed.add(m);
      return {
        kind: 'no-method',
        allowed: [...allowed].sort(),
        templates: [...new Set(candidates.map((c) => c.entry.template))],
      };
    }
    const ambiguousWith = new Set<RouteEntry<T>>();
    for (const c of candidates) {
      if (
        c !== best &&
        c.rank === best.rank &&
        c.entry.template !== best.entry.template &&
        c.entry.methods.has(upper)
      ) {
        ambiguousWith.add(c.entry);
      }
    }
    return {
      kind: 'found',
      entry: best.entry,
      value: best.entry.methods.get(upper)!,
      params: paramsFor(best.entry, best.captured),
      basePath: best.basePath,
      ambiguousWith: [...ambiguousWith],
    };
  }

  /** Templates that match the same requests for a method (`/pets/{id}` and `/pets/{name}`). */
  ambiguities(): { method: string; templates: string[] }[] {
    const out: { method: string; templates: string[] }[] = [];
    const visit = (node: Node<T>): void => {
      if (node.entries.length > 1) {
        const methods = new Set(node.entries.flatMap((e) => [...e.methods.keys()]));
        for (const method of methods) {
          const templates = node.entries.filter((e) => e.methods.has(method)).map((e) => e.template);
          if (templates.length > 1) out.push({ method, templates });
        }
      }
      for (const child of node.literals.values()) visit(child);
      for (const { node: child } of node.templated.values()) visit(child);
    };
    visit(this.root);
    return out;
  }

  private match(segments: string[], baseKey: string, basePath: string, into: Candidate<T>[]): void {
    const captured: string[][] = [];
    const walk = (node: Node<T>, i: number, rank: number): void => {
      if (i === segments.length) {
        for (const entry of node.entries) {
          if (entry.bases.includes(baseKey)) into.push({ entry, rank, captured: [...captured], basePath });
        }
        return;
      }
      const raw = segments[i]!;
      const literal = node.literals.get(raw) ?? (raw.includes('%') ? node.literals.get(decode(raw)) : undefined);
      if (literal) {
        captured.push(NONE);
        walk(literal, i + 1, rank * 3 + 2);
        captured.pop();
      }
      for (const { segment, node: next } of node.templated.values()) {
        const m = segment.regex.exec(raw);
        if (!m) continue;
        const values = m.slice(1);
        if (values.includes('')) continue;
        captured.push(values.map(decode));
        walk(next, i + 1, rank * 3 + (segment.hasLiteral ? 1 : 0));
        captured.pop();
      }
    };
    walk(this.root, 0, 0);
  }
}

const NONE: string[] = [];

// Parameter names come from the entry: templates sharing a trie node may name them differently (`{id}`, `{name}`).
function paramsFor<T>(entry: Entry<T>, captured: string[][]): Record<string, string> {
  const params: Record<string, string> = {};
  entry.segments.forEach((segment, i) => {
    if (segment.kind !== 'template') return;
    segment.names.forEach((name, j) => {
      const value = captured[i]?.[j];
      if (value !== undefined) params[name] = value;
    });
  });
  return params;
}
