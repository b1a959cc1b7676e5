import { SHADOW_FORMAT, shadowTotals, type ShadowEvidence, type ShadowRoute } from '@cutover/core';

const side = (requests: number, errors = 0) => ({
  requests,
  errors,
  errorRate: requests === 0 ? 0 : errors / requests,
  latency: { count: requests - errors, p50Ms: 4, p99Ms: 9 },
});

/** A shadow route of `compared` requests, `differing` of them with a leaked e-mail address. */
export function shadowRoute(compared: number, differing = 0, overrides: Partial<ShadowRoute> = {}): ShadowRoute {
  return {
    method: 'GET',
    path: '/api/tracking/{id}',
    seen: compared,
    mirrored: compared,
    compared,
    identical: compared - differing,
    noiseOnly: 0,
    differing,
    errored: 0,
    sampledOut: 0,
    dropped: 0,
    unsafeNotMirrored: 0,
    monolith: side(compared),
    candidate: side(compared),
    differences:
      differing === 0
        ? []
        : [
            {
              kind: 'extra',
              path: '$.customerEmail',
              count: differing,
              examples: [
                {
                  request: { method: 'GET', path: '/api/tracking/SHP-1001' },
                  candidate: 'ann@example.com',
                  message:
                    '$.customerEmail is extra on the candidate ("ann@example.com"); the monolith has no such field',
                },
              ],
            },
          ],
    noise: [],
    ...overrides,
  };
}

/** A shadow run of candidate 1.4.0 for logistics, finished at `finishedAt`. */
export function shadowEvidence(routes: ShadowRoute[], overrides: Partial<ShadowEvidence> = {}): ShadowEvidence {
  return {
    format: SHADOW_FORMAT,
    startedAt: '2026-11-22T01:00:00.000Z',
    finishedAt: '2026-11-22T01:30:00.000Z',
    mode: 'proxy',
    provider: 'logistics',
    candidateVersion: '1.4.0',
    monolith: { url: 'http://127.0.0.1:1' },
    candidate: { url: 'http://127.0.0.1:2' },
    settings: { sampleRate: 1, mirrorUnsafe: false, maxPending: 64, monolithSamples: true },
    totals: shadowTotals(routes),
    routes,
    notes: [],
    ...overrides,
  };
}
