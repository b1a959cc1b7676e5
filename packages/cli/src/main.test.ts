import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from './main.js';

async function run(argv: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const code = await runCli(argv, { stdout, stderr });
  return { code, out, err };
}

describe('cutover (the command line)', () => {
  it('prints help listing every command and exits 0', async () => {
    const { code, out } = await run(['--help']);
    expect(code).toBe(0);
    expect(out).toMatch(/cutover verify/);
    expect(out).toMatch(/cutover gate/);
  });

  it('exits 2 with a usage message when no command is given', async () => {
    const { code, err } = await run([]);
    expect(code).toBe(2);
    expect(err).toMatch(/\[CUTOVER_USAGE\] Name a command/);
  });

  it('exits 2 naming an unknown command or option', async () => {
    const unknownCommand = await run(['frobnicate']);
    expect(unknownCommand.code).toBe(2);
    expect(unknownCommand.err).toMatch(/frobnicate/);
    const unknownOption = await run(['verify', '--bogus-flag', 'x']);
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.err).toMatch(/bogus-flag/);
  });

  it('prints an error quoting outside text with its control characters shown and URL credentials hidden', async () => {
    const policy = await run(['gate', '--policy', 'no-such\u001b[2J\u0007.yaml', '--results', 'r.json']);
    expect(policy.code).toBe(2);
    expect(policy.err).toContain('no-such\\u001b[2J\\u0007.yaml: cannot read the policy file');
    for (const c of ['\u001b', '\u0007']) expect(policy.err).not.toContain(c);
    const pacts = fileURLToPath(new URL('../../../contracts/pacts', import.meta.url));
    const target = await run(['verify', '--pact', pacts, '--monolith', 'ftp://ci:hunter2@host/']);
    expect(target.code).toBe(2);
    expect(target.err).toContain('ftp://***:***@host/');
    expect(target.err).not.toContain('hunter2');
  });
});

describe('command loading', () => {
  it('loads only the named command, so verify does not load the gate', async () => {
    const { loadCommands, commandLoaders } = await import('./commands/index.js');
    expect(await loadCommands(['verify', '--pact', 'x'])).toEqual([await commandLoaders.verify!()]);
  });

  it('finds the command wherever it stands, so an option before it cannot turn the run into a no-op', async () => {
    const { loadCommands, commandLoaders } = await import('./commands/index.js');
    expect(await loadCommands(['--pact', 'x', 'gate'])).toEqual([await commandLoaders.gate!()]);
  });

  it('lists and suggests commands from their summaries, loading none of them', async () => {
    const { loadCommands, commandLoaders } = await import('./commands/index.js');
    const loaded = await Promise.all(Object.values(commandLoaders).map((load) => load()));
    for (const argv of [['--help'], ['frobnicate'], []]) {
      const modules = await loadCommands(argv);
      expect(modules).toHaveLength(loaded.length);
      for (const module of modules) expect(loaded).not.toContain(module);
    }
  });

  it('has a help summary for every command (without one, --help loads the command with all it imports)', async () => {
    const { commandSummaries, commandLoaders } = await import('./commands/index.js');
    expect(Object.keys(commandSummaries).sort()).toEqual(Object.keys(commandLoaders).sort());
  });

  it('never runs a listed command that was not loaded', async () => {
    const { code, err } = await run(['--pact', 'x']);
    expect(code).toBe(2);
    expect(err).toMatch(/Name a command/);
  });
});

describe('help text', () => {
  // yargs renders a command's help before running it; a non-ASCII character sends the width
  // computation through Intl.Segmenter, which cost verify a quarter of a second at start-up.
  it.each(['verify', 'gate', 'openapi check'])(
    'of %s is plain ASCII, so running the command does not pay for Unicode width',
    async (command) => {
      const { code, out } = await run([...command.split(' '), '--help']);
      expect(code).toBe(0);
      expect(out.match(/[^\x20-\x7e\n]/g) ?? []).toEqual([]);
    },
  );
});
