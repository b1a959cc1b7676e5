import {
  describeError,
  ErrorCodes,
  LimitExceededError,
  matchHttpResponse,
  observedResponse,
  splitBaseline,
  TargetError,
  type HttpResponse,
  type Interaction,
  type InteractionResult,
  type SchemaResult,
  type TargetName,
  type TargetOutcome,
} from '@cutover/core';
import type { CapturedResponse } from './http.js';
import { judgeParity } from './judge.js';
import type { RouteNoise } from './noise.js';
import { diffResponses, type ComparableResponse } from './parity.js';
import { errorOf, type TargetRun, type TargetRuntime, type WorkItem } from './replay.js';
import type { SchemaChecker } from './schema.js';
import type { LoadedPact } from './sources.js';

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

/** Judges one interaction from what each target did. */
export async function evaluate(
  item: WorkItem,
  runs: Partial<Record<TargetName, TargetRun>>,
  targets: TargetRuntime[],
  noise: RouteNoise,
  schema: SchemaChecker | undefined,
  sampleMonolith?: () => Promise<CapturedResponse[]>,
  notSampled?: string,
): Promise<InteractionResult> {
  const { interaction, loaded } = item;
  const observed: Partial<Record<TargetName, HttpResponse[]>> = {};
  const outcomes: Partial<Record<TargetName, TargetOutcome>> = {};
  for (const target of targets) {
    const run = runs[target.name]!;
    const outcome: TargetOutcome = { outcome: 'error', mismatches: [], timingMs: run.timingMs };
    outcomes[target.name] = outcome;
    if (run.error) {
      outcome.error = run.error;
      continue;
    }
    try {
      const responses = run.responses.map((r) => observe(r, target.options.url));
      observed[target.name] = responses;
      const first = responses[0]!;
      outcome.status = first.status;
      const match = matchHttpResponse(interaction.response, first, { specMajor: loaded.pact.specMajor });
      outcome.mismatches = match.mismatches;
      outcome.outcome = match.ok ? 'pass' : 'fail';
    } catch (error) {
      delete observed[target.name];
      outcome.outcome = 'error';
      outcome.error = errorOf(error);
    }
  }

  const result: InteractionResult = {
    pact: item.pactIndex,
    index: interaction.index,
    consumer: loaded.pact.consumer.name,
    provider: loaded.pact.provider.name,
    description: interaction.description,
    providerStates: interaction.providerStates,
    pending: interaction.pending || loaded.pending,
    route: { method: interaction.request.method.toUpperCase(), path: interaction.request.path },
    targets: outcomes,
    parity: { status: 'not-compared', differences: [], noise: [] },
  };
  if (interaction.key !== undefined) result.interactionKey = interaction.key;
  const template = schema?.routeTemplate?.(result.route.method, result.route.path);
  if (template !== undefined) result.route.template = template;

  const monolith = observed.monolith;
  const candidate = observed.candidate;
  if (monolith && candidate) {
    const base = comparable(monolith[0]!, runs.monolith!.responses[0]);
    const differences = diffResponses(base, comparable(candidate[0]!, runs.candidate!.responses[0]), noise);
    let samples: ReturnType<typeof diffResponses>[] = [];
    // Noise samples only ever explain differences, so the monolith is sampled again only when
    // there is a difference to explain. A sample that fails explains nothing: differences count.
    if (sampleMonolith && differences.some((d) => !d.noise)) {
      const url = targets.find((t) => t.name === 'monolith')!.options.url;
      try {
        samples = (await sampleMonolith()).map((r) => diffResponses(base, comparable(observe(r, url), r), noise));
      } catch {
        samples = [];
      }
    }
    result.parity = judgeParity(differences, samples, noise);
    if (!sampleMonolith && notSampled !== undefined && result.parity.differences.length > 0) {
      result.parity.notSampled = notSampled;
    }
  }

  if (schema) {
    const request = runs.monolith?.request ?? runs.candidate?.request;
    const schemaResult: SchemaResult = { request: [], monolith: [], candidate: [], baseline: [], regressions: [] };
    // A validator fault must never look like a clean document check: the targets it concerns get
    // an `error` outcome naming the cause (the request check concerns every target).
    const validatorFault = (names: TargetName[], what: string, error: unknown): void => {
      const { message } = describeError(error);
      for (const name of names) {
        const outcome = outcomes[name];
        if (!outcome || outcome.outcome === 'skipped') continue;
        outcome.outcome = 'error';
        outcome.error ??= {
          code: ErrorCodes.OPENAPI_INVALID,
          message: `The OpenAPI validator failed on ${what} (${schema.source}): ${message}`,
        };
      }
    };
    if (request) {
      // Loaded with the document, never on start-up.
      const { fromHttpRequest, fromHttpResponse } = await import('@cutover/openapi/lite');
      const req = fromHttpRequest({ ...request, method: request.method.toUpperCase() });
      try {
        schemaResult.request = await schema.validateRequest(req);
      } catch (error) {
        validatorFault(
          targets.map((t) => t.name),
          `the request ${req.method} ${req.path}`,
          error,
        );
      }
      for (const [name, responses] of [
        ['monolith', monolith],
        ['candidate', candidate],
      ] as const) {
        if (!responses) continue;
        try {
          schemaResult[name] = await schema.validateResponse(req, fromHttpResponse(responses[0]!));
        } catch (error) {
          validatorFault([name], `the ${name}'s response to ${req.method} ${req.path}`, error);
        }
      }
    }
    const split = monolith
      ? splitBaseline(schemaResult.monolith, schemaResult.candidate)
      : { baseline: [], regressions: schemaResult.candidate };
    schemaResult.baseline = split.baseline;
    schemaResult.regressions = split.regressions;
    result.schema = schemaResult;
  }
  return result;
}

export function skippedResult(
  item: { pactIndex: number; loaded: LoadedPact; interaction: Interaction },
  targets: TargetRuntime[],
): InteractionResult {
  const outcomes: Partial<Record<TargetName, TargetOutcome>> = {};
  const reason = `${item.interaction.type} interactions are messages, not HTTP requests: nothing to replay`;
  for (const target of targets) {
    outcomes[target.name] = {
      outcome: 'skipped',
      mismatches: [],
      error: { code: ErrorCodes.NOT_REPLAYABLE, message: reason },
      timingMs: 0,
    };
  }
  const result: InteractionResult = {
    pact: item.pactIndex,
    index: item.interaction.index,
    consumer: item.loaded.pact.consumer.name,
    provider: item.loaded.pact.provider.name,
    description: item.interaction.description,
    providerStates: item.interaction.providerStates,
    pending: item.interaction.pending || item.loaded.pending,
    route: { method: 'MESSAGE', path: '' },
    targets: outcomes,
    parity: { status: 'not-compared', differences: [], noise: [] },
  };
  if (item.interaction.key !== undefined) result.interactionKey = item.interaction.key;
  return result;
}
