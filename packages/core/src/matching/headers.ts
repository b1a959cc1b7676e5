import type { Mismatch } from '../model.js';
import { applyRuleList, failureMessage } from './matchers/apply.js';
import type { CompiledRules } from './matchers/types.js';
import { mediaTypeMismatch } from './media.js';
import { mismatch } from './mismatch.js';
import { selectRules } from './rules.js';

// Headers whose single value may itself contain commas (pact-reference keeps these whole).
const SINGLE_VALUE = new Set([
  'date',
  'expires',
  'last-modified',
  'if-modified-since',
  'if-unmodified-since',
  'retry-after',
  'set-cookie',
  'user-agent',
  'accept-datetime',
  'www-authenticate',
  'proxy-authenticate',
]);
// Headers compared as a media type plus parameters, where parameter order does not matter.
const PARAMETERISED = new Set(['content-type', 'accept']);

function lowerCaseIndex(headers: Record<string, string[]>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [name, values] of Object.entries(headers)) {
    const key = name.toLowerCase();
    out.set(key, [...(out.get(key) ?? []), ...values]);
  }
  return out;
}

/** Splits `"a, b"` into `["a", "b"]`, except for headers whose values carry commas (dates, cookies). */
export function splitHeaderValues(name: string, values: string[]): string[] {
  if (SINGLE_VALUE.has(name)) return values.map((v) => v.trim());
  return values.flatMap((v) => v.split(',')).map((v) => v.trim());
}

/**
 * Compares headers: names case-insensitive; every expected header must be present; extra actual
 * headers are allowed; comma-separated values compare in order with whitespace ignored;
 * Content-Type/Accept compare as media types.
 */
export function matchHeaders(
  expected: Record<string, string[]>,
  actual: Record<string, string[]>,
  rules: CompiledRules,
): Mismatch[] {
  const mismatches: Mismatch[] = [];
  const actualByName = lowerCaseIndex(actual);
  for (const [name, expectedRaw] of Object.entries(expected)) {
    const key = name.toLowerCase();
    const actualRaw = actualByName.get(key);
    const expectedJoined = expectedRaw.join(', ');
    if (actualRaw === undefined) {
      mismatches.push(
        mismatch(
          'header',
          name,
          expectedJoined,
          undefined,
          `Expected header ${name}: ${expectedJoined}, but it was missing`,
        ),
      );
      continue;
    }
    const actualJoined = actualRaw.join(', ');
    const selected = rules.rules.length > 0 ? selectRules(rules, ['$', key]) : undefined;
    if (selected) {
      let failures = applyRuleList(selected.list, expectedJoined, actualJoined, false, 'text');
      const parts = splitHeaderValues(key, actualRaw);
      if (failures.length > 0 && parts.length > 1) {
        // A rule may describe each of several values rather than the whole header.
        const perValue = parts.flatMap((p) => applyRuleList(selected.list, expectedJoined, p, false, 'text'));
        if (perValue.length === 0) failures = [];
      }
      for (const f of failures)
        mismatches.push(
          mismatch('header', name, expectedJoined, actualJoined, failureMessage(`header ${name}`, f, actualJoined)),
        );
      continue;
    }
    const e = splitHeaderValues(key, expectedRaw);
    const a = splitHeaderValues(key, actualRaw);
    const differs =
      e.length !== a.length ||
      e.some((v, i) => (PARAMETERISED.has(key) ? mediaTypeMismatch(v, a[i] as string) !== undefined : v !== a[i]));
    if (differs) {
      mismatches.push(
        mismatch(
          'header',
          name,
          expectedJoined,
          actualJoined,
          `Expected header ${name} to be ${JSON.stringify(e.join(', '))}, but got ${JSON.stringify(a.join(', '))}`,
        ),
      );
    }
  }
  return mismatches;
}
