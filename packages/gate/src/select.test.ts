import { describe, expect, it } from 'vitest';
import type { VerificationReport } from '@cutover/core';
import type { EvidenceReport } from './evidence.js';
import { partialFor, selectEvidence } from './select.js';
import { evidenceFrom, report, result } from './__fixtures__/evidence.js';

const tracking = { methods: ['GET' as const], path: '/api/tracking/**' };
const auth = { methods: ['POST' as const], path: '/api/auth/**' };

function at(finishedAt: string, source: string, edit: (r: VerificationReport) => void = () => {}): EvidenceReport {
  const r = report({ startedAt: '2026-11-22T00:00:00.000Z', finishedAt });
  edit(r);
  return evidenceFrom(r, source);
}

const sources = (selection: ReturnType<typeof selectEvidence>, consumer: string) =>
  selection.consumers.find((c) => c.consumer === consumer)?.reports.map((r) => r.source);

describe('selectEvidence', () => {
  it('takes the newest complete run of each consumer', () => {
    const selection = selectEvidence(
      [at('2026-11-22T01:00:00Z', 'old.json'), at('2026-11-22T02:00:00Z', 'new.json')],
      tracking,
    );
    expect(sources(selection, 'web-app')).toEqual(['new.json']);
    expect(selection.results.every((s) => s.report.source === 'new.json')).toBe(true);
  });

  it('never lets a filtered run replace a complete one, older or newer', () => {
    const complete = at('2026-11-22T01:00:00Z', 'complete.json');
    const filtered = at('2026-11-22T02:00:00Z', 'filtered.json', (r) => (r.filters = { descriptions: ['eta'] }));
    expect(sources(selectEvidence([filtered, complete], tracking), 'web-app')).toEqual(['complete.json']);
  });

  it('uses a newer filtered run for a route the complete run has no results under', () => {
    const complete = at('2026-11-22T01:00:00Z', 'complete.json');
    const login = at('2026-11-22T02:00:00Z', 'login.json', (r) => {
      r.filters = { routes: ['POST /api/auth/**'] };
      r.results = [result({ route: { method: 'POST', path: '/api/auth/login' } })];
    });
    const older = at('2026-11-22T00:30:00Z', 'older-login.json', (r) => {
      r.filters = { routes: ['POST /api/auth/**'] };
      r.results = [result({ route: { method: 'POST', path: '/api/auth/login' } })];
    });
    expect(sources(selectEvidence([complete, login, older], auth), 'web-app')).toEqual(['login.json']);
    // A filtered run older than the complete one is superseded even where the complete one is silent.
    expect(selectEvidence([complete, older], auth).consumers).toEqual([]);
  });

  it('keeps every equally new run of a consumer, in any command-line order', () => {
    const a = at('2026-11-22T01:00:00Z', 'a.json');
    const b = at('2026-11-22T01:00:00Z', 'b.json');
    expect(sources(selectEvidence([a, b], tracking), 'web-app')).toEqual(['a.json', 'b.json']);
    expect(sources(selectEvidence([b, a], tracking), 'web-app')).toEqual(['b.json', 'a.json']);
    expect(selectEvidence([b, a], tracking).results).toHaveLength(6);
  });

  it('does not count a consumer filter that kept the consumer as partial', () => {
    const kept = at('2026-11-22T01:00:00Z', 'k.json', (r) => (r.filters = { consumers: ['web-app'] }));
    expect(partialFor(kept, 'web-app')).toBe(false);
    expect(partialFor(kept, 'mobile-app')).toBe(true);
    expect(
      partialFor(
        at('2026-11-22T01:00:00Z', 's.json', (r) => (r.filters = { states: ['x'] })),
        'web-app',
      ),
    ).toBe(true);
  });
});
