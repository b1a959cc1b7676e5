import { loadPact, resolvePactFiles, UsageError } from '@cutover/core';
import { checkPacts, renderConsole, renderJson, renderJunit, renderMarkdown, loadOpenApi } from '@cutover/openapi';
import type { LoadOpenApiOptions } from '@cutover/openapi';
import { ExitCode } from '../exit-codes.js';
import { declareOptions, declarePactPositional, mapOptions, pactArgs, readArgs, type OptionTable } from '../options.js';
import { writeReport } from '../output.js';
import { commandSummaries, type CommandModule } from './index.js';
import { openapiRefOptions } from './openapi-refs.js';

/** Every `cutover openapi check` option; `to` says which loadOpenApi option it sets. */
export const openapiCheckOptionTable = {
  openapi: {
    type: 'string',
    demandOption: true,
    describe: 'OpenAPI 3.0/3.1 document (file or URL)',
  },
  ...openapiRefOptions<LoadOpenApiOptions>(),
  pact: {
    type: 'string',
    array: true,
    describe: 'Pact files, folders or globs (or give them as arguments)',
  },
  'base-path': {
    type: 'string',
    describe: "Base path to use instead of the document's servers (gw, /gw and /gw/ are the same)",
    to: 'basePath',
  },
  json: { type: 'string', nargs: 1, describe: 'Write the report as JSON here ("-" for stdout)' },
  junit: { type: 'string', describe: 'Write JUnit XML here' },
  markdown: { type: 'string', describe: 'Write a Markdown summary here' },
} as const satisfies OptionTable<LoadOpenApiOptions>;

/**
 * `cutover openapi check`: checks pacts against the OpenAPI document without running anything.
 * Exit 0 when no errors were found (warnings allowed), 1 when errors were found, 2 on bad input
 * (unreadable or invalid document or pact, no pact file found, unwritable output).
 */
export const openapiCheckCommand: CommandModule = (yargs, io, outcome) =>
  yargs.command('openapi', commandSummaries.openapi, (openapi) =>
    openapi
      .command(
        'check [pacts..]',
        'Check pacts against the OpenAPI document: operations, parameters, bodies, statuses, undeclared fields, coverage',
        (y) =>
          declareOptions(declarePactPositional(y), openapiCheckOptionTable)
            .example('$0 openapi check --openapi contracts/openapi/logistics.yaml contracts/pacts/', '')
            .example('$0 openapi check --openapi contracts/openapi/logistics.yaml --pact contracts/pacts/', ''),
        async (argv) => {
          const args = readArgs(argv, openapiCheckOptionTable);
          const pactSources = pactArgs(args);
          if (pactSources.length === 0)
            throw new UsageError('name the pacts to check: as arguments or with --pact (files, folders or globs)');
          const doc = await loadOpenApi(args.openapi, {
            baseDir: io.cwd,
            ...mapOptions(args, openapiCheckOptionTable),
          });
          const files = await resolvePactFiles(pactSources, io.cwd);
          const pacts = [];
          for (const file of files) pacts.push(await loadPact(file));
          const report = checkPacts(doc, pacts);
          // With `--json -` stdout carries the JSON only; the readable report moves to stderr.
          (args.json === '-' ? io.stderr : io.stdout).write(renderConsole(report));
          if (args.json !== undefined) await writeReport(args.json, io, renderJson(report));
          if (args.junit !== undefined) await writeReport(args.junit, io, renderJunit(report));
          if (args.markdown !== undefined) await writeReport(args.markdown, io, renderMarkdown(report));
          outcome.exitCode = report.summary.ok ? ExitCode.Ok : ExitCode.Failed;
        },
      )
      .demandCommand(1, 'Name an openapi command: check'),
  );
