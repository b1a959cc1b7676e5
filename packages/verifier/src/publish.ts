import { readFile } from 'node:fs/promises';
import { redactCredentials, RESULTS_FORMAT, UsageError } from '@cutover/core';
import type { InteractionResult, VerificationReport } from '@cutover/core';
import { BrokerError, brokerJson, halLink, resolveHref } from './broker.js';
import type { BrokerAuth } from './broker.js';
import { interactionStatus } from './run.js';

export interface PublishOptions extends BrokerAuth {
  /** Broker base URL (for the provider version/branch). */
  brokerUrl: string;
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

async function pactContent(source: string, auth: BrokerAuth): Promise<unknown> {
  if (/^https?:\/\//.test(source)) return brokerJson('GET', source, auth);
  try {
    return JSON.parse(await readFile(source, 'utf8')) as unknown;
  } catch (cause) {
    throw new BrokerError(`Pact ${source} could not be re-read to find its publish link: ${(cause as Error).message}`, {
      cause,
    });
  }
}

/**
 * Publishes verification results the way stock Pact clients do: the provider version is created on
 * its branch (`PUT /pacticipants/{provider}/branches/{branch}/versions/{version}`), then each pact's
 * results are posted to its `pb:publish-verification-results` link.
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
  const byPact = new Map<number, InteractionResult[]>();
  report.results.forEach((result) => {
    if (result.pact === undefined) return;
    byPact.set(result.pact, [...(byPact.get(result.pact) ?? []), result]);
  });
  const targets: { index: number; url: string }[] = [];
  for (const index of byPact.keys()) {
    const reference = report.pacts[index]!;
    const content = await pactContent(reference.source, options);
    const href = halLink(content, 'pb:publish-verification-results');
    if (href === undefined) {
      throw new BrokerError(
        `Pact ${reference.source} (${reference.consumer} → ${reference.provider}) has no pb:publish-verification-results link: only pacts fetched from a broker can have results published`,
        { details: { source: reference.source } },
      );
    }
    targets.push({ index, url: resolveHref(href, options.brokerUrl) });
  }
  const base = options.brokerUrl.replace(/\/+$/, '');
  const provider = encodeURIComponent(report.provider.name);
  await brokerJson(
    'PUT',
    `${base}/pacticipants/${provider}/branches/${encodeURIComponent(options.branch)}/versions/${encodeURIComponent(options.providerVersion)}`,
    options,
    {},
  );
  const published: PublishedVerification[] = [];
  for (const { index, url } of targets) {
    const body = verificationBody(report, byPact.get(index)!, options.providerVersion, options.buildUrl);
    await brokerJson('POST', url, options, body);
    published.push({
      pact: report.pacts[index]!.source,
      url: redactCredentials(url),
      success: body.success as boolean,
    });
  }
  return published;
}
