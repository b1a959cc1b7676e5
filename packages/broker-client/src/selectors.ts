import { UsageError } from '@cutover/core';

/** A Pact consumer version selector, as the Pact Broker defines them. */
export interface ConsumerVersionSelector {
  mainBranch?: boolean;
  branch?: string;
  matchingBranch?: boolean;
  fallbackBranch?: string;
  deployed?: boolean;
  released?: boolean;
  deployedOrReleased?: boolean;
  environment?: string;
  consumer?: string;
  tag?: string;
  fallbackTag?: string;
  latest?: boolean;
}

const BOOLEAN_SELECTOR_KEYS = ['mainBranch', 'matchingBranch', 'deployed', 'released', 'deployedOrReleased', 'latest'];
const STRING_SELECTOR_KEYS = ['branch', 'fallbackBranch', 'environment', 'consumer', 'tag', 'fallbackTag'];
/** The consumer version selector keys Pact defines. */
export const CONSUMER_VERSION_SELECTOR_KEYS: readonly string[] = [...BOOLEAN_SELECTOR_KEYS, ...STRING_SELECTOR_KEYS];

/**
 * Checks consumer version selectors before anything is sent: each must be an object using only the
 * keys Pact defines, booleans and strings where Pact expects them. A misspelt key would otherwise
 * reach the broker, which may ignore it and select other pacts than meant.
 *
 * @example
 * validateConsumerVersionSelectors([{ mainBranch: true }, { deployedOrReleased: true }]);
 */
export function validateConsumerVersionSelectors(selectors: ConsumerVersionSelector[]): ConsumerVersionSelector[] {
  selectors.forEach((selector, index) => {
    const where = `Consumer version selector #${index + 1}`;
    if (!selector || typeof selector !== 'object' || Array.isArray(selector)) {
      throw new UsageError(`${where} must be a JSON object`);
    }
    for (const [key, value] of Object.entries(selector)) {
      if (!CONSUMER_VERSION_SELECTOR_KEYS.includes(key)) {
        throw new UsageError(
          `${where} has an unknown key ${JSON.stringify(key)}; known keys: ${CONSUMER_VERSION_SELECTOR_KEYS.join(', ')}`,
          { details: { selector: index, key } },
        );
      }
      const expected = BOOLEAN_SELECTOR_KEYS.includes(key) ? 'boolean' : 'string';
      if (typeof value !== expected) {
        throw new UsageError(`${where}: ${key} must be a ${expected}, got ${JSON.stringify(value)}`, {
          details: { selector: index, key },
        });
      }
    }
  });
  return selectors;
}
