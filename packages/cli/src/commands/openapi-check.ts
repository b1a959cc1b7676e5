import { loadPact, resolvePactFiles } from '@cutover/core';
import {
  checkPacts,
  formatConsoleReport,
  formatJsonReport,
  formatJUnitReport,
  formatMarkdownReport,
  loadOpenApi,
} from '@cutover/openapi';
import { ExitCode } from '../exit-codes.js';
import { writeReport } from '../output.js';
import { commandSummaries, type CommandModule } from './index.js';
import { openapiRefArgs, openapiRefOptions } from './openapi-refs.js';

interface OpenApiCheckArgs {
  openapi: string;
  pact: string[];
  'base-path'?: string;
  json?: string;
  junit?: string;
  markdown?: string;
}

/**
 * `cutover openapi check`: checks pacts against the OpenAPI document without running anything.
 * Exit 0 when no errors were found (warnings allowed), 1 when errors were found, 2 on bad input
 * (unreadable or invalid document or pact, no pact file found, unwritable output).
 */
export const openapiCheckCommand: CommandModule = (yargs, io, outcome) =>
  yargs.command('openapi', commandSummaries.openapi, (openapi) =>
    openapi
      .command(
        'check',
        'Check pacts against the OpenAPI document: operations, parameters, bodies, statuses, undeclared fields, coverage',
        (y) =>
          y
            .option('openapi', {
              type: 'string',
              demandOption: true,
              describe: 'OpenAPI 3.0/3.1 document (file or URL)',
            })
            .options(openapiRefOptions)
            .option('pact', {
              type: 'string',
              array: true,
              demandOption: true,
              describe: 'Pact files, folders or globs',
            })
            .option('base-path', {
              type: 'string',
              describe: "Base path to use instead of the document's servers (gw, /gw and /gw/ are the same)",
            })
            .option('json', { type: 'string', nargs: 1, describe: 'Write the report as JSON here ("-" for stdout)' })
            .option('junit', { type: 'string', describe: 'Write JUnit XML here' })
            .option('markdown', { type: 'string', describe: 'Write a Markdown summary here' })
            .example('$0 openapi check --openapi contracts/openapi/logistics.yaml --pact contracts/pacts/', ''),
        async (args) => {
          const options = args as unknown as OpenApiCheckArgs;
          const doc = await loadOpenApi(options.openapi, {
            baseDir: io.cwd,
            ...openapiRefArgs(args),
            ...(options['base-path'] === undefined ? {} : { basePath: options['base-path'] }),
          });
          const files = await resolvePactFiles(options.pact, io.cwd);
          const pacts = [];
          for (const file of files) pacts.push(await loadPact(file));
          const report = checkPacts(doc, pacts);
          // With `--json -` stdout carries the JSON only; the readable report moves to stderr.
          (options.json === '-' ? io.stderr : io.stdout).write(formatConsoleReport(report));
          if (options.json !== undefined) await writeReport(options.json, io, formatJsonReport(report));
          if (options.junit !== undefined) await writeReport(options.junit, io, formatJUnitReport(report));
          if (options.markdown !== undefined) await writeReport(options.markdown, io, formatMarkdownReport(report));
          outcome.exitCode = report.summary.ok ? ExitCode.Ok : ExitCode.Failed;
        },
      )
      .demandCommand(1, 'Name an openapi command: check'),
  );
