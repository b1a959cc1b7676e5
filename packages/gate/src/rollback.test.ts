import { describe, expect, it } from 'vitest';
import { decide, type GateDecision } from './decide.js';
import { parsePolicy } from './policy.js';
import { renderConsole, renderJson, renderJunit, renderMarkdown } from './render.js';
import { rollbackOf } from './rollback.js';
import { NOW, evidenceFrom, report, result } from './__fixtures__/evidence.js';

const POLICY = `
version: 1
provider: logistics
candidate: { service: tracking-service, upstream: tracking_service }
ROLLBACK
routes:
  - name: tracking
    match: { methods: [GET], path: "/api/tracking/{id}" }
    currentWeight: TRACKING
    rules: { schema: { required: false } }
  - name: events
    match: { methods: [GET], path: "/api/tracking/*/events" }
    currentWeight: EVENTS
    rules: { schema: { required: false } }
`;

const differs = {
  status: 'differs' as const,
  differences: [
    { kind: 'extra' as const, path: '$.internalRef', monolith: undefined, candidate: 'X-1', message: 'extra field' },
  ],
  noise: [],
};

function run(options: {
  tracking?: number;
  events?: number;
  eventsParity?: typeof differs;
  rollback?: string;
  now?: Date;
  force?: number;
}): GateDecision {
  const policy = parsePolicy(
    POLICY.replace('TRACKING', String(options.tracking ?? 10))
      .replace('EVENTS', String(options.events ?? 10))
      .replace('ROLLBACK', options.rollback ?? ''),
    'cutover.yaml',
  );
  const events = result({
    description: 'events of SHP-1001',
    route: { method: 'GET', path: '/api/tracking/SHP-1001/events', template: '/api/tracking/{id}/events' },
    ...(options.eventsParity ? { parity: options.eventsParity } : {}),
  });
  const r = report({ results: [result(), events] });
  return decide({
    policy,
    evidence: { reports: [evidenceFrom(r, 'verify.json')], problems: [] },
    candidateVersion: '1.4.0',
    now: options.now ?? NOW,
    ...(options.force !== undefined ? { force: options.force } : {}),
  });
}

describe('rollback', () => {
  it('takes a route with traffic back to 0% when the candidate is shown wrong, outcome rollback', () => {
    const decision = run({ events: 10, eventsParity: differs });
    expect(decision.outcome).toBe('rollback');
    const events = decision.routes.find((r) => r.name === 'events')!;
    expect(events).toMatchObject({
      outcome: 'blocked',
      currentWeight: 10,
      nextWeight: 0,
      rollback: { from: 10, to: 0, because: ['parity-differs'] },
    });
  });

  it('goes to the previous rollout step when the policy says so (a route may override it)', () => {
    expect(
      run({ events: 50, eventsParity: differs, rollback: 'rollback: { to: previous-step }' }).routes[1]!.rollback,
    ).toEqual({ from: 50, to: 10, because: ['parity-differs'] });
    expect(
      run({ events: 1, eventsParity: differs, rollback: 'rollback: { to: previous-step }' }).routes[1]!.rollback,
    ).toEqual({ from: 1, to: 0, because: ['parity-differs'] });
    expect(
      rollbackOf({
        outcome: 'blocked',
        currentWeight: 50,
        rolloutSteps: [5, 25, 50, 100],
        rollbackTo: 'previous-step',
        reasons: [{ code: 'schema-regression' }, { code: 'pact-failed' }, { code: 'schema-regression' }],
      }),
    ).toEqual({ from: 50, to: 25, because: ['schema-regression', 'pact-failed'] });
  });

  it('takes traffic back when live shadow traffic shows the candidate answering differently', () => {
    const route = {
      outcome: 'blocked' as const,
      currentWeight: 10,
      rolloutSteps: [1, 10, 50, 100],
      rollbackTo: 'zero' as const,
    };
    expect(rollbackOf({ ...route, reasons: [{ code: 'shadow-differs' }] })).toEqual({
      from: 10,
      to: 0,
      because: ['shadow-differs'],
    });
    expect(rollbackOf({ ...route, reasons: [{ code: 'shadow-insufficient' }] })).toBeUndefined();
  });

  it('only blocks a route without traffic on the candidate (nothing to roll back)', () => {
    const decision = run({ events: 0, eventsParity: differs });
    expect(decision.outcome).toBe('blocked');
    expect(decision.routes[1]).toMatchObject({ outcome: 'blocked', nextWeight: 0 });
    expect(decision.routes[1]!.rollback).toBeUndefined();
  });

  it('holds the current weight when the evidence is only missing or too old, not wrong', () => {
    const decision = run({
      events: 10,
      rollback: 'defaults: { maxEvidenceAge: 1h }',
      now: new Date(NOW.getTime() + 24 * 3_600_000),
    });
    expect(decision.outcome).toBe('blocked');
    for (const route of decision.routes) {
      expect(route.reasons.map((r) => r.code)).toContain('evidence-too-old');
      expect(route).toMatchObject({ nextWeight: 10 });
      expect(route.rollback).toBeUndefined();
    }
  });

  it('moves no other route forward in a run that rolls one back', () => {
    const decision = run({ tracking: 10, events: 10, eventsParity: differs });
    const tracking = decision.routes[0]!;
    expect(tracking).toMatchObject({ outcome: 'allowed', currentWeight: 10, nextWeight: 10 });
    expect(tracking.notes.join('\n')).toMatch(/held at 10% \(would move to 50%\): events rolls back/);
    // Not even a forced weight moves it, and the route does not claim to be forced.
    const forced = run({ tracking: 10, events: 10, eventsParity: differs, force: 100 }).routes[0]!;
    expect(forced).toMatchObject({ nextWeight: 10, forced: false });
  });

  it('says so first in every report: console, Markdown, JUnit and JSON', () => {
    const decision = run({ events: 10, eventsParity: differs });
    const console = renderConsole(decision).split('\n');
    expect(console[0]).toMatch(/^cutover gate: ROLLBACK — tracking-service 1\.4\.0/);
    expect(console[1]).toBe(
      'ROLLBACK events 10% → 0% (parity-differs): apply the routing artifact to take the traffic back',
    );
    expect(renderConsole(decision)).toMatch(/⏪ rollback {2}events .* rolled back 10% → 0%/);

    const markdown = renderMarkdown(decision).split('\n');
    expect(markdown[0]).toMatch(/^### ⏪ cutover gate: rollback/);
    expect(markdown[2]).toMatch(/^> \*\*Rollback:\*\* events 10% → 0% \(parity-differs\)/);

    expect(renderJunit(decision)).toMatch(
      /<failure message="ROLLBACK events 10% → 0% \(parity-differs\); [^"]*" type="rollback">/,
    );

    const json = renderJson(decision);
    expect(Object.keys(JSON.parse(json) as object).slice(0, 3)).toEqual(['format', 'decidedAt', 'outcome']);
    expect(JSON.parse(json)).toMatchObject({ outcome: 'rollback' });
  });
});
