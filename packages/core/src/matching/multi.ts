import type { Mismatch, MismatchKind } from '../model.js';
import { applyRuleList, failureMessage } from './matchers/apply.js';
import type { CompiledRules } from './matchers/types.js';
import { mismatch } from './mismatch.js';
import { selectRules } from './rules.js';

export interface MultiValueOptions {
  kind: MismatchKind;
  /** What the values are, for sentences: `query parameter`, `form field`. */
  noun: string;
  /** Rules keyed by name (`$['page']`, or `$.page` for form bodies); `$.page[1]` targets one value. */
  rules: CompiledRules;
  /** Whether names the expectation does not mention are fine (never for requests). */
  allowUnexpected: boolean;
  /** Where mismatches are appended. */
  mismatches: Mismatch[];
}

/** `1st`, `2nd`, `3rd`, `4th`, `11th`, `21st`... */
export function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
}

/** `query parameter 'q'` for a lone value; `the 2nd value of query parameter 'q'` when it repeats. */
function valueLabel(noun: string, name: string, index: number, count: number): string {
  return count > 1 ? `the ${ordinal(index + 1)} value of ${noun} '${name}'` : `${noun} '${name}'`;
}

/**
 * Compares name → values maps (query strings, form bodies). Every expected name must be present;
 * values compare in order. A rule on a name applies to each value (pact-reference semantics) and
 * its min/max to the number of values.
 */
export function compareMultiValues(
  expected: Record<string, string[]>,
  actual: Record<string, string[]>,
  o: MultiValueOptions,
): void {
  for (const [name, expectedValues] of Object.entries(expected)) {
    const actualValues = Object.hasOwn(actual, name) ? actual[name] : undefined;
    if (actualValues === undefined) {
      o.mismatches.push(
        mismatch(
          o.kind,
          name,
          expectedValues,
          undefined,
          `Expected ${o.noun} '${name}' (${expectedValues.map((v) => JSON.stringify(v)).join(', ')}), but it was missing`,
        ),
      );
      continue;
    }
    const selected = o.rules.rules.length > 0 ? selectRules(o.rules, ['$', name]) : undefined;
    if (selected) {
      for (const matcher of selected.list.matchers) {
        if (matcher.type !== 'type' || selected.cascaded) continue;
        if (matcher.min !== undefined && actualValues.length < matcher.min) {
          o.mismatches.push(
            mismatch(
              o.kind,
              name,
              expectedValues,
              actualValues,
              `Expected ${o.noun} '${name}' to have at least ${matcher.min} value(s), but got ${actualValues.length}`,
            ),
          );
        }
        if (matcher.max !== undefined && actualValues.length > matcher.max) {
          o.mismatches.push(
            mismatch(
              o.kind,
              name,
              expectedValues,
              actualValues,
              `Expected ${o.noun} '${name}' to have at most ${matcher.max} value(s), but got ${actualValues.length}`,
            ),
          );
        }
      }
      actualValues.forEach((value, i) => {
        const rule = selectRules(o.rules, ['$', name, i]) ?? selected;
        const ex = expectedValues[i] ?? expectedValues[0] ?? '';
        const where = valueLabel(o.noun, name, i, actualValues.length);
        for (const f of applyRuleList(rule.list, ex, value, true, 'text')) {
          o.mismatches.push(mismatch(o.kind, name, ex, value, failureMessage(where, f, value)));
        }
      });
      continue;
    }
    if (expectedValues.length !== actualValues.length) {
      o.mismatches.push(
        mismatch(
          o.kind,
          name,
          expectedValues,
          actualValues,
          `Expected ${o.noun} '${name}' to have ${expectedValues.length} value(s) ${JSON.stringify(expectedValues)}, but got ${actualValues.length} ${JSON.stringify(actualValues)}`,
        ),
      );
      continue;
    }
    expectedValues.forEach((ex, i) => {
      const value = actualValues[i];
      if (value !== ex) {
        o.mismatches.push(
          mismatch(
            o.kind,
            name,
            ex,
            value,
            `Expected ${valueLabel(o.noun, name, i, actualValues.length)} to be ${JSON.stringify(ex)}, but got ${JSON.stringify(value)}`,
          ),
        );
      }
    });
  }
  if (!o.allowUnexpected) {
    for (const [name, values] of Object.entries(actual)) {
      if (!Object.hasOwn(expected, name)) {
        o.mismatches.push(
          mismatch(
            o.kind,
            name,
            undefined,
            values,
            `Did not expect ${o.noun} '${name}' (got ${JSON.stringify(values)})`,
          ),
        );
      }
    }
  }
}
