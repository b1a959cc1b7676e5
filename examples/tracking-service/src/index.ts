/**
 * The tracking service extracted from the logistics monolith (the example system's candidate).
 *
 * @example
 * import { startTrackingService } from '@cutover/example-tracking-service';
 * const svc = await startTrackingService({ port: 0, dataFile: '.cutover/demo/logistics.json' });
 */
export { startTrackingService } from './server.js';
export type { TrackingServiceOptions, RunningService } from './server.js';
export { DIVERGENCES, parseDivergences } from './divergence.js';
export type { Divergence } from './divergence.js';
