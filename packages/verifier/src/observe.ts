import { LimitExceededError, observedResponse, TargetError, type HttpResponse, type ParityResult } from '@cutover/core';
import type { CapturedResponse } from './http.js';
import { judgeParity } from './judge.js';
import type { RouteNoise } from './noise.js';
import { diffResponses, type ComparableResponse } from './parity.js';

/** The model of a captured response; a JSON content type with a body that is not JSON is a fault. */
export function observe(captured: CapturedResponse, url: string): HttpResponse {
  let response: HttpResponse;
  try {
    response = observedResponse({
      status: captured.status,
      headers: captured.headers,
      body: captured.body.length > 0 ? captured.body : undefined,
    });
  } catch (error) {
    if (!(error instanceof LimitExceededError)) throw error;
    throw new LimitExceededError(`${url} answered HTTP ${captured.status}: ${error.message}`, {
      cause: error,
      details: { ...error.details, url },
    });
  }
  // observedResponse keeps unparseable JSON as its text, marked `encoded: 'json'`.
  if (response.body.kind === 'present' && response.body.encoded === 'json') {
    const type = response.body.contentType ?? 'a JSON content type';
    const text = String(response.body.content);
    throw new TargetError(
      `${url} answered HTTP ${captured.status} with ${type} but a body that is not JSON: ${JSON.stringify(text.slice(0, 80))}`,
      { details: { url } },
    );
  }
  return response;
}

export function comparable(response: HttpResponse, captured?: CapturedResponse): ComparableResponse {
  const headers: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(response.headers)) headers[name.toLowerCase()] = values;
  const out: ComparableResponse = { status: response.status, headers, body: response.body };
  // A parsed JSON body keeps its text: parity compares numbers and repeated keys as written.
  const body = response.body;
  if (captured && body.kind === 'present' && typeof body.content !== 'string')
    out.text = captured.body.toString('utf8');
  return out;
}

/**
 * Parity of two captured answers to one request, judged as verify judges an interaction: the
 * same differences, ranking and noise rules; `samples` are further answers of the monolith to the
 * same request, whose own differences are sampled noise (compared by type and format). Throws a
 * coded error when either side is not what its content type says (`url`s name the targets).
 */
export function compareCaptured(
  monolith: CapturedResponse,
  candidate: CapturedResponse,
  samples: readonly CapturedResponse[],
  noise: RouteNoise,
  urls: { monolith: string; candidate: string },
): ParityResult {
  const base = comparable(observe(monolith, urls.monolith), monolith);
  const differences = diffResponses(base, comparable(observe(candidate, urls.candidate), candidate), noise);
  const sampled = differences.some((d) => !d.noise)
    ? samples.map((s) => diffResponses(base, comparable(observe(s, urls.monolith), s), noise))
    : [];
  return judgeParity(differences, sampled, noise);
}
