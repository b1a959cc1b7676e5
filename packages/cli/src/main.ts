import { createRequire } from 'node:module';
import yargs from 'yargs';
// The narrow entry points keep the rest of core (and its parsers) out of what `--help` loads.
import { UsageError, describeError, isCutoverError } from '@cutover/core/errors';
import { visibleControls } from '@cutover/core/text';
import { loadCommands } from './commands/index.js';
import type { CliIo, CommandOutcome } from './context.js';
import { ExitCode } from './exit-codes.js';

export type { CliIo } from './context.js';

// Both src/ (tests) and dist/ (installed) sit one level below the package's package.json.
const { version } = createRequire(import.meta.url)('../package.json') as { version: string };
export { ExitCode } from './exit-codes.js';

/**
 * Runs the cutover command line and resolves to its exit code; never calls `process.exit`.
 *
 * @example
 * const code = await runCli(['verify', '--pact', 'pacts/', '--monolith', 'http://localhost:8080']);
 */
export async function runCli(argv: string[], io: Partial<CliIo> = {}): Promise<number> {
  const fullIo: CliIo = {
    stdout: io.stdout ?? process.stdout,
    stderr: io.stderr ?? process.stderr,
    cwd: io.cwd ?? process.cwd(),
    env: io.env ?? process.env,
  };
  const outcome: CommandOutcome = { exitCode: ExitCode.Ok };
  let parser = yargs(argv)
    .scriptName('cutover')
    .version(version)
    .usage('$0 <command> [options]\n\nProve that an extracted service behaves like the monolith before traffic shifts.')
    .strict()
    .demandCommand(1, 'Name a command: see `cutover --help`.')
    .recommendCommands()
    .wrap(Math.min(120, (fullIo.stdout as { columns?: number }).columns ?? 100))
    .exitProcess(false)
    .showHelpOnFail(false);
  for (const register of await loadCommands(argv)) parser = register(parser, fullIo, outcome);

  // A fail handler that returns lets yargs go on and run the command; it must throw to stop.
  parser = parser.fail((message, error) => {
    // yargs rewraps what an option's coerce throws (a range check) as a bare YError: a usage error.
    if (error?.name === 'YError') throw new UsageError(error.message);
    throw error ?? new UsageError(`${message}\nRun \`cutover --help\` for usage.`);
  });
  try {
    let helpText = '';
    await parser.parseAsync(argv, {}, (_err, _argv, output) => {
      helpText = output;
    });
    if (helpText) fullIo.stdout.write(helpText + '\n');
    return outcome.exitCode;
  } catch (error) {
    const { code, message } = describeError(error);
    // Messages quote pacts, documents and answers: their control characters must not reach the terminal.
    fullIo.stderr.write(`cutover: ${code ? `[${code}] ` : ''}${visibleControls(message, { keepNewlines: true })}\n`);
    if (!isCutoverError(error) && error instanceof Error && error.stack && fullIo.env.CUTOVER_DEBUG) {
      fullIo.stderr.write(error.stack + '\n');
    }
    // Anything thrown is a usage, configuration or tool error; judged failures return 1 themselves.
    return ExitCode.Error;
  }
}
