import type { CompiledRule, CompiledRules, SelectedRules } from '../matchers/types.js';
import { isIndexText, tokenWeight } from '../path.js';

/**
 * Rule selection for a tree walk, computed once per rules object and path shape.
 *
 * `selectRules(rules, path)` scores every rule against the whole path at every node. A walk instead
 * carries a `RuleState`: the rules whose leading tokens match the path so far (with the product of
 * their token weights) and the best rule that has fully matched (rules cascade to children, and a
 * fully matched rule keeps its weight below). Stepping to a child only scores the next token, and
 * the child states are cached on the parent: every field a rule does not name shares one child, and
 * every list index no `[n]` token names shares another, so a walk over a body whose shape repeats
 * (list items, unruled sub-trees) allocates nothing once the states exist.
 *
 * The choice is exactly `selectRules`'s: the highest weight wins, then the longer expression, then
 * the rule listed first.
 */
export interface RuleState {
  /** The rule list that applies here (what `selectRules` returns for this path), if any. */
  readonly selected: SelectedRules | undefined;
  /** @internal */ readonly depth: number;
  /** @internal */ readonly partial: readonly Candidate[];
  /** @internal */ readonly best: Candidate | undefined;
  /** @internal */ readonly names: ReadonlySet<string> | undefined;
  /** @internal */ readonly indices: ReadonlySet<number> | undefined;
  /** @internal */ readonly indexLike: boolean;
  /** @internal */ field: RuleState | undefined;
  /** @internal */ item: RuleState | undefined;
  /** @internal */ named: Map<string | number, RuleState> | undefined;
  /**
   * The JSON walk's plan for the expected object last compared at this place: its keys and their
   * states (see body/json.ts).
   */
  plan: { object: object; keys: string[]; states: RuleState[] } | undefined;
}

interface Candidate {
  rule: CompiledRule;
  weight: number;
  order: number;
}

function better(a: Candidate, b: Candidate | undefined): boolean {
  if (!b) return true;
  if (a.weight !== b.weight) return a.weight > b.weight;
  if (a.rule.tokens.length !== b.rule.tokens.length) return a.rule.tokens.length > b.rule.tokens.length;
  return a.order < b.order;
}

function makeState(depth: number, partial: Candidate[], best: Candidate | undefined): RuleState {
  let names: Set<string> | undefined;
  let indices: Set<number> | undefined;
  let indexLike = false;
  for (const c of partial) {
    const token = c.rule.tokens[depth];
    if (!token) continue;
    if (token.kind === 'field') {
      (names ??= new Set()).add(token.name);
      // `$.list['3']` names item 3 of a list too.
      if (isIndexText(token.name)) (indices ??= new Set()).add(Number(token.name));
    } else if (token.kind === 'index') {
      (indices ??= new Set()).add(token.index);
      indexLike = true;
    } else if (token.kind === 'star-index') indexLike = true;
  }
  return {
    selected: best
      ? { list: best.rule.list, cascaded: best.rule.tokens.length < depth, expression: best.rule.expression }
      : undefined,
    depth,
    partial,
    best,
    names,
    indices,
    indexLike,
    field: undefined,
    item: undefined,
    named: undefined,
    plan: undefined,
  };
}

/** The state one step below `state`, scored from scratch (the cached lookups below call this). */
function step(state: RuleState, fragment: string | number): RuleState {
  const depth = state.depth + 1;
  const partial: Candidate[] = [];
  let best = state.best;
  for (const c of state.partial) {
    const weight = c.weight * tokenWeight(c.rule.tokens[state.depth]!, fragment);
    if (weight === 0) continue;
    const next = { rule: c.rule, weight, order: c.order };
    if (next.rule.tokens.length === depth) {
      if (better(next, best)) best = next;
    } else {
      partial.push(next);
    }
  }
  // Below a state with nothing left to match and an inherited (cascaded) rule, every state is the same.
  if (state.partial.length === 0 && state.selected?.cascaded !== false) return state;
  return makeState(depth, partial, best);
}

function named(state: RuleState, fragment: string | number): RuleState {
  state.named ??= new Map();
  let child = state.named.get(fragment);
  if (!child) {
    child = step(state, fragment);
    state.named.set(fragment, child);
  }
  return child;
}

/** The state of an object's field `name` below `state`. */
export function fieldState(state: RuleState, name: string): RuleState {
  if (state.names?.has(name)) return named(state, name);
  // Object keys that look like indices are matched by `[n]` and `[*]` tokens too (as pact-reference does).
  if (state.indexLike && isIndexText(name)) return step(state, name);
  return (state.field ??= step(state, name));
}

/** The state of a list's item `index` below `state`. */
export function itemState(state: RuleState, index: number): RuleState {
  if (state.indices?.has(index)) return named(state, index);
  return (state.item ??= step(state, index));
}

const roots = new WeakMap<CompiledRules, RuleState>();

/** The state at the root (`$`) of a body under `rules`; built once per rules object. */
export function rootState(rules: CompiledRules): RuleState {
  let root = roots.get(rules);
  if (!root) {
    const start = makeState(
      0,
      rules.rules.map((rule, order) => ({ rule, weight: 1, order })),
      undefined,
    );
    root = step(start, '$');
    roots.set(rules, root);
  }
  return root;
}

/** The state at a concrete path (`['$', 'items', 0]`), stepping from the root. */
export function stateAt(rules: CompiledRules, path: readonly (string | number)[]): RuleState {
  let state = rootState(rules);
  for (let i = 1; i < path.length; i++) {
    const fragment = path[i]!;
    state = typeof fragment === 'number' ? itemState(state, fragment) : fieldState(state, fragment);
  }
  return state;
}
