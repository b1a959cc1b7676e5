/**
 * @cutover/recorder — pacts from traffic. The recording reverse proxy behind `cutover record`
 * (`createRecorder`, `startRecorder`), the grouping and matcher inference it uses (`PactBook`,
 * `inferBody`, `templatePath`), redaction, and atomic pact writes. The nock bridge is
 * `@cutover/recorder/nock`.
 *
 * @example
 * import { startRecorder } from '@cutover/recorder';
 * const recorder = await startRecorder({ target: 'http://localhost:8000', provider: 'logistics', outDir: 'contracts/pacts', port: 8088 });
 */
export { PactBook, type AddOutcome, type BookOptions, type PactDocument } from './book.js';
export { parseBody, type ParsedBody } from './body.js';
export { createConsumerResolver, DEFAULT_CONSUMER, type ConsumerRule } from './consumers.js';
export { headersFromRaw, normalizeHeaders, splitUrl, type Exchange } from './exchange.js';
export { segmentKind, SEGMENT_KINDS, templatePath } from './infer/path.js';
export { inferBody, looksLikeEnum, shapeOf, stringMatcher, STRING_FORMATS, type InferredBody } from './infer/values.js';
export {
  createRedactor,
  DEFAULT_REDACTION,
  REDACTED,
  redactExchange,
  redactHeaderValue,
  type RedactionOptions,
  type Redactor,
} from './redact.js';
export { pactFileName, writePactFile } from './write.js';
export {
  createRecorder,
  startRecorder,
  type Recorder,
  type RecorderEvent,
  type RecorderOptions,
  type SkipReason,
} from './proxy.js';
export { decodeBody } from './decode.js';
export {
  Capture,
  forwardable,
  parseUpstream,
  passThrough,
  refuseUpgrades,
  type PassThroughHooks,
  type Upstream,
} from './passthrough.js';
