/*
 * Example services (monolith, tracking service) for end-to-end tests. The demo starts them the
 * same way and has no test dependencies, so the one implementation stays in the demo; tests reach
 * it only through here.
 */
export { startService, stopAll, type Service } from '../../examples/demo/src/processes.js';

/**
 * `cutover verify`'s target options for the example system: the monolith and the candidate, each
 * with its provider-state endpoint (shared state), the tracking routes only.
 */
export function exampleTargetArgs(monolithUrl: string, candidateUrl: string): string[] {
  return [
    '--monolith',
    monolithUrl,
    '--monolith-state-url',
    `${monolithUrl}/_pact/provider-states`,
    '--candidate',
    candidateUrl,
    '--candidate-state-url',
    `${candidateUrl}/_pact/provider-states`,
    '--shared-state',
    '--filter-route',
    '/api/tracking/**',
  ];
}
