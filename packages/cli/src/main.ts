import yargs from 'yargs';
import { describeError, isCutoverError } from '@cutover/core';
import { commands } from './commands/index.js';
import type { CliIo, CommandOutcome } from './context.js';
import { ExitCode, exitCodeFor } from './exit-codes.js';

export type { CliIo } from './context.js';
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
    .usage('$0 <command> [options]\n\nProve that an extracted service behaves like the monolith before traffic shifts.')
    .strict()
    .demandCommand(1, 'Name a command: see `cutover --help`.')
    .recommendCommands()
    .wrap(Math.min(120, (fullIo.stdout as { columns?: number }).columns ?? 100))
    .exitProcess(false)
    .showHelpOnFail(false);
  for (const register of commands) parser = register(parser, fullIo, outcome);

  let usageError: string | undefined;
  parser = parser.fail((message, error) => {
    if (error) throw error;
    usageError = message;
  });
  try {
    let helpText = '';
    await parser.parseAsync(argv, {}, (err, _argv, output) => {
      if (err && usageError === undefined) usageError = err.message;
      helpText = output;
    });
    if (usageError !== undefined) {
      fullIo.stderr.write(`cutover: ${usageError}\nRun \`cutover --help\` for usage.\n`);
      return ExitCode.Error;
    }
    if (helpText) fullIo.stdout.write(helpText + '\n');
    return outcome.exitCode;
  } catch (error) {
    const { code, message } = describeError(error);
    fullIo.stderr.write(`cutover: ${code ? `[${code}] ` : ''}${message}\n`);
    if (!isCutoverError(error) && error instanceof Error && error.stack && fullIo.env.CUTOVER_DEBUG) {
      fullIo.stderr.write(error.stack + '\n');
    }
    return exitCodeFor(error);
  }
}
