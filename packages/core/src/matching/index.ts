/** The Pact matching engine: request/response matching, matchers, rule paths. */
export { matchHttpRequest, matchRequest, type MatchOptions } from './request.js';
export { matchHttpResponse, matchResponse } from './response.js';
export { observedResponse } from './observed.js';
export { parseRulePath, pathMatches, formatPath, type PathToken } from './path.js';
export { validateMatchingRules } from './rules.js';
export { describeMediaTypeDifference } from './media.js';
export {
  decimalKey,
  keyCount,
  numberLiteral,
  parseJsonKeepingNumbers,
  scanJsonKeys,
  stringifyJsonKeepingNumbers,
} from './body/numbers.js';
