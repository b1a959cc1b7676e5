import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ensureOutputDir, OutputError, UsageError } from '@cutover/core';
import {
  checkRoutesKnown,
  collectEvidence,
  decide,
  GATEWAYS,
  loadDocumentedOperations,
  loadPolicy,
  openApiLoader,
  readPactFingerprints,
  renderConsole,
  renderJson,
  renderJunit,
  renderMarkdown,
  renderRouting,
  selectRoutes,
  versionProblem,
  type Gateway,
} from '@cutover/gate';
import { BrokerClient, recordDecision, resolveBrokerConnection } from '@cutover/broker-client';
import { commandSummaries, type CommandModule } from './index.js';
import { openapiRefArgs, openapiRefOptions } from './openapi-refs.js';
import { ExitCode } from '../exit-codes.js';
import { writeReport } from '../output.js';

interface GateArgs {
  policy: string;
  results?: string[];
  'broker-url'?: string;
  provider?: string;
  'candidate-version'?: string;
  'broker-token'?: string;
  'broker-username'?: string;
  'broker-password'?: string;
  openapi?: string;
  'ref-root'?: string;
  'allow-remote-refs'?: boolean;
  pact?: string[];
  route?: string[];
  json?: string;
  markdown?: string;
  junit?: string;
  'routing-out'?: string;
  gateway: Gateway[];
  'force-weight'?: number;
  record: boolean;
}

/** Every file name a gateway renderer can write, so a blocked run can remove earlier artifacts. */
const ARTIFACT_NAMES = [
  'cutover-routing.http.conf',
  'cutover-routing.locations.conf',
  'cutover-envoy-routes.yaml',
  'cutover-weights.json',
];

/**
 * Removes every artifact a run may have left in `dir`; returns the names that were there. Sync,
 * because it runs in a yargs middleware before option validation.
 */
function clearArtifacts(dir: string): string[] {
  const removed: string[] = [];
  for (const name of ARTIFACT_NAMES) {
    const file = join(dir, name);
    if (!existsSync(file)) continue;
    try {
      rmSync(file, { force: true });
    } catch (error) {
      throw new OutputError(`${file}: cannot remove the earlier routing artifact: ${(error as Error).message}`, {
        cause: error,
        details: { file },
      });
    }
    removed.push(name);
  }
  return removed;
}

/**
 * `cutover gate`: decides, per route, whether traffic may move to the candidate; writes reports
 * and, when allowed, the routing artifact for the next rollout step. Exit 0 allowed, 1 blocked,
 * 2 error (an unreachable broker is an error; it also blocks).
 */
export const gateCommand: CommandModule = (yargs, io, outcome) => {
  const removedEarlier: string[] = [];
  return yargs.command(
    'gate',
    commandSummaries.gate,
    (y) =>
      y
        .option('policy', {
          type: 'string',
          demandOption: true,
          describe: 'Gate policy file (YAML), e.g. contracts/cutover.yaml',
        })
        .option('results', { type: 'string', array: true, describe: '`cutover verify --json` results file(s)' })
        .option('broker-url', {
          type: 'string',
          describe: 'Pact Broker to read evidence from (and record the decision in) [env PACT_BROKER_BASE_URL]',
        })
        .option('provider', {
          type: 'string',
          describe: 'Pact provider name for broker evidence (default: the policy\'s "provider")',
        })
        .option('candidate-version', {
          type: 'string',
          describe: 'Candidate version being shifted to; evidence for any other version blocks',
        })
        .option('broker-token', { type: 'string', describe: 'Broker bearer token [env PACT_BROKER_TOKEN]' })
        .option('broker-username', { type: 'string', describe: 'Broker basic-auth user [env PACT_BROKER_USERNAME]' })
        .option('broker-password', {
          type: 'string',
          describe: 'Broker basic-auth password [env PACT_BROKER_PASSWORD]',
        })
        .option('openapi', {
          type: 'string',
          describe: 'OpenAPI document: unknown routes are refused, and documented operations must be exercised',
        })
        .options(openapiRefOptions)
        .option('pact', {
          type: 'string',
          array: true,
          describe:
            'Current pact files or folders: evidence must have verified exactly this content, with a result for every request under a route',
        })
        .option('route', { type: 'string', array: true, describe: 'Decide only these policy routes (by name)' })
        .option('json', { type: 'string', describe: 'Write the decision as JSON to this file' })
        .option('markdown', { type: 'string', describe: 'Write a Markdown report (PR comment) to this file' })
        .option('junit', { type: 'string', describe: 'Write a JUnit XML report to this file' })
        .option('routing-out', {
          type: 'string',
          describe: 'Directory for the routing artifact (written only when allowed)',
        })
        .option('gateway', {
          type: 'string',
          array: true,
          choices: GATEWAYS,
          default: ['json'],
          describe: 'Routing artifact format(s)',
        })
        .option('force-weight', {
          type: 'number',
          describe: 'Move allowed routes to this weight instead of the next rollout step',
        })
        .option('record', {
          type: 'boolean',
          default: true,
          describe: 'Record the decision in the broker when one is configured (--no-record to skip)',
        })
        // Before option validation, so a run refused for a bad option (exit 2) removes them too.
        // Fail closed: whatever happens next (block, error, even a refused option), no artifact of an
        // earlier run survives; only an allowed run writes new ones. Before validation for that reason.
        .middleware((argv) => {
          const out = argv['routing-out'];
          if (typeof out === 'string' && out !== '') removedEarlier.push(...clearArtifacts(resolve(io.cwd, out)));
        }, true),
    async (argv) => {
      const args = argv as unknown as GateArgs;
      const at = (file: string) => resolve(io.cwd, file);
      const routingDir = args['routing-out'] ? at(args['routing-out']) : undefined;
      try {
        const { url: brokerUrl, auth } = resolveBrokerConnection(
          {
            url: args['broker-url'],
            token: args['broker-token'],
            username: args['broker-username'],
            password: args['broker-password'],
          },
          io.env,
        );
        const force = args['force-weight'];
        if (force !== undefined && (!Number.isInteger(force) || force < 0 || force > 100))
          throw new UsageError(`--force-weight must be an integer from 0 to 100 (got ${String(force)})`);

        const policy = selectRoutes(await loadPolicy(at(args.policy)), args.route ?? []);
        const operations = args.openapi
          ? await loadDocumentedOperations(
              at(args.openapi),
              openApiLoader({ baseDir: io.cwd, ...openapiRefArgs(args) }),
            )
          : undefined;
        if (operations) checkRoutesKnown(policy, operations, args.openapi!);

        const candidateVersion = args['candidate-version'];
        const versionIssue = candidateVersion === undefined ? undefined : versionProblem(candidateVersion);
        if (versionIssue) throw new UsageError(`--candidate-version ${versionIssue}`);
        let evidence;
        if (args.results && args.results.length > 0) {
          evidence = await collectEvidence({ resultsFiles: args.results.map(at) });
        } else {
          if (!brokerUrl)
            throw new UsageError(
              'name the evidence: --results FILE (from `cutover verify --json`) or --broker-url URL',
            );
          if (!candidateVersion)
            throw new UsageError(
              '--candidate-version is required with broker evidence: the gate decides for one exact version',
            );
          const provider = args.provider ?? policy.provider;
          if (!provider)
            throw new UsageError('--provider is required with broker evidence (or set "provider" in the policy)');
          evidence = await collectEvidence({ brokerUrl, provider, candidateVersion, ...(auth ? { auth } : {}) });
        }

        const pacts = args.pact && args.pact.length > 0 ? await readPactFingerprints(args.pact.map(at)) : undefined;
        const decision = decide({
          policy,
          evidence,
          ...(candidateVersion !== undefined ? { candidateVersion } : {}),
          ...(operations ? { operations } : {}),
          ...(pacts ? { pacts } : {}),
          ...(force !== undefined ? { force } : {}),
        });

        if (brokerUrl && args.record) {
          const recorded = await recordDecision(new BrokerClient({ url: brokerUrl, auth }), decision);
          if (!recorded.recorded) decision.warnings.push(recorded.warning);
        }

        if (args.json) await writeReport(at(args.json), io, renderJson(decision));
        if (args.markdown) await writeReport(at(args.markdown), io, renderMarkdown(decision));
        if (args.junit) await writeReport(at(args.junit), io, renderJunit(decision));

        // Last: a report that cannot be written fails the run before anything could move traffic.
        const notes: string[] = [];
        if (routingDir) {
          const dir = routingDir;
          if (decision.outcome === 'allowed') {
            await ensureOutputDir(dir);
            for (const gateway of args.gateway)
              for (const artifact of renderRouting(decision, { gateway })) {
                await writeReport(join(dir, artifact.file), io, artifact.content);
                notes.push(`wrote ${join(dir, artifact.file)} (${artifact.description})`);
              }
          } else {
            notes.push(
              `no routing artifact written to ${dir}: the gate blocked${removedEarlier.length > 0 ? ` (removed the earlier ${removedEarlier.join(', ')})` : ''}`,
            );
          }
        }

        io.stdout.write(renderConsole(decision));
        for (const note of notes) io.stdout.write(`${note}\n`);

        const unavailable = evidence.problems.some((p) => p.code === 'evidence-unavailable');
        outcome.exitCode = unavailable
          ? ExitCode.Error
          : decision.outcome === 'allowed'
            ? ExitCode.Ok
            : ExitCode.Failed;
      } catch (error) {
        // Fail closed: an error also blocks, so an earlier run's "allow" artifacts must not survive it.
        if (routingDir) {
          try {
            // Artifacts this run wrote before failing (a later write failed) go too.
            const removed = [...new Set([...removedEarlier, ...clearArtifacts(routingDir)])];
            io.stderr.write(
              `cutover gate: no routing artifact in ${routingDir}: the gate failed${removed.length > 0 ? ` (removed ${removed.join(', ')})` : ''}\n`,
            );
          } catch (cleanup) {
            // The run's own error is what the user must see; the failed clean-up is said alongside.
            io.stderr.write(`cutover gate: ${(cleanup as Error).message}; do not apply what is left there\n`);
          }
        }
        throw error;
      }
    },
  );
};
