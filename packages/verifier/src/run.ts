import { readFileSync } from 'node:fs';
import {
  NothingVerifiedError,
  RESULTS_FORMAT,
  redactCredentials,
  summarizeResults,
  UsageError,
  type HttpInteraction,
  type Interaction,
  type InteractionResult,
  type TargetName,
  type VerificationReport,
} from '@cutover/core';
import { checkedOption, VERIFY_LIMITS } from './limits.js';
import { boundResultValues } from './report-values.js';
import type { ModuleCache } from './modules.js';
import { NoiseRules, loadNoiseConfig, validateNoiseConfig } from './noise.js';
import type { VerifyOptions } from './options.js';
import { evaluate, skippedResult } from './evaluate.js';
import { describeFilters, matchesFilters, recordedFilters } from './filters.js';
import { openTarget, runOnTarget, SAFE_METHODS, type TargetRun, type TargetRuntime, type WorkItem } from './replay.js';
import { lane, limiter } from './schedule.js';
import { loadSchemaChecker, type SchemaChecker } from './schema.js';
import { loadPacts } from './sources.js';

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
  .version;

/** Extra knobs for programmatic use and tests. */
export interface VerifyInternals {
  /** Use this instead of loading `options.openapi` through @cutover/openapi. */
  schemaChecker?: SchemaChecker;
}

/** An interaction to verify, before its model is built. */
interface PendingItem {
  slot: number;
  pactIndex: number;
  /** Position in its pact. */
  index: number;
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
