import type { Argv, Options } from 'yargs';
import { isObject, UsageError } from '@cutover/core';

/**
 * A dotted path into a command's programmatic options (`'monolith.headers'`, `'timeoutMs'`), so a
 * table entry that names where its value goes is checked by the compiler against those options.
 */
export type OptionPath<T> = {
  [K in keyof T & string]-?: NonNullable<T[K]> extends (...args: never[]) => unknown
    ? never
    : NonNullable<T[K]> extends readonly unknown[] | string | number | boolean
      ? K
      : K | `${K}.${OptionPath<NonNullable<T[K]>>}`;
}[keyof T & string];

/**
 * One command-line option, declared once: what yargs needs to parse and document it, and where its
 * value goes in the programmatic options (`to`). An option without `to` is the command line's own
 * (a report file, publishing); the command reads it from the parsed arguments.
 */
export interface CliOption<P = object> extends AnyOption {
  /** Where the value goes; several paths for an option shared by two targets (later entries win). */
  to?: OptionPath<P> | readonly OptionPath<P>[];
}

/** What every option has, whatever programmatic options its table describes. */
export interface AnyOption {
  type: 'string' | 'number' | 'boolean';
  describe?: string;
  /** Repeatable: the values are collected in a list. Any other option given twice is refused. */
  array?: boolean;
  default?: unknown;
  choices?: readonly string[];
  demandOption?: boolean;
  nargs?: number;
  /** Parses and checks the value as yargs reads it; what it throws is a usage error naming the option. */
  coerce?: (value: never) => unknown;
  to?: string | readonly string[];
  /** Turns the parsed value into the programmatic one (`"Name: value"` lines into a header map). */
  map?: (value: never) => unknown;
  /** Merge an object value into what an earlier option set at the same path, instead of replacing it. */
  merge?: boolean;
  /** `false`: the command's own, not inherited by its subcommands (yargs declares options global). */
  global?: boolean;
}

/** A command's options by flag name, in the order `--help` lists them. */
export type OptionTable<P = object> = Record<string, CliOption<P>>;
type AnyTable = Record<string, AnyOption>;

type Parsed<O extends AnyOption> = O['coerce'] extends (value: never) => infer C
  ? C
  : O['type'] extends 'number'
    ? number
    : O['type'] extends 'boolean'
      ? boolean
      : O['choices'] extends readonly (infer C)[]
        ? C
        : string;
type Value<O extends AnyOption> = O['array'] extends true ? Parsed<O>[] : Parsed<O>;
type Known<O extends AnyOption> = O['demandOption'] extends true ? true : undefined extends O['default'] ? false : true;

/** The parsed arguments of a table: required where the option is demanded or has a default. */
export type ArgsOf<T extends AnyTable> = {
  [K in keyof T as Known<T[K]> extends true ? K : never]: Value<T[K]>;
} & {
  [K in keyof T as Known<T[K]> extends true ? never : K]?: Value<T[K]>;
};

/** What an option's `coerce` refused, kept as its value until the command reads its arguments. */
class RefusedValue {
  constructor(readonly error: unknown) {}
}

/**
 * Registers every option of `table` on a command's yargs builder. What an option's `coerce`
 * throws is raised by readArgs, not while parsing: a command's middleware (the gate clearing
 * earlier routing artifacts) runs first, so a refused value fails closed like any other error.
 */
export function declareOptions(y: Argv, table: AnyTable): Argv {
  for (const [name, option] of Object.entries(table)) {
    const { to: _to, map: _map, merge: _merge, coerce, ...declared } = option;
    const check = coerce
      ? (value: unknown) => {
          // A repeated single-valued option reaches readArgs as a list, to be refused there by name.
          if (Array.isArray(value) && !option.array) return value;
          try {
            return coerce(value as never);
          } catch (error) {
            return new RefusedValue(error);
          }
        }
      : undefined;
    y = y.option(name, { ...declared, ...(check ? { coerce: check } : {}) } as Options);
  }
  return y;
}

/**
 * The parsed arguments as the table types them. An option that takes one value and was given
 * several times is refused here: yargs would make a list of it, which would surface later as a
 * confusing error ("[a,b] is not a valid URL") or be half-used.
 */
export function readArgs<T extends AnyTable>(argv: Record<string, unknown>, table: T): ArgsOf<T> {
  for (const [name, option] of Object.entries(table)) {
    const value = argv[name];
    if (value instanceof RefusedValue) throw value.error;
    if (option.array || option.type === 'boolean' || !Array.isArray(value)) continue;
    throw new UsageError(
      `--${name} was given ${value.length} times (${value.map((v) => JSON.stringify(v)).join(', ')}); give it once`,
    );
  }
  return argv as ArgsOf<T>;
}

/**
 * The programmatic options the table's `to` entries describe, from parsed arguments: each given
 * value (after `map`) is set at its path, in table order, so a target's own option
 * (`--monolith-state-url`) listed after a shared one (`--state-url`) wins; with `merge` the two add
 * up (`--header` and `--monolith-header`).
 */
export function mapOptions<P>(args: object, table: OptionTable<P>): Partial<P> {
  const options: Record<string, unknown> = {};
  for (const [name, option] of Object.entries(table)) {
    const raw = (args as Record<string, unknown>)[name];
    if (option.to === undefined || raw === undefined) continue;
    // A boolean switch that is off (its default) says nothing: the programmatic default applies.
    if (option.type === 'boolean' && raw === false && option.default === false) continue;
    if (Array.isArray(raw) && raw.length === 0) continue;
    const value = option.map ? option.map(raw as never) : raw;
    if (value === undefined) continue;
    for (const path of typeof option.to === 'string' ? [option.to] : (option.to as readonly string[]))
      setPath(options, path, value, option.merge === true);
  }
  return options as Partial<P>;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown, merge: boolean): void {
  const keys = path.split('.');
  const last = keys.pop()!;
  let at = target;
  for (const key of keys) {
    if (!isObject(at[key])) at[key] = {};
    at = at[key] as Record<string, unknown>;
  }
  const existing = at[last];
  at[last] = merge && isObject(existing) && isObject(value) ? { ...existing, ...value } : value;
}

/**
 * Pact files as positional arguments, the Pact CLIs' habit (`cutover verify pacts/*.json …`),
 * declared the same way for every command that reads pacts.
 */
export function declarePactPositional(y: Argv): Argv {
  return y.positional('pacts', {
    type: 'string',
    array: true,
    describe: 'Pact files, folders or globs (as --pact)',
    // Not yargs' [] for a variadic positional: the help says nothing of a default.
    default: undefined,
  });
}

/** The pacts a command line names, positionally and with `--pact`, in that order. */
export function pactArgs(argv: { pacts?: unknown; pact?: unknown }): string[] {
  // With no default, yargs leaves an undefined in the list of an empty variadic positional.
  const list = (value: unknown) =>
    [value]
      .flat()
      .filter((v) => v !== undefined)
      .map(String);
  return [...list(argv.pacts), ...list(argv.pact)];
}
