import { RE2JS } from 're2js';
import { RegexIssue } from './syntax.js';
import { ecmaToRe2, rubyToRe2 } from './translate.js';

export { RegexIssue } from './syntax.js';

/**
 * A pact regex, compiled for a linear-time engine (RE2 semantics, via re2js): no pattern can make
 * a match run longer than linear in the value's length.
 */
export interface PactRegex {
  readonly source: string;
  /** True when the whole value matches, as pact-reference's `Regex::is_match` (Oniguruma, whole string) decides. */
  matches(value: string): boolean;
}

/** A JSON Schema / OpenAPI `pattern`: ECMA-262 syntax, found anywhere in the value. */
export interface SchemaPattern {
  readonly source: string;
  test(value: string): boolean;
}

function compileRe2(source: string, re2: string, flags = 0): RE2JS {
  try {
    return RE2JS.compile(re2, flags);
  } catch (cause) {
    // What is left after translation is RE2's own limits (repeat counts over 1000, program size).
    throw new RegexIssue(
      'unsupported',
      source,
      `a construct beyond the engine's limits (${(cause as Error).message})`,
      0,
      source,
    );
  }
}

const pactCache = new Map<string, PactRegex | RegexIssue>();

/**
 * Compiles a pact matcher's regex in the dialect pact-reference reads (Ruby/Oniguruma syntax).
 * Throws {@link RegexIssue}: `invalid` when the reference verifier refuses the pattern too,
 * `unsupported` when it is valid there but needs backtracking (backreferences, lookaround...).
 *
 * @example
 * compilePactRegex('(?-mix:application\\/hal\\+json.*)').matches('application/hal+json') // true
 */
export function compilePactRegex(source: string): PactRegex {
  let compiled = pactCache.get(source);
  if (compiled === undefined) {
    try {
      const re = compileRe2(source, rubyToRe2(source));
      compiled = { source, matches: (value) => re.matches(value) };
    } catch (e) {
      if (!(e instanceof RegexIssue)) throw e;
      compiled = e;
    }
    // Pacts repeat the same few patterns; the cache is bounded so hostile input cannot grow it.
    if (pactCache.size > 1000) pactCache.clear();
    pactCache.set(source, compiled);
  }
  if (compiled instanceof RegexIssue) throw compiled;
  return compiled;
}

/**
 * The groups of the first match of a Ruby/Oniguruma pattern anywhere in the value (index 0 is the
 * whole match), or undefined when it does not match. Throws {@link RegexIssue}.
 */
export function searchPactRegex(source: string, value: string): (string | undefined)[] | undefined {
  const re = compileRe2(source, rubyToRe2(source, { captures: true }));
  const m = re.matcher(value);
  if (!m.find()) return undefined;
  const groups: (string | undefined)[] = [];
  for (let i = 0; i <= re.groupCount(); i++) groups.push(m.group(i) ?? undefined);
  return groups;
}

/**
 * Compiles an OpenAPI / JSON Schema `pattern` (ECMA-262 syntax, unanchored) for the linear-time
 * engine. Throws {@link RegexIssue} for what RE2 cannot run (lookaround, backreferences).
 */
export function compileSchemaPattern(source: string): SchemaPattern {
  try {
    // Only compiled, never run: V8 parses in linear time; matching is what can backtrack.
    new RegExp(source);
  } catch (cause) {
    throw new RegexIssue('invalid', source, (cause as Error).message, 0, source);
  }
  const re = compileRe2(source, ecmaToRe2(source));
  return { source, test: (value) => re.test(value) };
}

/** A compiled pattern that reports its groups, like `RegExp#exec` (index 0 is the whole match). */
export interface GroupPattern {
  exec(value: string): string[] | null;
}

/**
 * Compiles a pattern cutover assembles itself around untrusted text (escaped literals, `(.+)`
 * groups, `^`/`$`, no lookaround) for the linear-time engine: several greedy groups in a row
 * backtrack polynomially in V8 (`^(.+)(.+)…(.+)x$`), here they cost linear time.
 */
export function compileGroupPattern(source: string): GroupPattern {
  const re = RE2JS.compile(source);
  return {
    exec(value) {
      const m = re.matcher(value);
      if (!m.find()) return null;
      const groups: string[] = [];
      for (let i = 0; i <= re.groupCount(); i++) groups.push(m.group(i) ?? '');
      return groups;
    },
  };
}
