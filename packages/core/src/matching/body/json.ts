import type { Mismatch } from '../../model.js';
import {
  applyMatcher,
  applyRuleList,
  deepEqual,
  failureMessage,
  type NumberLiterals,
  type ValueMode,
} from '../matchers/apply.js';
import type { CompiledRuleList, CompiledRules, Matcher } from '../matchers/types.js';
import { describeValue, mismatch, show, typeName } from '../mismatch.js';
import { formatPath, type PathToken } from '../path.js';
import { decimalKey, numberLiteral } from './numbers.js';
import { fieldState, itemState, rootState, stateAt, type RuleState } from './rule-state.js';

export interface JsonContext {
  rules: CompiledRules;
  /** Responses may carry keys the pact does not mention; requests may not. */
  allowUnexpectedKeys: boolean;
  mismatches: Mismatch[];
}

// The walk keeps one path array per comparison and pushes/pops steps on it: a path is only turned
// into text (formatPath) when a mismatch is reported, and the rules that apply at each node come
// from a RuleState carried down the walk, not from scoring every rule against the path.
type Path = (string | number)[];
type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function push(ctx: JsonContext, where: string, expected: unknown, actual: unknown, message: string): void {
  ctx.mismatches.push(mismatch('body', where, expected, actual, message));
}

/** The text of `path` with one more step, for a mismatch about a child. */
function childPath(path: Path, key: string | number): string {
  path.push(key);
  const where = formatPath(path);
  path.pop();
  return where;
}

/**
 * Compares two JSON values under the body matching rules, appending mismatches to the context.
 * Paths start at `['$']`.
 */
export function compareJson(path: Path, expected: unknown, actual: unknown, ctx: JsonContext): void {
  walk([...path], stateAt(ctx.rules, path), expected, actual, ctx);
}

/** Number literals JSON.parse changed (`10.0`, `9007199254740993`, `1e400`) at `key` of each side's container. */
type Literals = NumberLiterals;

function literalsAt(
  expected: unknown,
  actual: unknown,
  key: string | number,
  eValue: unknown,
  aValue: unknown,
): Literals | undefined {
  if (typeof aValue !== 'number' && typeof eValue !== 'number') return undefined;
  const e =
    typeof eValue === 'number' && typeof expected === 'object' && expected !== null
      ? numberLiteral(expected, key)
      : undefined;
  const a =
    typeof aValue === 'number' && typeof actual === 'object' && actual !== null
      ? numberLiteral(actual, key)
      : undefined;
  return e === undefined && a === undefined ? undefined : { expected: e, actual: a };
}

function walk(
  path: Path,
  state: RuleState,
  expected: unknown,
  actual: unknown,
  ctx: JsonContext,
  literals?: Literals,
): void {
  if (isObject(expected)) {
    if (!isObject(actual)) {
      const where = formatPath(path);
      push(ctx, where, expected, actual, `Expected ${where} to be an object, but got ${describeValue(actual)}`);
      return;
    }
    compareObjects(path, state, expected, actual, ctx);
  } else if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) {
      const where = formatPath(path);
      push(ctx, where, expected, actual, `Expected ${where} to be a list, but got ${describeValue(actual)}`);
      return;
    }
    compareLists(path, state, expected, actual, ctx);
  } else {
    compareValues(path, state, expected, actual, ctx, literals);
  }
}

function walkField(
  path: Path,
  state: RuleState,
  key: string,
  expected: unknown,
  actual: unknown,
  ctx: JsonContext,
  literals?: Literals,
): void {
  path.push(key);
  walk(path, fieldState(state, key), expected, actual, ctx, literals);
  path.pop();
}

function walkItem(
  path: Path,
  state: RuleState,
  index: number,
  expected: unknown,
  actual: unknown,
  ctx: JsonContext,
  literals?: Literals,
): void {
  path.push(index);
  walk(path, itemState(state, index), expected, actual, ctx, literals);
  path.pop();
}

/** True when the value satisfies the list (AND: every matcher, OR: one), without building failures. */
function satisfies(
  list: CompiledRuleList,
  expected: unknown,
  actual: unknown,
  cascaded: boolean,
  mode: ValueMode,
  literals?: NumberLiterals,
) {
  if (list.combine === 'OR') {
    if (list.matchers.length === 0) return true;
    for (const matcher of list.matchers) {
      if (!applyMatcher(matcher, expected, actual, cascaded, mode, literals)) return true;
    }
    return false;
  }
  for (const matcher of list.matchers)
    if (applyMatcher(matcher, expected, actual, cascaded, mode, literals)) return false;
  return true;
}

/** A number for a sentence, as it was written when JSON.parse changed it. */
function describeNumber(value: unknown, literal: string | undefined): string {
  return literal === undefined ? describeValue(value) : `the number ${literal}`;
}

function compareValues(
  path: Path,
  state: RuleState,
  expected: unknown,
  actual: unknown,
  ctx: JsonContext,
  literals: Literals | undefined,
): void {
  const selected = state.selected;
  const aLit = literals?.actual;
  const eLit = literals?.expected;
  if (selected) {
    // `10.0` is a decimal to the matchers however JSON.parse stored it.
    const mode: ValueMode =
      typeof actual === 'number' && aLit !== undefined && /[.eE]/.test(aLit) ? 'json-decimal' : 'json';
    if (satisfies(selected.list, expected, actual, selected.cascaded, mode, literals)) return;
    const where = formatPath(path);
    const failures = applyRuleList(selected.list, expected, actual, selected.cascaded, mode, literals);
    for (const f of failures) {
      const found = f.found ?? (aLit === undefined ? undefined : describeNumber(actual, aLit));
      push(ctx, where, expected, actual, failureMessage(where, found === undefined ? f : { ...f, found }, actual));
    }
  } else if (typeof expected === 'number' && typeof actual === 'number' && literals !== undefined) {
    // Compared as written: a double cannot tell 9007199254740993 from 9007199254740992.
    if (decimalKey(eLit ?? String(expected)) !== decimalKey(aLit ?? String(actual))) {
      const where = formatPath(path);
      push(
        ctx,
        where,
        eLit ?? expected,
        aLit ?? actual,
        `Expected ${where} to equal ${eLit ?? show(expected)}, but got ${aLit ?? show(actual)}`,
      );
    }
  } else if (!deepEqual(expected, actual)) {
    const where = formatPath(path);
    const message =
      typeName(expected) !== typeName(actual)
        ? `Expected ${where} to be ${describeNumber(expected, eLit)}, but got ${describeNumber(actual, aLit)}`
        : `Expected ${where} to equal ${eLit ?? show(expected)}, but got ${aLit ?? show(actual)}`;
    push(ctx, where, eLit ?? expected, aLit ?? actual, message);
  }
}

// Contexts for eachValue, one per (rules, matcher, place), so their rule states are built once.
const childRulesCache = new WeakMap<CompiledRules, WeakMap<Matcher[], Map<string, CompiledRules>>>();
const CHILD_RULES_LIMIT = 1_000;

/** A context whose rules also say that every child of `path` follows `matchers` (eachValue). */
function withChildRules(ctx: JsonContext, path: Path, matchers: Matcher[], child: 'field' | 'index'): JsonContext {
  const expression = `${formatPath(path)}${child === 'field' ? '.*' : '[*]'}`;
  let byMatchers = childRulesCache.get(ctx.rules);
  if (!byMatchers) childRulesCache.set(ctx.rules, (byMatchers = new WeakMap()));
  let byExpression = byMatchers.get(matchers);
  if (!byExpression) byMatchers.set(matchers, (byExpression = new Map()));
  let rules = byExpression.get(expression);
  if (!rules) {
    const tokens: PathToken[] = path.map((step, i): PathToken =>
      i === 0
        ? { kind: 'root' }
        : typeof step === 'number'
          ? { kind: 'index', index: step }
          : { kind: 'field', name: step },
    );
    tokens.push(child === 'field' ? { kind: 'star' } : { kind: 'star-index' });
    rules = { rules: [...ctx.rules.rules, { expression, tokens, list: { combine: 'AND', matchers } }] };
    // List indices make these places unbounded in number; a long-lived rules object must not grow forever.
    if (byExpression.size >= CHILD_RULES_LIMIT) byExpression.clear();
    byExpression.set(expression, rules);
  }
  return { ...ctx, rules };
}

/**
 * The expected object's keys and the rule state of each, kept on the state for the object compared
 * there last: an expected body is compared many times (every list item against the same example,
 * every replay of an interaction), and like the compiled rules, it is read as fixed once matched.
 */
function planFor(state: RuleState, expected: JsonObject): NonNullable<RuleState['plan']> {
  const plan = state.plan;
  if (plan !== undefined && plan.object === expected) return plan;
  const keys = Object.keys(expected);
  const fresh = { object: expected, keys, states: keys.map((key) => fieldState(state, key)) };
  state.plan = fresh;
  return fresh;
}

function firstValue(object: JsonObject): unknown {
  for (const key in object) if (Object.hasOwn(object, key)) return object[key];
  return undefined;
}

function compareObjects(
  path: Path,
  state: RuleState,
  expected: JsonObject,
  actual: JsonObject,
  ctx: JsonContext,
): void {
  const selected = state.selected;
  let keysChecked = false;
  if (selected) {
    for (const matcher of selected.list.matchers) {
      if (matcher.type === 'values') {
        // Keys are free; every actual value is checked against the expected value of the same key or the first one.
        keysChecked = true;
        const example = firstValue(expected);
        for (const key of Object.keys(actual)) {
          const ex = Object.hasOwn(expected, key) ? expected[key] : example;
          const literals = literalsAt(
            Object.hasOwn(expected, key) ? expected : undefined,
            actual,
            key,
            ex,
            actual[key],
          );
          if (ex !== undefined) walkField(path, state, key, ex, actual[key], ctx, literals);
        }
      } else if (matcher.type === 'eachValue') {
        keysChecked = true;
        const child = withChildRules(ctx, path, matcher.rules, 'field');
        const childState = stateAt(child.rules, path);
        const example = firstValue(expected);
        for (const key of Object.keys(actual)) {
          const ex = Object.hasOwn(expected, key) ? expected[key] : example;
          walkField(path, childState, key, ex === undefined ? actual[key] : ex, actual[key], child);
        }
      } else if (matcher.type === 'eachKey') {
        keysChecked = true;
        for (const key of Object.keys(actual)) {
          for (const rule of matcher.rules) {
            const f = applyMatcher(rule, key, key, false, 'text');
            if (f) {
              const where = formatPath(path);
              push(
                ctx,
                childPath(path, key),
                undefined,
                key,
                `Expected key ${JSON.stringify(key)} in ${where} ${f.expectation}`,
              );
            }
          }
        }
        for (const key of Object.keys(expected)) {
          if (Object.hasOwn(actual, key)) {
            const literals = literalsAt(expected, actual, key, expected[key], actual[key]);
            walkField(path, state, key, expected[key], actual[key], ctx, literals);
          }
        }
      } else {
        const f = applyMatcher(matcher, expected, actual, selected.cascaded);
        if (f) {
          const where = formatPath(path);
          push(ctx, where, expected, actual, failureMessage(where, f, actual));
        }
      }
    }
  }
  if (keysChecked) return;
  if (!ctx.allowUnexpectedKeys) {
    for (const key of Object.keys(actual)) {
      if (!Object.hasOwn(expected, key)) {
        const where = childPath(path, key);
        push(ctx, where, undefined, actual[key], `Did not expect ${where} (found ${describeValue(actual[key])})`);
      }
    }
  }
  const plan = planFor(state, expected);
  const keys = plan.keys;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const value = actual[key];
    // One lookup instead of two for a JSON value; what could be inherited (a function, `__proto__`) is checked.
    if (value !== undefined && typeof value !== 'function' && key !== '__proto__' ? true : Object.hasOwn(actual, key)) {
      path.push(key);
      walk(path, plan.states[i]!, expected[key], value, ctx, literalsAt(expected, actual, key, expected[key], value));
      path.pop();
    } else {
      const where = childPath(path, key);
      push(
        ctx,
        where,
        expected[key],
        undefined,
        `Expected ${where} to be present (like ${show(expected[key])}), but it was missing`,
      );
    }
  }
}

/** True when `item` matches `example` under a variant's rules (arrayContains). */
function variantMatches(rules: CompiledRules, example: unknown, item: unknown): boolean {
  const sub: JsonContext = { rules, allowUnexpectedKeys: true, mismatches: [] };
  walk(['$'], rootState(rules), example, item, sub);
  return sub.mismatches.length === 0;
}

function compareLists(path: Path, state: RuleState, expected: unknown[], actual: unknown[], ctx: JsonContext): void {
  const selected = state.selected;
  if (!selected) {
    if (expected.length === 0 && actual.length > 0) {
      const where = formatPath(path);
      push(ctx, where, expected, actual, `Expected ${where} to be an empty list, but got ${describeValue(actual)}`);
      return;
    }
    const common = Math.min(expected.length, actual.length);
    for (let i = 0; i < common; i++) {
      walkItem(path, state, i, expected[i], actual[i], ctx, literalsAt(expected, actual, i, expected[i], actual[i]));
    }
    if (expected.length !== actual.length) {
      const where = formatPath(path);
      push(
        ctx,
        where,
        expected,
        actual,
        `Expected ${where} to have ${expected.length} item${expected.length === 1 ? '' : 's'}, but got ${actual.length}`,
      );
    }
    return;
  }
  let compareItems = false;
  for (const matcher of selected.list.matchers) {
    if (matcher.type === 'arrayContains') {
      for (const [n, variant] of matcher.variants.entries()) {
        const example = expected[variant.index];
        if (example === undefined) {
          const where = formatPath(path);
          push(
            ctx,
            where,
            expected,
            actual,
            `The pact's arrayContains variant ${n} at ${where} points at index ${variant.index}, which the expected list does not have`,
          );
          continue;
        }
        if (!actual.some((item) => variantMatches(variant.rules, example, item))) {
          const where = formatPath(path);
          push(
            ctx,
            where,
            example,
            actual,
            `Expected ${where} to contain an item matching ${show(example)} (variant ${n}), but none did`,
          );
        }
      }
    } else if (matcher.type === 'eachValue') {
      const child = withChildRules(ctx, path, matcher.rules, 'index');
      const childState = stateAt(child.rules, path);
      for (let i = 0; i < actual.length; i++) {
        const ex = expected.length > 0 ? (i < expected.length ? expected[i] : expected[0]) : actual[i];
        walkItem(path, childState, i, ex, actual[i], child);
      }
    } else {
      const f = applyMatcher(matcher, expected, actual, selected.cascaded);
      if (f) {
        const where = formatPath(path);
        push(ctx, where, expected, actual, failureMessage(where, f, actual));
      }
      compareItems = true;
    }
  }
  if (compareItems && expected.length > 0) {
    // With a rule on the list, each actual item is checked against the expected item at its index, or the first one.
    for (let i = 0; i < actual.length; i++) {
      const own = i < expected.length;
      const literals = literalsAt(
        own ? expected : undefined,
        actual,
        own ? i : 0,
        own ? expected[i] : expected[0],
        actual[i],
      );
      walkItem(path, state, i, own ? expected[i] : expected[0], actual[i], ctx, literals);
    }
  }
}
