import { CutoverError, ErrorCodes, redactCredentials, type PactReference } from '@cutover/core';
import { checkInteractionResult, type Evidence, type EvidenceProblem, type EvidenceReport } from './evidence.js';

/** Pact Broker credentials: a bearer token, or basic auth. */
export interface BrokerAuth {
  token?: string;
  username?: string;
  password?: string;
}

export interface BrokerEvidenceOptions {
  brokerUrl: string;
  /** The pact provider name the consumers' pacts name. */
  provider: string;
  /** The candidate version whose verification results count. */
  candidateVersion: string;
  auth?: BrokerAuth;
  /** Per-request timeout; default 10 s. */
  timeoutMs?: number;
}

/** A broker request failed: unreachable, timed out, or answered something that is not the expected HAL JSON. */
export class BrokerError extends CutoverError {
  constructor(message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(ErrorCodes.BROKER_FAILED, message, options);
  }
}

class HttpStatusError extends BrokerError {
  constructor(
    readonly status: number,
    url: string,
    body: string,
  ) {
    super(`${url}: the broker answered HTTP ${status}${body ? `: ${body.slice(0, 200)}` : ''}`, {
      details: { url, status },
    });
  }
}

function headers(auth: BrokerAuth | undefined, extra: Record<string, string> = {}): Record<string, string> {
  const h: Record<string, string> = { accept: 'application/hal+json, application/json', ...extra };
  if (auth?.token) h.authorization = `Bearer ${auth.token}`;
  else if (auth?.username !== undefined)
    h.authorization = `Basic ${Buffer.from(`${auth.username}:${auth.password ?? ''}`).toString('base64')}`;
  return h;
}

async function request(
  url: string,
  init: { method?: string; body?: string; auth?: BrokerAuth; timeoutMs: number },
): Promise<{ status: number; json: unknown; location?: string }> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: init.method ?? 'GET',
      headers: headers(init.auth, init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(init.body === undefined ? {} : { body: init.body }),
      signal: AbortSignal.timeout(init.timeoutMs),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const why =
      (error as Error).name === 'TimeoutError'
        ? `no answer within ${init.timeoutMs} ms`
        : (cause?.code ?? cause?.message ?? (error as Error).message);
    throw new BrokerError(`${url}: the broker cannot be reached (${why})`, { cause: error, details: { url } });
  }
  const text = await response.text();
  if (!response.ok) throw new HttpStatusError(response.status, url, text);
  let json: unknown = undefined;
  if (text.length > 0) {
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new BrokerError(`${url}: the broker answered HTTP ${response.status} with something that is not JSON`, {
        cause: error,
        details: { url },
      });
    }
  }
  const location = response.headers.get('location');
  return { status: response.status, json, ...(location ? { location } : {}) };
}

function link(resource: unknown, ...relations: string[]): { href: string; name?: string } | undefined {
  const links = (resource as { _links?: Record<string, unknown> } | undefined)?._links;
  for (const rel of relations) {
    const value = links?.[rel];
    if (value && typeof value === 'object' && typeof (value as { href?: unknown }).href === 'string')
      return value as { href: string; name?: string };
  }
  return undefined;
}

function linkList(resource: unknown, ...relations: string[]): { href: string; name?: string }[] | undefined {
  const links = (resource as { _links?: Record<string, unknown> } | undefined)?._links;
  for (const rel of relations) {
    const value = links?.[rel];
    if (Array.isArray(value))
      return value.filter((l): l is { href: string; name?: string } => typeof l?.href === 'string');
  }
  return undefined;
}

/** The HTTP requests a pact describes (v2, v3, v4 HTTP interactions), to know which routes it concerns. */
export function pactRequests(pact: unknown): { method: string; path: string }[] {
  const interactions = (pact as { interactions?: unknown }).interactions;
  if (!Array.isArray(interactions)) return [];
  const requests: { method: string; path: string }[] = [];
  for (const interaction of interactions) {
    const req = (interaction as { request?: { method?: unknown; path?: unknown } } | null)?.request;
    if (typeof req?.method === 'string' && typeof req.path === 'string')
      requests.push({ method: req.method.toUpperCase(), path: req.path });
  }
  return requests;
}

function absolute(base: string, href: string): string {
  return new URL(href, base.endsWith('/') ? base : `${base}/`).toString();
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
  return redactSources(await brokerEvidence(options));
}

/** Sources and messages are printed and published: a broker URL's credentials must not reach them. */
function redactSources(evidence: Evidence): Evidence {
  return {
    reports: evidence.reports.map((report) => ({
      ...report,
      source: redactCredentials(report.source),
      pacts: report.pacts.map((pact) => ({ ...pact, source: redactCredentials(pact.source) })),
    })),
    problems: evidence.problems.map((problem) => ({
      ...problem,
      message: redactCredentials(problem.message),
      source: redactCredentials(problem.source),
    })),
  };
}

async function brokerEvidence(options: BrokerEvidenceOptions): Promise<Evidence> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const base = options.brokerUrl.replace(/\/+$/, '');
  const get = (url: string) => request(url, { auth: options.auth, timeoutMs });
  const latestUrl = `${base}/pacts/provider/${encodeURIComponent(options.provider)}/latest`;

  const unavailable = (message: string, source: string): Evidence => ({
    reports: [],
    problems: [{ code: 'evidence-unavailable', message, source }],
  });

  let latest: unknown;
  try {
    latest = (await get(latestUrl)).json;
  } catch (error) {
    if (error instanceof HttpStatusError && error.status === 404)
      return unavailable(
        `the broker has no pacts for provider "${options.provider}" (${latestUrl} answered 404)`,
        latestUrl,
      );
    if (error instanceof BrokerError) return unavailable(error.message, latestUrl);
    throw error;
  }
  const pactLinks = linkList(latest, 'pb:pacts', 'pacts');
  if (!pactLinks)
    return unavailable(`${latestUrl}: the answer has no "pb:pacts" links; is this a Pact Broker?`, latestUrl);
  if (pactLinks.length === 0)
    return unavailable(`the broker has no pacts for provider "${options.provider}" (${latestUrl})`, latestUrl);

  const reports: EvidenceReport[] = [];
  const problems: EvidenceProblem[] = [];
  for (const pactLink of pactLinks) {
    const pactUrl = absolute(base, pactLink.href);
    try {
      const pact = (await get(pactUrl)).json as Record<string, unknown>;
      const consumer = (pact.consumer as { name?: string } | undefined)?.name ?? pactLink.name ?? pactUrl;
      const consumerVersion = link(pact, 'pb:consumer-version')?.name;
      const requests = pactRequests(pact);
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
      const matrixUrl =
        `${base}/matrix?q[][pacticipant]=${encodeURIComponent(consumer)}&q[][version]=${encodeURIComponent(consumerVersion)}` +
        `&q[][pacticipant]=${encodeURIComponent(options.provider)}&q[][version]=${encodeURIComponent(options.candidateVersion)}&latestby=cvpv`;
      const matrix = (await get(matrixUrl)).json as { matrix?: unknown };
      const rows = Array.isArray(matrix?.matrix) ? (matrix.matrix as Record<string, unknown>[]) : [];
      const row = rows.find((r) => {
        const v = r.verificationResult as { _links?: unknown } | null | undefined;
        const providerVersion = (r.provider as { version?: { number?: string } | null } | undefined)?.version?.number;
        return v && providerVersion === options.candidateVersion;
      });
      const verificationUrl = row ? link(row.verificationResult, 'self')?.href : undefined;
      if (!verificationUrl) {
        problems.push({
          code: 'not-verified',
          message: `the latest pact of ${consumer} (version ${consumerVersion}) has no verification by ${options.provider} version ${options.candidateVersion}`,
          source: matrixUrl,
          consumer,
          requests,
        });
        continue;
      }
      const absoluteVerificationUrl = absolute(base, verificationUrl);
      const verification = (await get(absoluteVerificationUrl)).json as Record<string, unknown>;
      const verifiedAt = typeof verification.verificationDate === 'string' ? verification.verificationDate : undefined;
      const testResults = verification.testResults;
      const pactRef: PactReference = {
        consumer,
        provider: options.provider,
        source: pactUrl,
        consumerVersion,
      };
      if (!verifiedAt || Number.isNaN(Date.parse(verifiedAt))) {
        problems.push({
          code: 'evidence-unavailable',
          message: `${absoluteVerificationUrl}: the verification has no valid "verificationDate"`,
          source: absoluteVerificationUrl,
          consumer,
          requests,
        });
        continue;
      }
      const entries = Array.isArray(testResults) ? (testResults as Record<string, unknown>[]) : [];
      const withCutover = entries.filter((e) => e && typeof e === 'object' && e.cutover !== undefined);
      if (entries.length === 0 || withCutover.length < entries.length) {
        problems.push({
          code: 'parity-unprovable',
          message:
            entries.length === 0
              ? `${absoluteVerificationUrl}: the verification of ${consumer}'s pact carries no test results, so it cannot prove parity or schema conformance (publish with \`cutover verify --publish\`)`
              : `${absoluteVerificationUrl}: ${entries.length - withCutover.length} of ${entries.length} test results of ${consumer}'s verification carry no cutover result, so they cannot prove parity or schema conformance (publish with \`cutover verify --publish\`)`,
          source: absoluteVerificationUrl,
          consumer,
          requests,
        });
      }
      reports.push({
        kind: 'broker',
        source: absoluteVerificationUrl,
        provider: (verification.providerName as string | undefined) ?? options.provider,
        ...(typeof verification.providerApplicationVersion === 'string'
          ? { candidateVersion: verification.providerApplicationVersion }
          : {}),
        startedAt: verifiedAt,
        finishedAt: verifiedAt,
        pacts: [pactRef],
        results: entries.flatMap((e, i) =>
          e && typeof e === 'object' && e.cutover !== undefined
            ? [checkInteractionResult(e.cutover, absoluteVerificationUrl, `$.testResults[${i}].cutover`)]
            : [],
        ),
      });
    } catch (error) {
      if (!(error instanceof BrokerError)) throw error;
      problems.push({ code: 'evidence-unavailable', message: error.message, source: pactUrl });
    }
  }
  return { reports, problems };
}

/** What became of recording a decision in the broker. */
export type RecordOutcome =
  { recorded: true; url: string; location?: string } | { recorded: false; url: string; warning: string };

/**
 * Records a gate decision in the broker: `POST {brokerUrl}/cutover/decisions` with the decision
 * JSON (`cutover.gate-decision/v1`). This is the contract the cutover broker implements to keep the
 * history of shifts per route; a stock Pact Broker answers 404, which is reported as a warning,
 * never as success.
 *
 * @example
 * const outcome = await recordDecision('https://broker', decision);
 * if (!outcome.recorded) console.warn(outcome.warning);
 */
export async function recordDecision(
  brokerUrl: string,
  decision: unknown,
  options: { auth?: BrokerAuth; timeoutMs?: number } = {},
): Promise<RecordOutcome> {
  const target = `${brokerUrl.replace(/\/+$/, '')}/cutover/decisions`;
  const url = redactCredentials(target);
  try {
    const { location } = await request(target, {
      method: 'POST',
      body: JSON.stringify(decision),
      auth: options.auth,
      timeoutMs: options.timeoutMs ?? 10_000,
    });
    return { recorded: true, url, ...(location ? { location } : {}) };
  } catch (error) {
    if (error instanceof HttpStatusError && (error.status === 404 || error.status === 405))
      return {
        recorded: false,
        url,
        warning: `the decision was not recorded: ${url} answered ${error.status}; this broker does not implement cutover's decision history (a stock Pact Broker does not)`,
      };
    if (error instanceof BrokerError)
      return { recorded: false, url, warning: `the decision was not recorded: ${error.message}` };
    throw error;
  }
}
