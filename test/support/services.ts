/*
 * Example services (monolith, tracking service) for end-to-end tests. The demo starts them the
 * same way and has no test dependencies, so the one implementation stays in the demo; tests reach
 * it only through here.
 */
export { startService, stopAll, type Service } from '../../examples/demo/src/processes.js';
