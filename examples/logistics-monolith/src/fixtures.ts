/**
 * Test fixtures shared with the extracted tracking service during the transition: the data-file
 * store (the shared read replica) and the provider-state handlers that seed it, so a provider state
 * set up on either side writes the same rows.
 */
export { Store } from './store.js';
export { PROVIDER_STATES, changeProviderState } from './routes/provider-states.js';
export type { StateHandler } from './routes/provider-states.js';
export { seedDatabase } from './seed.js';
export { DomainError } from './domain/errors.js';
export type * from './domain/model.js';
