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
  shadow: async () => (await import('./shadow.js')).shadowCommand,
};

/**
 * What `cutover --help` says of each command, so that listing the commands loads none of them.
 * A command without a line here still works; it is loaded (with all it imports) for the listing.
 */
export const commandSummaries = {
  verify: 'Replay consumer interactions against the monolith and the candidate: pact checks, parity, noise, schema',
  gate: 'Decide per route whether traffic may shift to the candidate; write reports and routing artifacts',
  openapi: 'OpenAPI document tools',
  broker:
    'Run the contract broker (Pact Broker API; SQLite file by default, PostgreSQL with --database-url); `broker clean` deletes old versions',
  record: 'Run a recording reverse proxy in front of a service and write V4 pacts from the traffic that passes',
  shadow:
    "Mirror live traffic to the candidate (a proxy in front of the monolith, or the gateway's mirror) and compare its answers with the monolith's",
} satisfies Record<string, string>;

/**
 * The commands a command line needs: the ones it names (a word that is a command's name, wherever
 * it stands, so an option value never hides the command), or else, for `--help`, a missing or an
 * unknown command, every command as a summary that yargs can list or suggest.
 */
export async function loadCommands(argv: readonly string[]): Promise<CommandModule[]> {
  const named = Object.keys(commandLoaders).filter((name) => argv.includes(name));
  if (named.length > 0) return Promise.all(named.map((name) => commandLoaders[name]!()));
  return Promise.all(
    Object.entries(commandLoaders).map(([name, load]) => {
      const summary = (commandSummaries as Record<string, string | undefined>)[name];
      return summary === undefined ? load() : summaryOnly(name, summary);
    }),
  );
}

/** Stands in for a command that the command line does not name: listed and suggested, never run. */
function summaryOnly(name: string, summary: string): CommandModule {
  return (yargs) =>
    yargs.command(name, summary, {}, () => {
      throw new Error(`cutover: the ${name} command was run without being loaded`);
    });
}
