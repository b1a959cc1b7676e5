import {
  applyGenerators,
  ConfigError,
  describeError,
  ErrorCodes,
  ProviderStateError,
  type HttpInteraction,
  type HttpRequest,
  type ProviderState,
  type TargetName,
} from '@cutover/core';
import { TargetClient, toOutgoing, type CapturedResponse } from './http.js';
import { defaultExport, loadUserModule, type ModuleCache } from './modules.js';
import type { OutgoingRequest, PathRewrite, RequestHook, TargetOptions } from './options.js';
import type { LoadedPact } from './sources.js';
import { ModuleStateRunner, UrlStateRunner, type StateRunner } from './states.js';

/** Methods whose replay changes nothing: their samples may run at once and be re-sent for noise. */
export const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

export interface TargetRuntime {
  name: TargetName;
  options: TargetOptions;
  client: TargetClient;
  states?: StateRunner;
  hook?: RequestHook;
}

export interface WorkItem {
  /** Position in the report. */
  slot: number;
  pactIndex: number;
  loaded: LoadedPact;
  interaction: HttpInteraction;
}

/** What one target did for one interaction: responses (sample 0 first) or the fault. */
export interface TargetRun {
  responses: CapturedResponse[];
  /** The request as replayed (sample 0), for the schema step. */
  request?: HttpRequest;
  error?: { code: string; message: string };
  timingMs: number;
}

export function applyRewrites(path: string, rewrites: PathRewrite[] | undefined): string {
  for (const { from, to } of rewrites ?? []) {
    const base = from.replace(/\/+$/, '');
    if (path === base || path.startsWith(`${base}/`) || path.startsWith(`${base}?`) || base === '') {
      return to.replace(/\/+$/, '') + path.slice(base.length);
    }
  }
  return path;
}

export async function openTarget(
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

export function errorOf(error: unknown): { code: string; message: string } {
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
export async function runOnTarget(target: TargetRuntime, item: WorkItem, samples: number): Promise<TargetRun> {
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
