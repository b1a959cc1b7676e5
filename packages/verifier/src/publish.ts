import { readFile } from 'node:fs/promises';
import { RESULTS_FORMAT, UsageError } from '@cutover/core';
import type { InteractionResult, VerificationReport } from '@cutover/core';
import {
  BrokerClient,
  brokerAuth,
  createBranchVersion,
  fetchPact,
  publishVerificationResult,
  verificationResultsUrl,
  type BrokerCredentials,
} from '@cutover/broker-client';
import { interactionStatus } from './status.js';

export interface PublishOptions extends BrokerCredentials {
  /** Broker base URL (for the provider version/branch). */
  brokerUrl: string;
  /** Per-request deadline for the broker (default 30,000 ms). */
  timeoutMs?: number;
  providerVersion: string;
  branch: string;
  buildUrl?: string;
}

/** A Pact-style mismatch as stock verifiers put them in `testResults`. */
export interface PactTestMismatch {
  attribute: 'status' | 'headers' | 'body' | 'parity' | 'schema' | 'error';
  identifier?: string;
  description: string;
  expected?: unknown;
  actual?: unknown;
  target?: string;
}

export interface PactTestResult {
  interactionId?: string;
  interactionDescription: string;
  success: boolean;
  mismatches: PactTestMismatch[];
  cutover: InteractionResult;
}

export interface PublishedVerification {
  pact: string;
  url: string;
  success: boolean;
}

const ATTRIBUTE: Record<string, PactTestMismatch['attribute']> = { status: 'status', header: 'headers' };

function mismatchesOf(result: InteractionResult): PactTestMismatch[] {
  const out: PactTestMismatch[] = [];
  for (const [target, outcome] of Object.entries(result.targets)) {
    if (outcome.error && outcome.outcome === 'error') {
      out.push({ attribute: 'error', description: `${target}: ${outcome.error.message}`, target });
    }
    for (const m of outcome.mismatches) {
      out.push({
        attribute: ATTRIBUTE[m.kind] ?? 'body',
        identifier: m.path,
        description: `${target}: ${m.message}`,
        expected: m.expected,
        actual: m.actual,
        target,
      });
    }
  }
  for (const d of result.parity.differences) {
    out.push({
      attribute: 'parity',
      identifier: d.path,
      description: d.message,
      expected: d.monolith,
      actual: d.candidate,
    });
  }
  for (const v of result.schema?.regressions ?? []) {
    out.push({ attribute: 'schema', identifier: v.instancePath, description: v.message, target: 'candidate' });
  }
  return out;
}

/** The Pact Broker verification body for one pact's results, with cutover's own results alongside. */
export function verificationBody(
  report: VerificationReport,
  results: InteractionResult[],
  providerVersion: string,
  buildUrl?: string,
): Record<string, unknown> {
  const testResults: PactTestResult[] = results.map((result) => {
    const entry: PactTestResult = {
      interactionDescription: result.description,
      success: interactionStatus(result) === 'passed',
      mismatches: mismatchesOf(result),
      cutover: result,
    };
    if (result.interactionKey !== undefined) entry.interactionId = result.interactionKey;
    return entry;
  });
  const body: Record<string, unknown> = {
    success: testResults.length > 0 && testResults.every((t) => t.success),
    providerApplicationVersion: providerVersion,
    verifiedBy: { implementation: 'cutover', version: report.tool.version },
    testResults,
    cutover: {
      format: RESULTS_FORMAT,
      summary: report.summary,
      targets: report.targets,
      startedAt: report.startedAt,
      finishedAt: report.finishedAt,
    },
  };
  if (buildUrl !== undefined) body.buildUrl = buildUrl;
  return body;
}

/** The pact as the broker serves it (its links), re-read from the broker URL or the file it was verified from. */
async function pactContent(client: BrokerClient, source: string): Promise<unknown> {
  if (/^https?:\/\//.test(source)) return fetchPact(client, source);
  try {
    return JSON.parse(await readFile(source, 'utf8')) as unknown;
  } catch (cause) {
    throw client.unexpected(
      'POST',
      client.baseUrl,
      `pact ${source} could not be re-read to find its publish link: ${(cause as Error).message}`,
      { cause },
    );
  }
}

/**
 * Publishes verification results the way stock Pact clients do: the provider version is created on
 * its branch (`PUT /pacticipants/{provider}/branches/{branch}/versions/{version}`), then each pact's
 * results are posted to its `pb:publish-verification-results` link. Every pact's link is found
 * before anything is written, so a pact that cannot take results leaves the broker untouched.
 *
 * @example
 * await publishVerificationResults(report, { brokerUrl, providerVersion: gitSha, branch: 'main' });
 */
export async function publishVerificationResults(
  report: VerificationReport,
  options: PublishOptions,
): Promise<PublishedVerification[]> {
  if (!options.providerVersion || !options.branch) {
    throw new UsageError('Publishing needs a provider version and a branch');
  }
  const client = new BrokerClient({ url: options.brokerUrl, auth: brokerAuth(options), timeoutMs: options.timeoutMs });
  const byPact = new Map<number, InteractionResult[]>();
  report.results.forEach((result) => {
    if (result.pact === undefined) return;
    byPact.set(result.pact, [...(byPact.get(result.pact) ?? []), result]);
  });
  const targets: { index: number; content: unknown; source: string }[] = [];
  for (const index of byPact.keys()) {
    const reference = report.pacts[index]!;
    const content = await pactContent(client, reference.source);
    const source = `Pact ${reference.source} (${reference.consumer} → ${reference.provider})`;
    verificationResultsUrl(client, content, source);
    targets.push({ index, content, source });
  }
  await createBranchVersion(client, {
    pacticipant: report.provider.name,
    branch: options.branch,
    version: options.providerVersion,
  });
  const published: PublishedVerification[] = [];
  for (const { index, content, source } of targets) {
    const body = verificationBody(report, byPact.get(index)!, options.providerVersion, options.buildUrl);
    const url = await publishVerificationResult(client, content, body, source);
    published.push({ pact: report.pacts[index]!.source, url, success: body.success as boolean });
  }
  return published;
}
