/** Test helpers: fixture HTTP servers on port 0 and pact builders, for tests and benchmarks. */
export * from './servers.js';
export * from './pacts.js';
