/**
 * @cutover/core — the pact model (spec v2/v3/v4), the matching engine, generators, the shared
 * results format and the registry of coded errors.
 *
 * @example
 * import { loadPact, matchResponse } from '@cutover/core';
 * const pact = await loadPact('contracts/pacts/web-app-logistics.json');
 */
export * from './errors.js';
export { ensureOutputDir, writeOutputFile } from './output.js';
export { exceedsJsonDepth, MAX_JSON_DEPTH } from './json-depth.js';
export {
  escapeMarkdown,
  escapeRegex,
  escapeXml,
  markdownCode,
  redactCredentials,
  redactUrl,
  visibleControls,
} from './text.js';
export { isObject, type JsonObject } from './values.js';
export { parseDuration } from './duration.js';
export { clipText, previewValue, PREVIEW_LENGTH } from './preview.js';
export {
  appendPointer,
  escapeToken as escapePointerToken,
  formatPointer,
  getAtPointer,
  refToPointer,
  splitPointer,
} from './json-pointer.js';
export { formatJsonPath, parseJsonPath } from './json-path.js';
export type * from './model.js';
export * from './results.js';
export * from './shadow.js';
export * from './generators/index.js';
export * from './matching/index.js';
export { pactSha256, readPactFile, resolvePactFiles } from './pact/files.js';
export {
  compileGroupPattern,
  compilePactRegex,
  compileSchemaPattern,
  RegexIssue,
  type GroupPattern,
  type PactRegex,
  type SchemaPattern,
} from './regex/index.js';
export { normalizeRequest, normalizeResponse, specMajorOf } from './pact/http.js';
export {
  isSegmentWildcard,
  parseRoutePattern,
  pathMatchesPattern,
  pathPatternProblem,
  pathPatternRegex,
  routeMatches,
  type RoutePattern,
} from './routes.js';
export {
  loadPact,
  openPact,
  parsePact,
  type LoadPactOptions,
  type OpenPactOptions,
  type PactHeader,
  type PactStream,
} from './pact/load.js';
export { parseYaml, stringifyYaml, yamlLocator, YAML_MIN_EXPANDED_VALUES, type ParseYamlOptions } from './yaml.js';
