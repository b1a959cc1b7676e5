import type { PathToken } from '../path.js';

/** A matcher after validation: options checked, regexes and date patterns compiled. */
export type Matcher =
  | { type: 'equality' }
  /** `test` is true when the whole value matches; it throws the coded error of a pattern that cannot be run. */
  | { type: 'regex'; source: string; test: (value: string) => boolean }
  | { type: 'type'; min?: number; max?: number }
  | { type: 'include'; value: string }
  | { type: 'integer' }
  | { type: 'decimal' }
  | { type: 'number' }
  | { type: 'boolean' }
  | { type: 'null' }
  | { type: 'date' | 'time' | 'timestamp'; format?: string; test: (value: string) => boolean }
  | { type: 'contentType'; value: string }
  | { type: 'values' }
  | { type: 'eachKey'; rules: Matcher[] }
  | { type: 'eachValue'; rules: Matcher[] }
  | { type: 'arrayContains'; variants: ArrayContainsVariant[] }
  | { type: 'notEmpty' }
  | { type: 'semver' }
  | { type: 'statusCode'; status: string | number[] };

export interface ArrayContainsVariant {
  index: number;
  /** Rules relative to the list item (`$` is the item itself). */
  rules: CompiledRules;
}

/** A compiled list of matchers at one place. */
export interface CompiledRuleList {
  combine: 'AND' | 'OR';
  matchers: Matcher[];
}

/** A compiled rule keyed by its path expression. */
export interface CompiledRule {
  expression: string;
  tokens: PathToken[];
  list: CompiledRuleList;
}

/** All the rules of one category, ready to be selected by path. */
export interface CompiledRules {
  rules: CompiledRule[];
}

/** The rule list that applies at a path, and whether it was inherited from an ancestor. */
export interface SelectedRules {
  list: CompiledRuleList;
  cascaded: boolean;
  expression: string;
}
