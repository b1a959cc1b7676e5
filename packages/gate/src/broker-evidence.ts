import { openPact, PactLoadError, UnsupportedSpecError, type PactReference, type PactStream } from '@cutover/core';
import {
  BrokerClient,
  BrokerError,
  fetchPact,
  halLink,
  latestProviderPacts,
  matrix,
  matrixSearch,
  type BrokerAuth,
} from '@cutover/broker-client';
import { requestCoverage } from './coverage.js';
import { checkInteractionResult, type Evidence, type EvidenceProblem, type EvidenceReport } from './evidence.js';

export interface BrokerEvidenceOptions {
  brokerUrl: string;
  /** The pact provider name the consumers' pacts name. */
  provider: string;
  /** The candidate version whose verification results count. */
  candidateVersion: string;
  auth?: BrokerAuth;
  /** Per-request deadline (default: the client's, 30 s). */
  timeoutMs?: number;
}

/** One HTTP request of a pact: its position in `interactions`, its description, method and path. */
export interface PactRequest {
  index: number;
  description: string;
  method: string;
  path: string;
}

/** The HTTP requests of a pact, at their positions in it, to know which routes it concerns. */
export function pactRequests(pact: PactStream): PactRequest[] {
  const requests: PactRequest[] = [];
  for (let i = 0; i < pact.size; i++) {
    const interaction = pact.interaction(i);
    pact.release(i);
    if (interaction.type === 'http')
      requests.push({
        index: interaction.index,
        description: interaction.description,
        method: interaction.request.method.toUpperCase(),
        path: interaction.request.path,
      });
  }
  return requests;
}

/**
 * Reads the evidence for one candidate version from a Pact Broker's HAL API:
 * `GET /pacts/provider/{provider}/latest` for every consumer's latest pact, then the matrix
 * (`GET /matrix?q[][pacticipant]=…&latestby=cvpv`) for the verification of that pact content by
 * exactly this candidate version, then that verification's `testResults[].cutover` entries (which
 * `cutover verify --publish` writes). The matrix ties a verification to the pact content it verified,
 * so a pact that changed after the verification shows up as `not-verified`.
 */
export async function collectBrokerEvidence(options: BrokerEvidenceOptions): Promise<Evidence> {
  const client = new BrokerClient({ url: options.brokerUrl, auth: options.auth, timeoutMs: options.timeoutMs });
  const latestUrl = client.resolve(`pacts/provider/${encodeURIComponent(options.provider)}/latest`);

  const unavailable = (message: string, source: string): Evidence => ({
    reports: [],
    problems: [{ code: 'evidence-unavailable', message, source }],
  });

  let pactLinks;
  try {
    pactLinks = await latestProviderPacts(client, options.provider);
  } catch (error) {
    if (!(error instanceof BrokerError)) throw error;
    if (error.status === 404)
      return unavailable(
        `the broker has no pacts for provider "${options.provider}" (${latestUrl} answered 404)`,
        latestUrl,
      );
    return unavailable(error.message, latestUrl);
  }
  if (pactLinks.length === 0)
    return unavailable(`the broker has no pacts for provider "${options.provider}" (${latestUrl})`, latestUrl);

  const reports: EvidenceReport[] = [];
  const problems: EvidenceProblem[] = [];
  for (const pactLink of pactLinks) {
    const pactUrl = pactLink.href;
    try {
      const pact = await fetchPact(client, pactUrl);
      const consumer = (pact.consumer as { name?: string } | undefined)?.name ?? pactLink.name ?? pactUrl;
      const consumerVersion = halLink(pact, 'pb:consumer-version')?.name;
      const requests = pactRequests(openPact(pact, { source: pactUrl }));
      if (consumerVersion === undefined) {
        problems.push({
          code: 'evidence-unavailable',
          message: `${pactUrl}: the pact has no "pb:consumer-version" link, so its verification cannot be looked up`,
          source: pactUrl,
          consumer,
          requests,
        });
        continue;
      }
      const query = {
        selectors: [
          { pacticipant: consumer, version: consumerVersion },
          { pacticipant: options.provider, version: options.candidateVersion },
        ],
        latestby: 'cvpv' as const,
      };
      const answer = await matrix(client, query);
      const row = answer.matrix.find(
        (r) => r.verificationResult && r.provider?.version?.number === options.candidateVersion,
      );
      const verificationHref = row ? halLink(row.verificationResult, 'self')?.href : undefined;
      if (!verificationHref) {
        problems.push({
          code: 'not-verified',
          message: `the latest pact of ${consumer} (version ${consumerVersion}) has no verification by ${options.provider} version ${options.candidateVersion}`,
          source: client.resolve(`matrix?${matrixSearch(query)}`),
          consumer,
          requests,
        });
        continue;
      }
      const verificationUrl = client.resolve(verificationHref);
      const verification = (await client.get(verificationUrl)).json as Record<string, unknown>;
      const verifiedAt = typeof verification?.verificationDate === 'string' ? verification.verificationDate : undefined;
      const pactRef: PactReference = { consumer, provider: options.provider, source: pactUrl, consumerVersion };
      if (!verifiedAt || Number.isNaN(Date.parse(verifiedAt))) {
        problems.push({
          code: 'evidence-unavailable',
          message: `${verificationUrl}: the verification has no valid "verificationDate"`,
          source: verificationUrl,
          consumer,
          requests,
        });
        continue;
      }
      const testResults = verification.testResults;
      const entries = Array.isArray(testResults) ? (testResults as Record<string, unknown>[]) : [];
      const withCutover = entries.filter((e) => e && typeof e === 'object' && e.cutover !== undefined);
      if (entries.length === 0 || withCutover.length < entries.length) {
        problems.push({
          code: 'parity-unprovable',
          message:
            entries.length === 0
              ? `${verificationUrl}: the verification of ${consumer}'s pact carries no test results, so it cannot prove parity or schema conformance (publish with \`cutover verify --publish\`)`
              : `${verificationUrl}: ${entries.length - withCutover.length} of ${entries.length} test results of ${consumer}'s verification carry no cutover result, so they cannot prove parity or schema conformance (publish with \`cutover verify --publish\`)`,
          source: verificationUrl,
          consumer,
          requests,
        });
      }
      // Results refer to the pacts of the run that published them; here the one pact is this one.
      const results = entries.flatMap((e, i) =>
        e && typeof e === 'object' && e.cutover !== undefined
          ? [{ ...checkInteractionResult(e.cutover, verificationUrl, `$.testResults[${i}].cutover`), pact: 0 }]
          : [],
      );
      // A filtered run publishes results for part of the pact; the broker still shows it verified.
      const covers = requestCoverage(results);
      for (const req of entries.length > 0 ? requests : []) {
        if (!covers(req))
          problems.push({
            code: 'interaction-missing',
            message: `${consumer} › "${req.description}" (${req.method} ${req.path}, interactions[${req.index}] of ${pactUrl}) has no cutover result in the verification ${verificationUrl}; verify it`,
            source: verificationUrl,
            consumer,
            requests: [req],
          });
      }
      reports.push({
        kind: 'broker',
        source: verificationUrl,
        provider: (verification.providerName as string | undefined) ?? options.provider,
        ...(typeof verification.providerApplicationVersion === 'string'
          ? { candidateVersion: verification.providerApplicationVersion }
          : {}),
        startedAt: verifiedAt,
        finishedAt: verifiedAt,
        pacts: [pactRef],
        results,
      });
    } catch (error) {
      // A pact the broker serves that cannot be read proves nothing: it blocks, it does not end the run.
      if (!(error instanceof BrokerError || error instanceof PactLoadError || error instanceof UnsupportedSpecError))
        throw error;
      problems.push({ code: 'evidence-unavailable', message: error.message, source: pactUrl });
    }
  }
  return { reports, problems };
}
