import { resolve } from 'node:path';
import { UsageError } from '@cutover/core';
import {
  clearRoutingArtifacts,
  forceWeightProblem,
  GATEWAYS,
  renderConsole,
  renderJson,
  renderJunit,
  renderMarkdown,
  runGate,
  versionProblem,
  writeRoutingArtifacts,
  type RunGateOptions,
} from '@cutover/gate';
import { resolveBrokerConnection } from '@cutover/broker-client';
import { commandSummaries, type CommandModule } from './index.js';
import { brokerCredentialOptions, brokerFlags, brokerUrlOption } from './broker-options.js';
import { openapiRefOptions } from './openapi-refs.js';
import { ExitCode } from '../exit-codes.js';
import { declareOptions, declarePactPositional, mapOptions, pactArgs, readArgs, type OptionTable } from '../options.js';
import { writeReport } from '../output.js';

/** Every `cutover gate` option; `to` says which runGate option it sets. */
export const gateOptionTable = {
  policy: {
    type: 'string',
    demandOption: true,
    describe: 'Gate policy file (YAML), e.g. contracts/cutover.yaml',
    to: 'policy',
  },
  results: {
    type: 'string',
    array: true,
    describe: '`cutover verify --json` results file(s)',
    to: 'resultsFiles',
  },
  shadow: {
    type: 'string',
    array: true,
    describe:
      "`cutover shadow` evidence file(s), for routes whose policy requires shadow evidence (default: the broker's latest run)",
    to: 'shadowFiles',
  },
  ...brokerUrlOption('Pact Broker to read evidence from (and record the decision in)'),
  provider: {
    type: 'string',
    describe: 'Pact provider name for broker evidence (default: the policy\'s "provider")',
    to: 'broker.provider',
  },
  'candidate-version': {
    type: 'string',
    describe: 'Candidate version being shifted to; evidence for any other version blocks',
    to: 'candidateVersion',
    coerce: (value: string): string => {
      const problem = versionProblem(value);
      if (problem) throw new UsageError(`--candidate-version ${problem}`);
      return value;
    },
  },
  ...brokerCredentialOptions,
  openapi: {
    type: 'string',
    describe: 'OpenAPI document: unknown routes are refused, and documented operations must be exercised',
    to: 'openapi',
  },
  ...openapiRefOptions<RunGateOptions>(),
  pact: {
    type: 'string',
    array: true,
    describe:
      'Current pact files, folders or globs (or give them as arguments): evidence must have verified exactly this content, with a result for every request under a route',
  },
  route: { type: 'string', array: true, describe: 'Decide only these policy routes (by name)', to: 'routes' },
  json: { type: 'string', describe: 'Write the decision as JSON to this file' },
  markdown: { type: 'string', describe: 'Write a Markdown report (PR comment) to this file' },
  junit: { type: 'string', describe: 'Write a JUnit XML report to this file' },
  'routing-out': {
    type: 'string',
    describe: 'Directory for the routing artifact (written only when allowed)',
  },
  gateway: {
    type: 'string',
    array: true,
    choices: GATEWAYS,
    default: ['json'],
    describe: 'Routing artifact format(s)',
  },
  'force-weight': {
    type: 'number',
    describe: 'Move allowed routes to this weight instead of the next rollout step',
    to: 'force',
    coerce: (value: number): number => {
      const problem = forceWeightProblem(value);
      if (problem) throw new UsageError(`--force-weight ${problem}`);
      return value;
    },
  },
  record: {
    type: 'boolean',
    default: true,
    describe: 'Record the decision in the broker when one is configured (--no-record to skip)',
    to: 'broker.record',
  },
} as const satisfies OptionTable<RunGateOptions>;

/**
 * `cutover gate`: decides, per route, whether traffic may move to the candidate; writes reports
 * and, when allowed, the routing artifact for the next rollout step. Exit 0 allowed, 1 blocked,
 * 2 error (an unreachable broker is an error; it also blocks).
 */
export const gateCommand: CommandModule = (yargs, io, outcome) => {
  const removedEarlier: string[] = [];
  return yargs.command(
    'gate [pacts..]',
    commandSummaries.gate,
    (y) =>
      declareOptions(declarePactPositional(y), gateOptionTable)
        // Fail closed: whatever happens next (block, error, even a refused option), no artifact of an
        // earlier run survives; only an allowed run writes new ones. Before validation for that reason.
        .middleware((argv) => {
          // Every folder named, even when --routing-out is refused for being given twice.
          for (const out of [argv['routing-out']].flat())
            if (typeof out === 'string' && out !== '')
              removedEarlier.push(...clearRoutingArtifacts(resolve(io.cwd, out)));
        }, true),
    async (argv) => {
      const out = argv['routing-out'];
      const routingDir = typeof out === 'string' && out !== '' ? resolve(io.cwd, out) : undefined;
      try {
        const args = readArgs(argv, gateOptionTable);
        const { url: brokerUrl, auth } = resolveBrokerConnection(brokerFlags(args), io.env);
        const { broker, ...options } = mapOptions(args, gateOptionTable);
        const pacts = pactArgs(args);
        const run = await runGate({
          ...options,
          policy: args.policy,
          ...(pacts.length > 0 ? { pacts } : {}),
          ...(brokerUrl ? { broker: { ...broker, url: brokerUrl, ...(auth ? { auth } : {}) } } : {}),
          cwd: io.cwd,
        });
        const { decision } = run;

        if (args.json) await writeReport(args.json, io, renderJson(decision));
        if (args.markdown) await writeReport(args.markdown, io, renderMarkdown(decision));
        if (args.junit) await writeReport(args.junit, io, renderJunit(decision));

        // Last: a report that cannot be written fails the run before anything could move traffic.
        const notes: string[] = [];
        if (routingDir) {
          for (const artifact of await writeRoutingArtifacts(decision, routingDir, args.gateway))
            notes.push(`wrote ${artifact.path} (${artifact.description})`);
          if (decision.outcome !== 'allowed')
            notes.push(
              `no routing artifact written to ${routingDir}: the gate blocked${removedEarlier.length > 0 ? ` (removed the earlier ${removedEarlier.join(', ')})` : ''}`,
            );
        }

        io.stdout.write(renderConsole(decision));
        for (const note of notes) io.stdout.write(`${note}\n`);
        outcome.exitCode = run.evidenceUnavailable
          ? ExitCode.Error
          : decision.outcome === 'allowed'
            ? ExitCode.Ok
            : ExitCode.Failed;
      } catch (error) {
        // The artifacts were cleared before the run, and a failed write removes its own.
        if (routingDir)
          io.stderr.write(
            `cutover gate: no routing artifact in ${routingDir}: the gate failed${removedEarlier.length > 0 ? ` (removed ${removedEarlier.join(', ')})` : ''}\n`,
          );
        throw error;
      }
    },
  );
};
