import type { Argv } from 'yargs';
import type { CliIo, CommandOutcome } from '../context.js';

/**
 * A command module registers itself on yargs and reports its exit code through `outcome`.
 * Each command lives in its own file and is a thin layer over a package's programmatic API.
 */
export type CommandModule = (yargs: Argv, io: CliIo, outcome: CommandOutcome) => Argv;

/**
 * Commands by name, loaded on demand: a run of `cutover verify` does not pay (in start-up time and
 * memory) for the gate's and the OpenAPI checker's packages. One line per command.
 */
export const commandLoaders: Record<string, () => Promise<CommandModule>> = {
  verify: async () => (await import('./verify.js')).verifyCommand,
  gate: async () => (await import('./gate.js')).gateCommand,
  openapi: async () => (await import('./openapi-check.js')).openapiCheckCommand,
  broker: async () => (await import('./broker.js')).brokerCommand,
  record: async () => (await import('./record.js')).recordCommand,
};

/**
 * The commands a command line needs: only the one it names, or all of them (for `--help`, a
 * missing or unknown command, so that yargs can list or suggest them).
 */
export async function loadCommands(argv: readonly string[]): Promise<CommandModule[]> {
  const name = argv.find((arg) => !arg.startsWith('-'));
  const loader = name === undefined ? undefined : commandLoaders[name];
  if (loader) return [await loader()];
  return Promise.all(Object.values(commandLoaders).map((load) => load()));
}
