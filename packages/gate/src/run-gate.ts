import { resolve } from 'node:path';
import { UsageError } from '@cutover/core';
import { BrokerClient, recordDecision, type BrokerAuth } from '@cutover/broker-client';
import { decide, type GateDecision } from './decide.js';
import { collectEvidence, readPactFingerprints, type Evidence } from './evidence.js';
import { checkRoutesKnown, loadDocumentedOperations, openApiLoader } from './openapi.js';
import { loadPolicy, selectRoutes, type Policy } from './policy.js';
import { brokerShadowRuns, readShadowFiles, type ShadowRun } from './shadow.js';

/** What a gate run decides from; paths are relative to `cwd`. */
export interface RunGateOptions {
  /** The gate policy file (YAML). */
  policy: string;
  /** Decide only these policy routes (by name); default all. */
  routes?: string[];
  /** Evidence from `cutover verify --json` results files. When given, the broker gives no evidence. */
  resultsFiles?: string[];
  /** A Pact Broker: the evidence when no results files are given, and where the decision is recorded. */
  broker?: {
    url: string;
    /** Pact provider name (default: the policy's `provider`). */
    provider?: string;
    auth?: BrokerAuth;
    /** Record the decision in the broker (default true); a broker without the endpoint gives a warning. */
    record?: boolean;
  };
  /**
   * `cutover shadow` evidence files, for routes whose policy requires shadow evidence. Without
   * them, such routes read the broker's latest shadow run of the candidate version.
   */
  shadowFiles?: string[];
  /** The candidate version being shifted to (required with broker evidence). */
  candidateVersion?: string;
  /** OpenAPI document: unknown routes are refused, documented operations must be exercised. */
  openapi?: string;
  /** Where the document's `$ref`s may read files (default: its own folder). */
  refRoot?: string;
  /** Let the document's `$ref`s fetch http(s) URLs. */
  allowRemoteRefs?: boolean;
  /** The current pact files or folders: evidence must have verified exactly this content. */
  pacts?: string[];
  /** Move allowed routes to this weight instead of the next rollout step. */
  force?: number;
  cwd?: string;
}

export interface GateRun {
  decision: GateDecision;
  evidence: Evidence;
  /** The broker could not give evidence: the run blocks, and is an error rather than a verdict. */
  evidenceUnavailable: boolean;
}

/** The shadow runs: `shadowFiles`, or the broker's latest run when a route requires shadow evidence. */
async function shadowRuns(
  options: RunGateOptions,
  policy: Policy,
  at: (file: string) => string,
): Promise<ShadowRun[] | undefined> {
  if (options.shadowFiles && options.shadowFiles.length > 0) return readShadowFiles(options.shadowFiles.map(at));
  const { broker, candidateVersion } = options;
  const provider = broker?.provider ?? policy.provider;
  if (!broker || !candidateVersion || !provider || !policy.routes.some((r) => r.rules.shadow)) return undefined;
  return brokerShadowRuns(new BrokerClient({ url: broker.url, auth: broker.auth }), { provider, candidateVersion });
}

/**
 * One gate run: loads the policy (and the OpenAPI document), gathers the evidence, decides, and
 * records the decision in the broker. Writes nothing locally: reports come from the render
 * functions and routing files from writeRoutingArtifacts.
 *
 * @example
 * const { decision } = await runGate({ policy: 'contracts/cutover.yaml', resultsFiles: ['reports/verify.json'] });
 * if (decision.outcome === 'allowed') await writeRoutingArtifacts(decision, 'deploy/routing', ['nginx']);
 */
export async function runGate(options: RunGateOptions): Promise<GateRun> {
  const cwd = options.cwd ?? process.cwd();
  const at = (file: string) => resolve(cwd, file);
  const policy = selectRoutes(await loadPolicy(at(options.policy)), options.routes ?? []);
  const operations = options.openapi
    ? await loadDocumentedOperations(
        at(options.openapi),
        openApiLoader({
          baseDir: cwd,
          ...(options.refRoot !== undefined ? { refRoot: options.refRoot } : {}),
          ...(options.allowRemoteRefs !== undefined ? { allowRemoteRefs: options.allowRemoteRefs } : {}),
        }),
      )
    : undefined;
  if (operations) checkRoutesKnown(policy, operations, options.openapi!);

  const { broker, candidateVersion } = options;
  let evidence: Evidence;
  if (options.resultsFiles && options.resultsFiles.length > 0) {
    evidence = await collectEvidence({ resultsFiles: options.resultsFiles.map(at) });
  } else {
    if (!broker)
      throw new UsageError('name the evidence: --results FILE (from `cutover verify --json`) or --broker-url URL');
    if (!candidateVersion)
      throw new UsageError(
        '--candidate-version is required with broker evidence: the gate decides for one exact version',
      );
    const provider = broker.provider ?? policy.provider;
    if (!provider)
      throw new UsageError('--provider is required with broker evidence (or set "provider" in the policy)');
    evidence = await collectEvidence({
      brokerUrl: broker.url,
      provider,
      candidateVersion,
      ...(broker.auth ? { auth: broker.auth } : {}),
    });
  }

  const pacts = options.pacts && options.pacts.length > 0 ? await readPactFingerprints(options.pacts, cwd) : undefined;
  const shadow = await shadowRuns(options, policy, at);
  const decision = decide({
    ...(shadow ? { shadow } : {}),
    policy,
    evidence,
    ...(candidateVersion !== undefined ? { candidateVersion } : {}),
    ...(operations ? { operations } : {}),
    ...(pacts ? { pacts } : {}),
    ...(options.force !== undefined ? { force: options.force } : {}),
  });

  if (broker && broker.record !== false) {
    const recorded = await recordDecision(new BrokerClient({ url: broker.url, auth: broker.auth }), decision);
    if (!recorded.recorded) decision.warnings.push(recorded.warning);
  }
  const evidenceUnavailable = evidence.problems.some((p) => p.code === 'evidence-unavailable');
  return { decision, evidence, evidenceUnavailable };
}
