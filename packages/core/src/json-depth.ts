import { LimitExceededError } from './errors.js';

/**
 * How deeply JSON may nest (arrays and objects inside each other, `[]` being depth 1) in a pact
 * body or in a body a target answers. Matching, parity, OpenAPI validation and the reports walk
 * bodies recursively; checking this once where a body is parsed keeps every later walk far from
 * the call-stack limit, so a hostile body costs one interaction, never the run.
 */
export const MAX_JSON_DEPTH = 256;

/** True when `value` nests arrays and objects deeper than `limit`; iterative, so any depth is safe to ask about. */
export function exceedsJsonDepth(value: unknown, limit: number = MAX_JSON_DEPTH): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const nodes: object[] = [value];
  const depths: number[] = [1];
  while (nodes.length > 0) {
    const node = nodes.pop()!;
    const depth = depths.pop()!;
    if (depth > limit) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (typeof child === 'object' && child !== null) {
        nodes.push(child as object);
        depths.push(depth + 1);
      }
    }
  }
  return false;
}

/** The error for a body nested deeper than {@link MAX_JSON_DEPTH}; `what` names the body. */
export function jsonDepthError(what: string, details: Record<string, unknown> = {}): LimitExceededError {
  return new LimitExceededError(`${what} nests JSON deeper than ${MAX_JSON_DEPTH} levels, the limit for JSON bodies`, {
    details: { ...details, limit: MAX_JSON_DEPTH },
  });
}
