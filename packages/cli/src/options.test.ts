import yargs from 'yargs';
import { describe, expect, it } from 'vitest';
import { UsageError } from '@cutover/core';
import { declareOptions, declarePactPositional, mapOptions, pactArgs, readArgs, type OptionTable } from './options.js';

interface Programmatic {
  url?: string;
  timeoutMs?: number;
  verbose?: boolean;
  target?: { headers?: Record<string, string>; name?: string };
  other?: { name?: string };
}

const table = {
  url: { type: 'string', describe: 'Where to go', to: 'url' },
  timeout: {
    type: 'number',
    to: 'timeoutMs',
    coerce: (value: number): number => {
      if (value <= 0) throw new UsageError(`--timeout must be positive, got ${value}`);
      return value;
    },
  },
  verbose: { type: 'boolean', default: false, to: 'verbose' },
  name: { type: 'string', to: ['target.name', 'other.name'] },
  'target-name': { type: 'string', to: 'target.name' },
  header: {
    type: 'string',
    array: true,
    to: 'target.headers',
    map: (values: string[]) => Object.fromEntries(values.map((v) => v.split(':'))),
    merge: true,
  },
  'extra-header': {
    type: 'string',
    array: true,
    to: 'target.headers',
    map: (values: string[]) => Object.fromEntries(values.map((v) => v.split(':'))),
    merge: true,
  },
  report: { type: 'string', describe: 'The command line’s own: no programmatic option' },
} as const satisfies OptionTable<Programmatic>;

/** Parses `argv` with the table the way a command does, middleware included. */
function parse(argv: string[], onMiddleware: () => void = () => {}): Record<string, unknown> {
  return declareOptions(yargs(), table)
    .middleware(onMiddleware, true)
    .strict()
    .exitProcess(false)
    .fail((message, error) => {
      throw error ?? new Error(message);
    })
    .parseSync(argv);
}

describe('declareOptions + readArgs', () => {
  it('declares each option for --help with its description', async () => {
    const help = await declareOptions(yargs(), table).getHelp();
    expect(help).toMatch(/--url\s+Where to go\s+\[string\]/);
    expect(help).toMatch(/--verbose\s+\[boolean\] \[default: false\]/);
  });

  it('refuses a single-valued option given twice, naming it and its values', () => {
    const argv = parse(['--url', 'a', '--url', 'b']);
    expect(() => readArgs(argv, table)).toThrow(new UsageError('--url was given 2 times ("a", "b"); give it once'));
  });

  it('keeps every value of a repeatable option', () => {
    expect(readArgs(parse(['--header', 'a:1', '--header', 'b:2']), table).header).toEqual(['a:1', 'b:2']);
  });

  it("raises what an option's coerce refuses when the command reads its arguments, after the middleware ran", () => {
    const order: string[] = [];
    const argv = parse(['--timeout', '0'], () => order.push('middleware'));
    expect(order).toEqual(['middleware']);
    expect(() => readArgs(argv, table)).toThrow(new UsageError('--timeout must be positive, got 0'));
  });

  it('gives the coerced value when coerce accepts it', () => {
    expect(readArgs(parse(['--timeout', '5']), table).timeout).toBe(5);
  });
});

describe('mapOptions', () => {
  it('sets each given value at its path, leaving out what was not given and the command line’s own options', () => {
    const args = readArgs(parse(['--url', 'http://x', '--timeout', '5', '--report', 'r.md']), table);
    expect(mapOptions(args, table)).toEqual({ url: 'http://x', timeoutMs: 5 });
  });

  it('leaves out a boolean switch that is off by default, and sets it when on', () => {
    expect(mapOptions(readArgs(parse([]), table), table)).toEqual({});
    expect(mapOptions(readArgs(parse(['--verbose']), table), table)).toEqual({ verbose: true });
  });

  it('sets a shared option at every path, and a later, more specific option wins', () => {
    const shared = readArgs(parse(['--name', 'both']), table);
    expect(mapOptions(shared, table)).toEqual({ target: { name: 'both' }, other: { name: 'both' } });
    const specific = readArgs(parse(['--target-name', 'mine', '--name', 'both']), table);
    expect(mapOptions(specific, table)).toEqual({ target: { name: 'mine' }, other: { name: 'both' } });
  });

  it('merges object values of options marked merge, the later winning per key', () => {
    const args = readArgs(parse(['--header', 'a:1', '--header', 'b:2', '--extra-header', 'b:3']), table);
    expect(mapOptions(args, table)).toEqual({ target: { headers: { a: '1', b: '3' } } });
  });
});

describe('pact files as arguments', () => {
  it('reads positional pacts first, then --pact', () => {
    const argv = yargs()
      .command('verify [pacts..]', '', (y) => declarePactPositional(y).option('pact', { type: 'string', array: true }))
      .parseSync(['verify', 'a.json', 'b/', '--pact', 'c/*.json']);
    expect(pactArgs(argv as { pacts?: unknown; pact?: unknown })).toEqual(['a.json', 'b/', 'c/*.json']);
  });

  it('gives no pact when none is named', () => {
    const argv = yargs()
      .command('verify [pacts..]', '', (y) => declarePactPositional(y))
      .parseSync(['verify']);
    expect(pactArgs(argv as { pacts?: unknown })).toEqual([]);
  });
});
