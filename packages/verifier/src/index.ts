/**
 * @cutover/verifier — replays consumer interactions against the monolith and the candidate and
 * reports pact checks, parity, noise and schema results in the `cutover.verification/v1` format.
 *
 * @example
 * import { runVerify, renderConsole } from '@cutover/verifier';
 * const report = await runVerify({ pacts: ['pacts/'], monolith: { url: 'http://localhost:8080' },
 *   candidate: { url: 'http://localhost:9090' } });
 * process.stdout.write(renderConsole(report));
 */
export { runVerify } from './run.js';
export { interactionStatus, verificationFailed } from './status.js';
// The verifier's coded errors, where its users import them from.
export { NothingVerifiedError, ProviderStateError, TargetError } from '@cutover/core';
export type { VerifyInternals } from './run.js';
export type {
  VerifyOptions,
  TargetOptions,
  StateConfig,
  BrokerOptions,
  VerifyFilters,
  PathRewrite,
  RequestHook,
  RequestHookContext,
  OutgoingRequest,
} from './options.js';
export { loadNoiseConfig, NoiseRules, validateNoiseConfig } from './noise.js';
export type { NoiseConfig, NoiseRule, NoiseMode, RouteNoise } from './noise.js';
export { compareCaptured } from './compare.js';
export { diffResponses, DEFAULT_IGNORED_HEADERS } from './parity.js';
export { judgeParity, formatOf, rankDifferences } from './judge.js';
export { TargetClient } from './http.js';
export type { CapturedResponse, TargetClientOptions } from './http.js';
export { VERIFY_LIMITS, checkedOption, parseByteSize, formatByteSize } from './limits.js';
export type { NumericLimit } from './limits.js';
export type { StateHandler, StateContext } from './states.js';
export { publishVerificationResults, verificationBody } from './publish.js';
export type { PublishOptions, PactTestResult, PactTestMismatch, PublishedVerification } from './publish.js';
export type { SchemaChecker, SchemaRequest, SchemaResponse } from './schema.js';
// Kept for callers of earlier versions; it lives in @cutover/core, next to loadPact.
export { resolvePactFiles } from '@cutover/core';
export { renderConsole, renderConsoleChunks, type ConsoleOptions } from './reporters/console.js';
export { renderJunit, renderJunitChunks } from './reporters/junit.js';
export { renderMarkdown } from './reporters/markdown.js';
export { createProgress } from './progress.js';
export type { Progress } from './progress.js';
export { renderJsonChunks, writeJsonReport } from './reporters/json.js';
