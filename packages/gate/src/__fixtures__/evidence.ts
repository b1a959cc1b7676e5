import { RESULTS_FORMAT, summarizeResults, type InteractionResult, type VerificationReport } from '@cutover/core';
import { reportToEvidence, type EvidenceReport } from '../evidence.js';
import { parsePolicy, type Policy } from '../policy.js';
import { documentedOperations, OpenApiDocument } from '@cutover/openapi';

/** A passing, identical, schema-clean interaction result; override what a test is about. */
export function result(
  overrides: Partial<InteractionResult> & { path?: string; method?: string } = {},
): InteractionResult {
  const { path = '/api/tracking/SHP-1001', method = 'GET', ...rest } = overrides;
  return {
    consumer: 'web-app',
    provider: 'logistics',
    description: 'a request for shipment SHP-1001 tracking',
    providerStates: [{ name: 'shipment SHP-1001 exists', params: {} }],
    pending: false,
    route: { method, path, template: '/api/tracking/{id}' },
    targets: {
      monolith: { outcome: 'pass', status: 200, mismatches: [], timingMs: 5 },
      candidate: { outcome: 'pass', status: 200, mismatches: [], timingMs: 4 },
    },
    parity: { status: 'identical', differences: [], noise: [] },
    schema: { request: [], monolith: [], candidate: [], baseline: [], regressions: [] },
    ...rest,
  };
}

export const T0 = '2026-11-22T01:00:00.000Z';
export const T1 = '2026-11-22T01:00:05.000Z';
/** A "now" one hour after the fixture reports ran. */
export const NOW = new Date('2026-11-22T02:00:05.000Z');

/** A verification report of candidate version 1.4.0 with web-app and mobile-app results. */
export function report(overrides: Partial<VerificationReport> = {}): VerificationReport {
  const results = overrides.results ?? [
    result(),
    result({
      path: '/api/tracking/SHP-1001/events',
      description: 'events of SHP-1001',
      route: { method: 'GET', path: '/api/tracking/SHP-1001/events', template: '/api/tracking/{id}/events' },
    }),
    result({
      consumer: 'mobile-app',
      description: 'eta of SHP-1001',
      route: { method: 'GET', path: '/api/tracking/SHP-1001/eta', template: '/api/tracking/{id}/eta' },
    }),
  ];
  return {
    format: RESULTS_FORMAT,
    tool: { name: 'cutover', version: '0.1.0' },
    startedAt: T0,
    finishedAt: T1,
    provider: { name: 'logistics', version: '1.4.0' },
    targets: { monolith: { url: 'http://127.0.0.1:1' }, candidate: { url: 'http://127.0.0.1:2' } },
    pacts: [
      {
        consumer: 'web-app',
        provider: 'logistics',
        source: 'contracts/pacts/web-app-logistics.json',
        createdAt: '2026-11-22T00:00:00.000Z',
      },
      {
        consumer: 'mobile-app',
        provider: 'logistics',
        source: 'contracts/pacts/mobile-app-logistics.json',
        createdAt: '2026-11-22T00:00:00.000Z',
      },
    ],
    summary: summarizeResults(results),
    ...overrides,
    results,
  };
}

export const OPENAPI = {
  openapi: '3.0.3',
  info: { title: 'logistics', version: '1' },
  paths: {
    '/api/tracking/{id}': { get: { operationId: 'getTracking', responses: {} } },
    '/api/tracking/{id}/events': { get: { operationId: 'getTrackingEvents', responses: {} } },
    '/api/tracking/{id}/eta': { get: { operationId: 'getTrackingEta', responses: {} } },
    '/api/shipments': { post: { operationId: 'createShipment', responses: {} } },
  },
};

/** The operations of {@link OPENAPI}, as `loadDocumentedOperations` lists them. */
export const OPERATIONS = documentedOperations(new OpenApiDocument(OPENAPI, { source: 'openapi.json' }));

export const POLICY_YAML = `
version: 1
provider: logistics
candidate: { service: tracking-service, upstream: tracking_service }
monolith: { upstream: monolith }
defaults:
  maxEvidenceAge: 24h
routes:
  - name: tracking
    match: { methods: [GET], path: /api/tracking/** }
    currentWeight: 0
    rules:
      requiredConsumers: [web-app, mobile-app]
      requireAllOperationsExercised: true
`;

/** The fixture policy, optionally edited as YAML text first. */
export function policy(edit: (yaml: string) => string = (y) => y): Policy {
  return parsePolicy(edit(POLICY_YAML), 'fixture.yaml');
}

/** The report as evidence, its summary recomputed first: tests edit `results` after building a report. */
export function evidenceFrom(r: VerificationReport, source: string): EvidenceReport {
  return reportToEvidence({ ...r, summary: summarizeResults(r.results) }, source);
}
