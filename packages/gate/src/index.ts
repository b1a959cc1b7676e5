/**
 * @cutover/gate — decides, per route, whether traffic may move from the monolith to the extracted
 * service, from verification evidence and a policy; renders reports and gateway routing artifacts.
 *
 * @example
 * import { runGate, renderConsole, writeRoutingArtifacts } from '@cutover/gate';
 * const { decision } = await runGate({ policy: 'contracts/cutover.yaml', resultsFiles: ['reports/verify.json'] });
 * process.stdout.write(renderConsole(decision));
 * await writeRoutingArtifacts(decision, 'deploy/routing', ['nginx']); // only an allowed decision writes
 *
 * @example
 * import { loadPolicy, collectEvidence, decide, renderConsole, renderRouting } from '@cutover/gate';
 * const policy = await loadPolicy('contracts/cutover.yaml');
 * const evidence = await collectEvidence({ resultsFiles: ['reports/verify.json'] });
 * const decision = decide({ policy, evidence, candidateVersion: '1.4.0' });
 * process.stdout.write(renderConsole(decision));
 * if (decision.outcome === 'allowed') renderRouting(decision, { gateway: 'nginx' });
 */
export * from './policy.js';
export * from './evidence.js';
export * from './broker-evidence.js';
export * from './openapi.js';
export * from './decide.js';
export * from './render.js';
export * from './routing.js';
export * from './artifacts.js';
export * from './run-gate.js';
export * from './values.js';
export * from './shadow.js';
export { patternsOverlap, templateUnderPattern } from './route-patterns.js';
export type { MethodCoverage } from './coverage.js';
