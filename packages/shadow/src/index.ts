/**
 * @cutover/shadow — shadow comparison of live traffic, behind `cutover shadow`. A mirroring proxy
 * in front of the monolith (`createShadowProxy`, `startShadowProxy`), or a receiver for the
 * gateway's own mirroring (`createMirrorReceiver`, with its nginx and Envoy configuration), compares
 * the candidate's answers with the monolith's through verify's parity engine and writes the
 * `cutover.shadow/v1` evidence the gate reads.
 *
 * @example
 * import { startShadowProxy, writeShadowEvidence } from '@cutover/shadow';
 * const shadow = await startShadowProxy({ monolith: 'http://localhost:8000', candidate: 'http://localhost:9000', port: 8089 });
 * // … traffic …
 * await writeShadowEvidence('reports/shadow.json', await shadow.close());
 */
export { createShadowProxy, startShadowProxy, type ShadowServer } from './proxy.js';
export { createMirrorReceiver, startMirrorReceiver, type MirrorReceiver } from './mirror.js';
export type { ShadowOptions } from './runtime.js';
export { SAFE_METHODS, type MirroredRequest } from './compare.js';
export { MAX_ROUTES, type RouteKey } from './stats.js';
export { envoyMirrorRoute, nginxMirrorConfig } from './gateway.js';
export { publishShadowEvidence, writeShadowEvidence, renderShadowSummary } from './evidence.js';
