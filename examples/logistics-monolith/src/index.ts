/**
 * The logistics monolith of the example system: tracking, shipments, auth, notifications and
 * document metadata over one JSON data file, with Pact's provider-state endpoint.
 *
 * @example
 * import { startMonolith } from '@cutover/example-logistics-monolith';
 * const { url, close } = await startMonolith({ port: 0, dataFile: '.cutover/demo/logistics.json' });
 */
export { startMonolith, DEV_JWT_SECRET, listen } from './server.js';
export type { MonolithOptions, RunningService } from './server.js';
export { seedDatabase, SEED_PASSWORDS } from './seed.js';
export { PROVIDER_STATES } from './routes/provider-states.js';
export type * from './domain/model.js';
