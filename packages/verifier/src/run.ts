import { readFileSync } from 'node:fs';
import {
  applyGenerators,
  ConfigError,
  describeError,
  ErrorCodes,
  interactionStatus,
  matchHttpResponse,
  NothingVerifiedError,
  ProviderStateError,
  parseRoutePattern,
  RESULTS_FORMAT,
  splitBaseline,
  redactCredentials,
  routeMatches,
  summarizeResults,
  UsageError,
} from '@cutover/core';

export { interactionStatus, monolithOnly } from '@cutover/core';
import type {
  HttpInteraction,
  HttpRequest,
  HttpResponse,
  Interaction,
  InteractionResult,
  ProviderState,
  SchemaResult,
  TargetName,
  TargetOutcome,
  VerificationReport,
} from '@cutover/core';
import { TargetClient, toOutgoing } from './http.js';
import type { CapturedResponse } from './http.js';
import { checkedOption, VERIFY_LIMITS } from './limits.js';
import { boundResultValues } from './report-values.js';
import { defaultExport, loadUserModule } from './modules.js';
import type { ModuleCache } from './modules.js';
import { NoiseRules, loadNoiseConfig, validateNoiseConfig } from './noise.js';
import type { RouteNoise } from './noise.js';
import type {
  OutgoingRequest,
  PathRewrite,
  RequestHook,
  TargetOptions,
  VerifyFilters,
  VerifyOptions,
} from './options.js';
import { judgeParity } from './judge.js';
import { diffResponses } from './parity.js';
import { comparable, observe } from './observe.js';
import { loadSchemaChecker } from './schema.js';
import type { SchemaChecker, SchemaRequest, SchemaResponse } from './schema.js';
import { loadPacts } from './sources.js';
import type { LoadedPact } from './sources.js';
import { ModuleStateRunner, UrlStateRunner } from './states.js';
import type { StateRunner } from './states.js';

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
  .version;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

function describeFilters(filters: VerifyOptions['filters']): string[] {
  const list = (values: string[] | undefined) => values?.map((v) => JSON.stringify(v)).join(', ');
  return [
    filters?.consumers?.length ? `consumer ${list(filters.consumers)}` : '',
    filters?.descriptions?.length ? `description containing ${list(filters.descriptions)}` : '',
    filters?.states?.length ? `provider state ${list(filters.states)}` : '',
    filters?.routes?.length ? `route ${list(filters.routes)}` : '',
  ].filter(Boolean);
}

/** The filters that select anything, for the report: evidence must say it covers part of the pacts. */
function recordedFilters(filters: VerifyOptions['filters']): VerifyFilters | undefined {
  const kept = Object.entries(filters ?? {}).filter(([, values]) => Array.isArray(values) && values.length > 0);
  return kept.length > 0 ? (Object.fromEntries(kept) as VerifyFilters) : undefined;
}

/** Extra knobs for programmatic use and tests. */
export interface VerifyInternals {
  /** Use this instead of loading `options.openapi` through @cutover/openapi. */
  schemaChecker?: SchemaChecker;
}

interface TargetRuntime {
  name: TargetName;
  options: TargetOptions;
  client: TargetClient;
  states?: StateRunner;
  hook?: RequestHook;
}

interface WorkItem {
  /** Position in the report. */
  slot: number;
  pactIndex: number;
  loaded: LoadedPact;
  interaction: HttpInteraction;
}

/** An interaction to verify, before its model is built. */
interface PendingItem {
  slot: number;
  pactIndex: number;
  /** Position in its pact. */
  index: number;
}

/** What one target did for one interaction: responses (sample 0 first) or the fault. */
interface TargetRun {
  responses: CapturedResponse[];
  /** The request as replayed (sample 0), for the schema step. */
  request?: HttpRequest;
  error?: { code: string; message: string };
  timingMs: number;
}

/** Runs tasks with at most `limit` in flight, in the order they were queued. */
function limiter(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  // A queue with a moving head: tens of thousands of waiters without O(n) shifts.
  const waiting: (() => void)[] = [];
  let head = 0;
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else active++;
    try {
      return await task();
    } finally {
      if (head < waiting.length) {
        const next = waiting[head]!;
        waiting[head++] = undefined as unknown as () => void;
        if (head > 1024 && head * 2 > waiting.length) {
          waiting.splice(0, head);
          head = 0;
        }
        next();
      } else active--;
    }
  };
}

/** Runs tasks one at a time, in the order they were queued. */
function lane(): <T>(task: () => Promise<T>) => Promise<T> {
  return limiter(1);
}

function applyRewrites(path: string, rewrites: PathRewrite[] | undefined): string {
  for (const { from, to } of rewrites ?? []) {
    const base = from.replace(/\/+$/, '');
    if (path === base || path.startsWith(`${base}/`) || path.startsWith(`${base}?`) || base === '') {
      return to.replace(/\/+$/, '') + path.slice(base.length);
    }
  }
  return path;
}

function matchesFilters(options: VerifyOptions, consumer: string, interaction: Interaction): boolean {
  const filters = options.filters;
  if (!filters) return true;
  if (filters.consumers?.length && !filters.consumers.includes(consumer)) return false;
  if (filters.descriptions?.length && !filters.descriptions.some((d) => interaction.description.includes(d))) {
    return false;
  }
  if (filters.states?.length && !interaction.providerStates.some((s) => filters.states!.includes(s.name))) {
    return false;
  }
  if (filters.routes?.length) {
    if (interaction.type !== 'http') return false;
    const { method, path } = interaction.request;
    if (!filters.routes.some((r) => routeMatches(parseRoutePattern(r), method, path))) return false;
  }
  return true;
}

async function openTarget(
  name: TargetName,
  options: TargetOptions,
  run: {
    concurrency: number;
    timeoutMs: number;
    retries: number;
    maxBodyBytes: number;
    cwd: string;
    modules: ModuleCache;
  },
): Promise<TargetRuntime> {
  const runtime: TargetRuntime = {
    name,
    options,
    client: new TargetClient(options.url, {
      connections: run.concurrency,
      timeoutMs: run.timeoutMs,
      retries: run.retries,
      maxBodyBytes: run.maxBodyBytes,
    }),
  };
  if (options.states && 'url' in options.states) {
    runtime.states = new UrlStateRunner(options.states.url, {
      timeoutMs: run.timeoutMs,
      retries: run.retries,
      maxBodyBytes: run.maxBodyBytes,
    });
  } else if (options.states && 'module' in options.states) {
    runtime.states = await ModuleStateRunner.load(options.states.module, run.cwd, name, options.url, run.modules);
  }
  if (options.requestHook) {
    const hook = defaultExport(await loadUserModule(options.requestHook, run.cwd, 'Request hook', run.modules));
    if (typeof hook !== 'function') {
      throw new ConfigError(`Request hook module ${options.requestHook} must have a function as its default export`, {
        details: { file: options.requestHook },
      });
    }
    runtime.hook = hook as RequestHook;
  }
  return runtime;
}

function errorOf(error: unknown): { code: string; message: string } {
  const { code, message } = describeError(error);
  return { code: code ?? ErrorCodes.TARGET_UNREACHABLE, message };
}

/** One state cycle on one target: setup, `samples` replays, teardown (teardown runs even after a failed replay). */
async function cycle(
  target: TargetRuntime,
  item: WorkItem,
  samples: number,
): Promise<{ responses: CapturedResponse[]; request: HttpRequest }> {
  const states = item.interaction.providerStates;
  if (states.length > 0 && !target.states) {
    throw new ProviderStateError(
      `The interaction needs provider state "${states[0]!.name}" but no state setup is configured for the ${target.name} (a state URL or state module)`,
    );
  }
  const values: Record<string, unknown> = {};
  const done: ProviderState[] = [];
  let failure: unknown;
  let result: { responses: CapturedResponse[]; request: HttpRequest } | undefined;
  try {
    for (const state of states) {
      Object.assign(values, await target.states!.setup(state));
      done.push(state);
    }
    const request = applyGenerators(item.interaction.request, { providerState: values });
    let outgoing: OutgoingRequest = toOutgoing(request);
    outgoing.path = applyRewrites(outgoing.path, target.options.rewritePaths);
    outgoing.headers = { ...outgoing.headers, ...lowerKeys(target.options.headers ?? {}) };
    if (target.hook) {
      outgoing = await target.hook(outgoing, {
        target: target.name,
        url: target.options.url,
        consumer: item.loaded.pact.consumer.name,
        description: item.interaction.description,
      });
    }
    // Samples of a safe method may run at once; an unsafe one is replayed in order, one at a time.
    let responses: CapturedResponse[];
    if (SAFE_METHODS.has(outgoing.method)) {
      responses = await Promise.all(Array.from({ length: samples }, () => target.client.send(outgoing)));
    } else {
      responses = [];
      for (let i = 0; i < samples; i++) responses.push(await target.client.send(outgoing));
    }
    result = { responses, request };
  } catch (error) {
    failure = error;
  }
  for (const state of done.reverse()) {
    try {
      await target.states!.teardown(state);
    } catch (error) {
      failure ??= error;
    }
  }
  if (failure !== undefined || result === undefined) throw failure;
  return result;
}

function lowerKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

/**
 * Replays one interaction on one target, `samples` times. Safe methods take all samples under one
 * state setup; other methods get a fresh setup/teardown per sample, so a sample never sees state
 * that the previous sample's request changed.
 */
async function runOnTarget(target: TargetRuntime, item: WorkItem, samples: number): Promise<TargetRun> {
  const started = performance.now();
  try {
    const stateful = item.interaction.providerStates.length > 0;
    if (!stateful || SAFE_METHODS.has(item.interaction.request.method.toUpperCase()) || samples === 1) {
      const { responses, request } = await cycle(target, item, samples);
      return { responses, request, timingMs: responses[0]!.timingMs };
    }
    const responses: CapturedResponse[] = [];
    let request: HttpRequest | undefined;
    for (let i = 0; i < samples; i++) {
      const one = await cycle(target, item, 1);
      responses.push(one.responses[0]!);
      request ??= one.request;
    }
    return { responses, request: request!, timingMs: responses[0]!.timingMs };
  } catch (error) {
    return { responses: [], error: errorOf(error), timingMs: round(performance.now() - started) };
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

function schemaBody(body: HttpResponse['body']): unknown {
  return body.kind === 'present' ? body.content : undefined;
}

function schemaRequest(request: HttpRequest): SchemaRequest {
  const out: SchemaRequest = {
    method: request.method.toUpperCase(),
    path: request.path,
    query: request.query,
    headers: request.headers,
  };
  if (request.body.kind === 'present') {
    out.body = request.body.content;
    const ct =
      Object.entries(request.headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1]?.[0] ??
      request.body.contentType;
    if (ct) out.contentType = ct;
  }
  return out;
}

function schemaResponse(response: HttpResponse): SchemaResponse {
  const out: SchemaResponse = { status: response.status, headers: comparable(response).headers };
  const body = schemaBody(response.body);
  if (body !== undefined) out.body = body;
  const ct = out.headers['content-type']?.[0];
  if (ct) out.contentType = ct;
  return out;
}

/** Judges one interaction from what each target did. */
async function evaluate(
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
      const req = schemaRequest(request);
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
          schemaResult[name] = await schema.validateResponse(req, schemaResponse(responses[0]!));
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

function skippedResult(
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

/**
 * True when the run must fail: an errored interaction (pending or not: pending forgives the
 * contract, not a dead target or a broken tool), or a failed interaction that is not pending.
 */
export function verificationFailed(report: VerificationReport): boolean {
  return report.results.some((r) => {
    const status = interactionStatus(r);
    return status === 'errored' || (status === 'failed' && !r.pending);
  });
}

/**
 * Verifies pacts against the monolith and/or the candidate: pact checks, parity, noise, schema.
 * Faults of a target become `error` outcomes in the report; only bad options and unreadable
 * inputs (pacts, noise file, OpenAPI document, modules) throw.
 *
 * @example
 * const report = await runVerify({
 *   pacts: ['contracts/pacts'],
 *   monolith: { url: 'http://localhost:8080', states: { url: 'http://localhost:8080/_pact/state' } },
 *   candidate: { url: 'http://localhost:9090', states: { module: 'test/states.ts' } },
 * });
 * console.log(renderConsole(report));
 */
export async function runVerify(options: VerifyOptions, internals: VerifyInternals = {}): Promise<VerificationReport> {
  const startedAt = new Date().toISOString();
  const cwd = options.cwd ?? process.cwd();
  if (!options.monolith && !options.candidate) {
    throw new UsageError('Name at least one target: the monolith and/or the candidate URL');
  }
  if (!options.pacts?.length && !options.broker) {
    throw new UsageError('Name the pacts to verify: files, folders or globs, or a broker URL with a provider');
  }
  const concurrency = checkedOption('concurrency', options.concurrency, VERIFY_LIMITS.concurrency);
  const timeoutMs = checkedOption('timeoutMs', options.timeoutMs, VERIFY_LIMITS.timeoutMs);
  const retries = checkedOption('retries', options.retries, VERIFY_LIMITS.retries);
  const noiseSamples = checkedOption('noiseSamples', options.noiseSamples, VERIFY_LIMITS.noiseSamples);
  const maxBodyBytes = checkedOption('maxBodyBytes', options.maxBodyBytes, VERIFY_LIMITS.maxBodyBytes);

  const noiseConfig =
    typeof options.noise === 'string' ? await loadNoiseConfig(options.noise, cwd) : validateNoiseConfig(options.noise);
  const noise = new NoiseRules(noiseConfig);
  const schema =
    internals.schemaChecker ??
    (options.openapi
      ? await loadSchemaChecker(options.openapi, cwd, {
          ...(options.refRoot === undefined ? {} : { refRoot: options.refRoot }),
          ...(options.allowRemoteRefs === undefined ? {} : { allowRemoteRefs: options.allowRemoteRefs }),
        })
      : undefined);
  // Interactions are picked while each pact is checked and built again when replayed: memory holds
  // the pacts' text and the results, never the model of every interaction at once.
  const picked: PendingItem[] = [];
  const skipped: { slot: number; pactIndex: number; interaction: Interaction }[] = [];
  let slots = 0;
  const pacts = await loadPacts(options, cwd, (pactIndex, interaction, pact) => {
    if (!matchesFilters(options, pact.consumer.name, interaction)) return;
    const slot = slots++;
    // `interaction.index` is its position in the pact stream, where it is built again.
    if (interaction.type === 'http') picked.push({ slot, pactIndex, index: interaction.index });
    else skipped.push({ slot, pactIndex, interaction });
  });

  // What will not be replayed (filtered out, messages) is released now; the rest as it is taken.
  const kept = pacts.map((loaded) => new Uint8Array(loaded.pact.size));
  for (const { pactIndex, index } of picked) kept[pactIndex]![index] = 1;
  pacts.forEach((loaded, pactIndex) => kept[pactIndex]!.forEach((keep, index) => keep || loaded.pact.release(index)));

  const targets: TargetRuntime[] = [];
  try {
    const run = { concurrency, timeoutMs, retries, maxBodyBytes, cwd, modules: new Map() as ModuleCache };
    if (options.monolith) targets.push(await openTarget('monolith', options.monolith, run));
    if (options.candidate) targets.push(await openTarget('candidate', options.candidate, run));

    // Filled in place as interactions finish (a packed array: `new Array(n)` turns slow past ~100k).
    const results = Array.from({ length: slots }, () => undefined as unknown as InteractionResult);
    for (const { slot, pactIndex, interaction } of skipped) {
      results[slot] = skippedResult({ pactIndex, loaded: pacts[pactIndex]!, interaction }, targets);
    }

    if (picked.length === 0 && !options.allowEmpty) {
      const filters = describeFilters(options.filters);
      const total = pacts.reduce((sum, p) => sum + p.pact.size, 0);
      const reasons = [`${pacts.length} pact(s) with ${total} interaction(s)`];
      if (filters.length > 0) reasons.push(`${slots} matched the filters (${filters.join('; ')})`);
      if (slots > 0) reasons.push(`${slots} are messages, which cannot be replayed over HTTP`);
      throw new NothingVerifiedError(
        `no interactions were verified: ${reasons.join(', ')}; pass --allow-empty (allowEmpty) to accept an empty run`,
      );
    }

    // Stateless interactions run concurrently per target. Stateful ones run one at a time on a
    // lane: one lane per target, or one shared lane when the targets share their state store.
    const pools = new Map(targets.map((t) => [t.name, limiter(concurrency)]));
    const shared = lane();
    const lanes = new Map(targets.map((t) => [t.name, options.stateLanes === 'shared' ? shared : lane()]));
    let done = slots - picked.length;
    options.onProgress?.(done, results.length);

    // A bounded window of interactions in flight keeps memory flat however long the pact is; items
    // are taken in pact order, so stateful ones join their lane in pact order.
    const verifyOne = async (item: WorkItem): Promise<void> => {
      const stateful = item.interaction.providerStates.length > 0;
      const runs: Partial<Record<TargetName, TargetRun>> = {};
      await Promise.all(
        targets.map(async (target) => {
          const schedule = stateful ? lanes.get(target.name)! : pools.get(target.name)!;
          runs[target.name] = await schedule(() => runOnTarget(target, item, 1));
        }),
      );
      const monolith = targets.find((t) => t.name === 'monolith');
      const { method, path } = item.interaction.request;
      // A stateful interaction gets a fresh state cycle per sample; anything else unsafe would be a second write.
      const resendable = stateful || SAFE_METHODS.has(method.toUpperCase()) || options.sampleUnsafeMethods === true;
      const notSampled = resendable
        ? undefined
        : `${method.toUpperCase()} is not a safe method and no provider state isolates a second request, so the monolith was not replayed for noise samples and every difference counts (sampleUnsafeMethods / --sample-unsafe-methods re-sends it)`;
      const sampleMonolith =
        monolith && options.candidate && noiseSamples > 1 && resendable
          ? async () => {
              const schedule = stateful ? lanes.get('monolith')! : pools.get('monolith')!;
              const run = await schedule(() => runOnTarget(monolith, item, noiseSamples - 1));
              if (run.error) throw new Error(run.error.message);
              return run.responses;
            }
          : undefined;
      const result = await evaluate(
        item,
        runs,
        targets,
        noise.forRoute(method, path),
        schema,
        sampleMonolith,
        notSampled,
      );
      results[item.slot] = boundResultValues(result);
      options.onProgress?.(++done, results.length);
    };
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < picked.length) {
        const { slot, pactIndex, index } = picked[next++]!;
        const loaded = pacts[pactIndex]!;
        // Built now and released from the pact at once: the results keep only what they report.
        const interaction = loaded.pact.interaction(index) as HttpInteraction;
        loaded.pact.release(index);
        await verifyOne({ slot, pactIndex, loaded, interaction });
      }
    };
    const window = Math.max(16, concurrency * 2);
    await Promise.all(Array.from({ length: Math.min(window, picked.length) }, worker));

    const report: VerificationReport = {
      format: RESULTS_FORMAT,
      tool: { name: 'cutover', version: VERSION },
      startedAt,
      finishedAt: new Date().toISOString(),
      provider: { name: options.provider?.name ?? pacts[0]?.pact.provider.name ?? 'unknown' },
      targets: Object.fromEntries(targets.map((t) => [t.name, { url: redactCredentials(t.options.url) }])),
      pacts: pacts.map((p) => p.reference),
      results,
      summary: summarizeResults(results),
    };
    if (options.provider?.version !== undefined) report.provider.version = options.provider.version;
    if (options.provider?.branch !== undefined) report.provider.branch = options.provider.branch;
    const filters = recordedFilters(options.filters);
    if (filters) report.filters = filters;
    if (schema) report.openapi = { source: redactCredentials(schema.source) };
    return report;
  } finally {
    await Promise.all(targets.flatMap((t) => [t.client.close(), t.states?.close()]));
  }
}
