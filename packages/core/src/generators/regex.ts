import type RandExp from 'randexp';
import { compilePactRegex, RegexIssue, searchPactRegex } from '../regex/index.js';
import { rubyToRe2 } from '../regex/translate.js';
import { lazyRequire } from '../lazy-require.js';

// Loaded for the first Regex generator: most pacts have none.
const loadRandExp = lazyRequire<typeof RandExp>('randexp');

/**
 * The longest value a random generator may produce (`RandomString` size, `RandomHexadecimal`
 * digits, the longest text a `Regex` pattern can give): pacts are untrusted input.
 */
export const MAX_GENERATED_LENGTH = 10_000;
/** Repeats without an upper bound (`*`, `+`, `{n,}`) draw at most this many more. */
const OPEN_REPEAT = 10;
const ATTEMPTS = 20;

interface Token {
  type: number;
  options?: Token[][];
  stack?: Token[];
  min?: number;
  max?: number;
  value?: Token;
}

// randexp's token types (from its parser, `ret`).
const ROOT = 0;
const GROUP = 1;
const POSITION = 2;
const REPETITION = 5;

/** The longest text randexp can draw from its tokens, so that a pattern cannot make it run away. */
function lengthBound(token: Token): number {
  switch (token.type) {
    case ROOT:
    case GROUP: {
      const branches = token.options ?? [token.stack ?? []];
      let longest = 0;
      for (const branch of branches)
        longest = Math.max(
          longest,
          branch.reduce((n, t) => n + lengthBound(t), 0),
        );
      return longest;
    }
    case REPETITION: {
      const min = token.min ?? 0;
      const max = token.max === undefined || token.max === Infinity ? min + OPEN_REPEAT : token.max;
      return max === 0 ? 0 : max * lengthBound(token.value ?? { type: POSITION });
    }
    case POSITION:
      return 0;
    default:
      return 1;
  }
}

// Stand-ins for Unicode categories, enough to draw candidates that the real engine then checks.
const CATEGORY_SAMPLES: Record<string, string> = { Nd: '0-9', Lu: 'A-Z', Ll: 'a-z', Zs: ' ', Cc: '\\x00-\\x1f' };

/**
 * The translated (RE2) pattern in the JavaScript syntax randexp reads. Escapes are consumed pair
 * by pair, so a literal `\\x{` or `\\(` is never taken for a construct.
 */
function randexpSyntax(re2: string): string {
  return re2.replace(
    /\\x\{([0-9a-fA-F]+)\}|\\([pP])\{(\w+)\}|\\A|\\z|\\.|\(\?s?m:([\^$])\)|\(\?[a-z]*(?:-[a-z]*)?(:|\))/gs,
    (whole, hex?: string, p?: string, category?: string, anchor?: string, flagEnd?: string) => {
      if (hex !== undefined) {
        const cp = parseInt(hex, 16);
        return cp <= 0xffff ? `\\u${hex.padStart(4, '0')}` : String.fromCodePoint(cp);
      }
      if (category !== undefined) return p === 'p' ? (CATEGORY_SAMPLES[category] ?? 'a-zA-Z') : '!-/';
      if (whole === '\\A') return '^';
      if (whole === '\\z') return '$';
      if (anchor !== undefined) return anchor;
      if (flagEnd !== undefined) return flagEnd === ':' ? '(?:' : '';
      return whole;
    },
  );
}

/**
 * A value the pact regex matches as the reference verifier reads it (Ruby/Oniguruma syntax, whole
 * value), or an `Error` saying why none can be produced. randexp draws candidates; each is checked
 * by the linear-time engine, so a pattern randexp reads differently never yields a wrong value.
 */
export function generateFromRegex(pattern: string): string | Error {
  let regex;
  try {
    regex = compilePactRegex(pattern);
  } catch (issue) {
    if (issue instanceof RegexIssue)
      return new Error(
        `regex ${JSON.stringify(pattern)} cannot be run: ${issue.reason} (${JSON.stringify(issue.construct)} at offset ${issue.at})`,
        { cause: issue },
      );
    throw issue;
  }
  let generator: RandExp;
  try {
    generator = new (loadRandExp())(randexpSyntax(rubyToRe2(pattern)));
  } catch (cause) {
    return new Error(`no value can be generated from regex ${JSON.stringify(pattern)}: ${(cause as Error).message}`, {
      cause,
    });
  }
  generator.max = OPEN_REPEAT;
  const bound = lengthBound((generator as unknown as { tokens: Token }).tokens);
  if (bound > MAX_GENERATED_LENGTH) {
    return new Error(
      `regex ${JSON.stringify(pattern)} can generate values of up to ${bound} characters (the limit is ${MAX_GENERATED_LENGTH})`,
    );
  }
  for (let i = 0; i < ATTEMPTS; i++) {
    const value = generator.gen();
    if (regex.matches(value)) return value;
  }
  return new Error(
    `no value generated from regex ${JSON.stringify(pattern)} matches it as the Pact reference verifier reads it (Ruby/Oniguruma syntax)`,
  );
}

/** Group 1 of the first match of a pact regex in `example` (`MockServerURL`), '' when absent. */
export function firstGroup(pattern: string, example: string): string | Error {
  try {
    return searchPactRegex(pattern, example)?.[1] ?? '';
  } catch (issue) {
    if (issue instanceof RegexIssue)
      return new Error(
        `regex ${JSON.stringify(pattern)} cannot be run: ${issue.reason} (${JSON.stringify(issue.construct)} at offset ${issue.at})`,
        { cause: issue },
      );
    throw issue;
  }
}
