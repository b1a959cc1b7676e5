import type { Mismatch } from '../../model.js';
import { applyMatcher, applyRuleList, deepEqual, failureMessage } from '../matchers/apply.js';
import type { CompiledRules, Matcher } from '../matchers/types.js';
import { describeValue, mismatch, show, typeName } from '../mismatch.js';
import { formatPath, type PathToken } from '../path.js';
import { hasRules, selectRules } from '../rules.js';

export interface JsonContext {
  rules: CompiledRules;
  /** Responses may carry keys the pact does not mention; requests may not. */
  allowUnexpectedKeys: boolean;
  mismatches: Mismatch[];
  /** Paths of numbers written with a fraction that parsed to whole values (see body/numbers.ts). */
  decimalLiterals?: Set<string> | undefined;
}

type Path = (string | number)[];
type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function push(ctx: JsonContext, path: Path, expected: unknown, actual: unknown, message: string): void {
  ctx.mismatches.push(mismatch('body', formatPath(path), expected, actual, message));
}

/**
 * Compares two JSON values under the body matching rules, appending mismatches to the context.
 * Paths start at `['$']`.
 */
export function compareJson(path: Path, expected: unknown, actual: unknown, ctx: JsonContext): void {
  if (isObject(expected)) {
    if (!isObject(actual)) {
      push(
        ctx,
        path,
        expected,
        actual,
        `Expected ${formatPath(path)} to be an object, but got ${describeValue(actual)}`,
      );
      return;
    }
    compareObjects(path, expected, actual, ctx);
  } else if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) {
      push(ctx, path, expected, actual, `Expected ${formatPath(path)} to be a list, but got ${describeValue(actual)}`);
      return;
    }
    compareLists(path, expected, actual, ctx);
  } else {
    compareValues(path, expected, actual, ctx);
  }
}

function compareValues(path: Path, expected: unknown, actual: unknown, ctx: JsonContext): void {
  const selected = ctx.rules.rules.length > 0 ? selectRules(ctx.rules, path) : undefined;
  if (selected) {
    const mode = typeof actual === 'number' && ctx.decimalLiterals?.has(formatPath(path)) ? 'json-decimal' : 'json';
    const failures = applyRuleList(selected.list, expected, actual, selected.cascaded, mode);
    for (const f of failures) push(ctx, path, expected, actual, failureMessage(formatPath(path), f, actual));
  } else if (!deepEqual(expected, actual)) {
    const where = formatPath(path);
    const message =
      typeName(expected) !== typeName(actual)
        ? `Expected ${where} to be ${describeValue(expected)}, but got ${describeValue(actual)}`
        : `Expected ${where} to equal ${show(expected)}, but got ${show(actual)}`;
    push(ctx, path, expected, actual, message);
  }
}

/** A context whose rules also say that every child of `path` follows `matchers` (eachValue). */
function withChildRules(ctx: JsonContext, path: Path, matchers: Matcher[], child: 'field' | 'index'): JsonContext {
  const tokens: PathToken[] = path.map((step, i): PathToken =>
    i === 0
      ? { kind: 'root' }
      : typeof step === 'number'
        ? { kind: 'index', index: step }
        : { kind: 'field', name: step },
  );
  tokens.push(child === 'field' ? { kind: 'star' } : { kind: 'star-index' });
  const expression = `${formatPath(path)}${child === 'field' ? '.*' : '[*]'}`;
  return { ...ctx, rules: { rules: [...ctx.rules.rules, { expression, tokens, list: { combine: 'AND', matchers } }] } };
}

function compareObjects(path: Path, expected: JsonObject, actual: JsonObject, ctx: JsonContext): void {
  const where = formatPath(path);
  const expectedKeys = Object.keys(expected);
  const actualKeys = Object.keys(actual);
  const selected = ctx.rules.rules.length > 0 && hasRules(ctx.rules, path) ? selectRules(ctx.rules, path) : undefined;
  let keysChecked = false;
  if (selected) {
    for (const matcher of selected.list.matchers) {
      if (matcher.type === 'values') {
        // Keys are free; every actual value is checked against the expected value of the same key or the first one.
        keysChecked = true;
        const example = expectedKeys.length > 0 ? expected[expectedKeys[0] as string] : undefined;
        for (const key of actualKeys) {
          const ex = Object.hasOwn(expected, key) ? expected[key] : example;
          if (ex !== undefined) compareJson([...path, key], ex, actual[key], ctx);
        }
      } else if (matcher.type === 'eachValue') {
        keysChecked = true;
        const child = withChildRules(ctx, path, matcher.rules, 'field');
        const example = expectedKeys.length > 0 ? expected[expectedKeys[0] as string] : undefined;
        for (const key of actualKeys) {
          const ex = Object.hasOwn(expected, key) ? expected[key] : example;
          compareJson([...path, key], ex === undefined ? actual[key] : ex, actual[key], child);
        }
      } else if (matcher.type === 'eachKey') {
        keysChecked = true;
        for (const key of actualKeys) {
          for (const rule of matcher.rules) {
            const f = applyMatcher(rule, key, key, false, 'text');
            if (f)
              push(
                ctx,
                [...path, key],
                undefined,
                key,
                `Expected key ${JSON.stringify(key)} in ${where} ${f.expectation}`,
              );
          }
        }
        for (const key of expectedKeys) {
          if (Object.hasOwn(actual, key)) compareJson([...path, key], expected[key], actual[key], ctx);
        }
      } else {
        const f = applyMatcher(matcher, expected, actual, selected.cascaded);
        if (f) push(ctx, path, expected, actual, failureMessage(where, f, actual));
      }
    }
  }
  if (keysChecked) return;
  if (!ctx.allowUnexpectedKeys) {
    for (const key of actualKeys) {
      if (!Object.hasOwn(expected, key)) {
        push(
          ctx,
          [...path, key],
          undefined,
          actual[key],
          `Did not expect ${formatPath([...path, key])} (found ${describeValue(actual[key])})`,
        );
      }
    }
  }
  for (const key of expectedKeys) {
    if (Object.hasOwn(actual, key)) {
      compareJson([...path, key], expected[key], actual[key], ctx);
    } else {
      push(
        ctx,
        [...path, key],
        expected[key],
        undefined,
        `Expected ${formatPath([...path, key])} to be present (like ${show(expected[key])}), but it was missing`,
      );
    }
  }
}

function compareLists(path: Path, expected: unknown[], actual: unknown[], ctx: JsonContext): void {
  const where = formatPath(path);
  const selected = ctx.rules.rules.length > 0 && hasRules(ctx.rules, path) ? selectRules(ctx.rules, path) : undefined;
  if (!selected) {
    if (expected.length === 0 && actual.length > 0) {
      push(ctx, path, expected, actual, `Expected ${where} to be an empty list, but got ${describeValue(actual)}`);
      return;
    }
    for (let i = 0; i < Math.min(expected.length, actual.length); i++)
      compareJson([...path, i], expected[i], actual[i], ctx);
    if (expected.length !== actual.length) {
      push(
        ctx,
        path,
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
          push(
            ctx,
            path,
            expected,
            actual,
            `The pact's arrayContains variant ${n} at ${where} points at index ${variant.index}, which the expected list does not have`,
          );
          continue;
        }
        const found = actual.some((item) => {
          const sub: JsonContext = { rules: variant.rules, allowUnexpectedKeys: true, mismatches: [] };
          compareJson(['$'], example, item, sub);
          return sub.mismatches.length === 0;
        });
        if (!found) {
          push(
            ctx,
            path,
            example,
            actual,
            `Expected ${where} to contain an item matching ${show(example)} (variant ${n}), but none did`,
          );
        }
      }
    } else if (matcher.type === 'eachValue') {
      const child = withChildRules(ctx, path, matcher.rules, 'index');
      for (let i = 0; i < actual.length; i++) {
        const ex = expected.length > 0 ? (i < expected.length ? expected[i] : expected[0]) : actual[i];
        compareJson([...path, i], ex, actual[i], child);
      }
    } else {
      const f = applyMatcher(matcher, expected, actual, selected.cascaded);
      if (f) push(ctx, path, expected, actual, failureMessage(where, f, actual));
      compareItems = true;
    }
  }
  if (compareItems && expected.length > 0) {
    // With a rule on the list, each actual item is checked against the expected item at its index, or the first one.
    for (let i = 0; i < actual.length; i++) {
      compareJson([...path, i], i < expected.length ? expected[i] : expected[0], actual[i], ctx);
    }
  }
}
