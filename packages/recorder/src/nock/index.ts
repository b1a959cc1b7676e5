/**
 * @cutover/recorder/nock — the nock bridge: pacts from the interceptors nock-based tests declare
 * (`recordPacts` in a vitest setup file) and from `nock.recorder` output.
 *
 * @example
 * import { recordPacts } from '@cutover/recorder/nock';
 * recordPacts({ consumer: 'web-app', provider: 'logistics' });
 */
export { captureNock, type NockCapture } from './capture.js';
export { pactFromNockRecording, type NockDefinition, type NockNote, type NockPactOptions } from './convert.js';
export { pactFromInterceptors, type NockInterceptor, type SeenRequest } from './interceptors.js';
export { recordPacts, type RecordPactsOptions } from './vitest.js';
