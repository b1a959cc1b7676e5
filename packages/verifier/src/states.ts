import { CutoverError, ErrorCodes, exceedsJsonDepth, MAX_JSON_DEPTH } from '@cutover/core';
import type { ProviderState, TargetName } from '@cutover/core';
import { TargetClient } from './http.js';
import { defaultExport, loadUserModule } from './modules.js';
import type { ModuleCache } from './modules.js';

/** A provider-state setup or teardown failed; the interaction is an `error` on that target. */
export class ProviderStateError extends CutoverError {
  constructor(message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(ErrorCodes.PROVIDER_STATE_FAILED, message, options);
  }
}

export interface StateContext {
  target: TargetName;
  /** The target's base URL. */
  url: string;
  action: 'setup' | 'teardown';
}

/**
 * One state handler in a state module. A function is a setup handler; an object may have both.
 * Values a setup returns feed the interaction's `ProviderState` generators.
 */
export type StateHandler =
  | ((params: Record<string, unknown>, context: StateContext) => unknown)
  | {
      setup?: (params: Record<string, unknown>, context: StateContext) => unknown;
      teardown?: (params: Record<string, unknown>, context: StateContext) => unknown;
    };

/** Sets up and tears down provider states on one target. */
export interface StateRunner {
  setup(state: ProviderState): Promise<Record<string, unknown>>;
  teardown(state: ProviderState): Promise<void>;
  close(): Promise<void>;
}

/**
 * The Pact state-change protocol: `POST {state, params, action}` as JSON to the URL. A 2xx answer
 * succeeds; a JSON object in its body provides values for ProviderState generators.
 */
export class UrlStateRunner implements StateRunner {
  private readonly client: TargetClient;
  constructor(
    private readonly url: string,
    options: { timeoutMs: number; retries: number; maxBodyBytes?: number },
  ) {
    this.client = new TargetClient(url, { connections: 2, ...options });
  }

  setup(state: ProviderState): Promise<Record<string, unknown>> {
    return this.call(state, 'setup');
  }

  async teardown(state: ProviderState): Promise<void> {
    await this.call(state, 'teardown');
  }

  private async call(state: ProviderState, action: 'setup' | 'teardown'): Promise<Record<string, unknown>> {
    const body = Buffer.from(JSON.stringify({ state: state.name, params: state.params, action }));
    let response;
    try {
      response = await this.client.send({
        method: 'POST',
        path: '',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body,
      });
    } catch (cause) {
      throw new ProviderStateError(
        `State ${action} of "${state.name}" at ${this.url} failed: ${cause instanceof CutoverError ? cause.message : String(cause)}`,
        { cause, details: { url: this.url, state: state.name, action } },
      );
    }
    if (response.status < 200 || response.status > 299) {
      const text = response.body.toString('utf8').slice(0, 200);
      throw new ProviderStateError(
        `State ${action} of "${state.name}" at ${this.url} answered HTTP ${response.status}${text ? `: ${text}` : ''}`,
        { details: { url: this.url, state: state.name, action, status: response.status } },
      );
    }
    if (action === 'teardown' || response.body.length === 0) return {};
    let parsed: unknown;
    try {
      parsed = JSON.parse(response.body.toString('utf8'));
    } catch {
      return {};
    }
    // Its values go into requests, whose bodies every later step walks.
    if (exceedsJsonDepth(parsed)) {
      throw new ProviderStateError(
        `State ${action} of "${state.name}" at ${this.url} answered JSON nested deeper than ${MAX_JSON_DEPTH} levels`,
        { details: { url: this.url, state: state.name, action, limit: MAX_JSON_DEPTH } },
      );
    }
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  }

  close(): Promise<void> {
    return this.client.close();
  }
}

/** State handlers from a JS/TS module: `export default { 'a shipment exists': (params, ctx) => ({ id: 7 }) }`. */
export class ModuleStateRunner implements StateRunner {
  constructor(
    private readonly file: string,
    private readonly handlers: Record<string, StateHandler>,
    private readonly target: TargetName,
    private readonly url: string,
  ) {}

  static async load(
    file: string,
    cwd: string,
    target: TargetName,
    url: string,
    cache?: ModuleCache,
  ): Promise<ModuleStateRunner> {
    const module = await loadUserModule(file, cwd, 'State handler', cache);
    const handlers = (module.stateHandlers ?? defaultExport(module)) as unknown;
    if (!handlers || typeof handlers !== 'object') {
      throw new CutoverError(
        ErrorCodes.CONFIG_INVALID,
        `State handler module ${file} must export an object of handlers keyed by state name (default export or \`stateHandlers\`)`,
        { details: { file } },
      );
    }
    return new ModuleStateRunner(file, handlers as Record<string, StateHandler>, target, url);
  }

  setup(state: ProviderState): Promise<Record<string, unknown>> {
    return this.call(state, 'setup');
  }

  async teardown(state: ProviderState): Promise<void> {
    await this.call(state, 'teardown');
  }

  private async call(state: ProviderState, action: 'setup' | 'teardown'): Promise<Record<string, unknown>> {
    const handler = this.handlers[state.name];
    if (handler === undefined) {
      if (action === 'teardown') return {};
      throw new ProviderStateError(`State handler module ${this.file} has no handler for state "${state.name}"`, {
        details: { file: this.file, state: state.name },
      });
    }
    const fn = typeof handler === 'function' ? (action === 'setup' ? handler : undefined) : handler[action];
    if (fn === undefined) return {};
    try {
      const result = await fn(state.params, { target: this.target, url: this.url, action });
      return result && typeof result === 'object' && !Array.isArray(result) ? (result as Record<string, unknown>) : {};
    } catch (cause) {
      throw new ProviderStateError(
        `State ${action} of "${state.name}" (${this.file}) threw: ${(cause as Error)?.message ?? String(cause)}`,
        { cause, details: { file: this.file, state: state.name, action } },
      );
    }
  }

  async close(): Promise<void> {}
}
