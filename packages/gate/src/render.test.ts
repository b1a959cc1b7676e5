import { DOMParser } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { decide, type GateDecision } from './decide.js';
import { renderConsole, renderJson, renderJunit, renderMarkdown } from './render.js';
import { NOW, OPERATIONS, policy, report, result, evidenceFrom } from './__fixtures__/evidence.js';

function decisionWith(blocked: boolean): GateDecision {
  const r = report();
  if (blocked)
    r.results[0] = result({
      description: 'tracking <SHP-1001> & "quotes"',
      parity: {
        status: 'differs',
        differences: [
          { kind: 'value', path: '$.status', monolith: 'IN_TRANSIT', candidate: 'in|transit', message: 'differs' },
        ],
        noise: [],
      },
    });
  return decide({
    policy: policy(),
    evidence: { reports: [evidenceFrom(r, 'verify.json')], problems: [] },
    candidateVersion: '1.4.0',
    operations: OPERATIONS,
    now: NOW,
  });
}

describe('renderConsole', () => {
  it('says allowed with the weight change', () => {
    const text = renderConsole(decisionWith(false));
    expect(text).toMatch(/^cutover gate: ALLOWED — tracking-service 1\.4\.0 \(fixture\.yaml\)/);
    expect(text).toContain(
      '✔ allowed  tracking  GET /api/tracking/**  0% → 1%  (3 interactions, consumers: mobile-app, web-app)',
    );
  });

  it('says which paths the evidence covers, per method', () => {
    expect(renderConsole(decisionWith(false))).toContain(
      '    evidence covers: GET /api/tracking/{id}, /api/tracking/{id}/eta, /api/tracking/{id}/events',
    );
    expect(renderMarkdown(decisionWith(false))).toContain(
      '- tracking: evidence covers GET /api/tracking/{id}, /api/tracking/{id}/eta, /api/tracking/{id}/events',
    );
  });

  it('lists every reason of a blocked route with its code', () => {
    const text = renderConsole(decisionWith(true));
    expect(text).toContain('✘ blocked  tracking  GET /api/tracking/**  stays at 0%');
    expect(text).toContain(
      '- [parity-differs] web-app › "tracking <SHP-1001> & "quotes"": the candidate differs from the monolith at $.status (value): monolith "IN_TRANSIT", candidate "in|transit"',
    );
  });
});

describe('renderJson', () => {
  it('round-trips the decision', () => {
    const decision = decisionWith(true);
    expect(JSON.parse(renderJson(decision))).toEqual(JSON.parse(JSON.stringify(decision)));
  });
});

describe('renderMarkdown', () => {
  it('has a summary table and a reasons table with path, monolith and candidate values', () => {
    const md = renderMarkdown(decisionWith(true));
    expect(md).toMatch(/^### ⛔ cutover gate: blocked — tracking-service `1\.4\.0`/);
    expect(md).toContain('| tracking | `GET /api/tracking/**` | ⛔ blocked | stays at 0% | 3 | mobile-app, web-app |');
    expect(md).toContain('| Reason | Consumer | Interaction | Path | Monolith or pact | Candidate | Detail |');
    const row = md.split('\n').find((l) => l.startsWith('| `parity-differs`'))!;
    expect(row).toContain(
      '| web-app | tracking \\<SHP-1001\\> \\& "quotes" | `$.status` | monolith `"IN_TRANSIT"` | candidate `"in\\|transit"` |',
    );
    // a table row keeps its column count: escaped pipes do not split cells
    expect(row.split(/(?<!\\)\|/).length).toBe(9);
  });

  it("labels a pact failure's values as the pact's expectation and the candidate's answer, not the monolith's", () => {
    const r = report();
    r.results[0] = result({
      targets: {
        monolith: { outcome: 'pass', mismatches: [], timingMs: 1 },
        candidate: {
          outcome: 'fail',
          mismatches: [{ kind: 'body', path: '$.status', expected: 'IN_TRANSIT', actual: 'LOST', message: 'x' }],
          timingMs: 1,
        },
      },
    });
    const md = renderMarkdown(
      decide({ policy: policy(), evidence: { reports: [evidenceFrom(r, 'v.json')], problems: [] }, now: NOW }),
    );
    const row = md.split('\n').find((l) => l.startsWith('| `pact-failed`'))!;
    expect(row).toContain('| `$.status` | pact expects `"IN_TRANSIT"` | candidate `"LOST"` |');
    expect(row).not.toMatch(/monolith/);
  });

  it("shows a schema reason's location and what the monolith's schema check says", () => {
    const v = {
      code: 'response.body.required',
      severity: 'error' as const,
      on: 'response' as const,
      instancePath: '/eta',
      schemaPath: '#/x',
      rule: 'required',
      message: 'must have required property "eta"',
    };
    const r = report();
    r.results[0] = result({ schema: { request: [], monolith: [], candidate: [v], baseline: [], regressions: [v] } });
    const md = renderMarkdown(
      decide({ policy: policy(), evidence: { reports: [evidenceFrom(r, 'v.json')], problems: [] }, now: NOW }),
    );
    const row = md.split('\n').find((l) => l.startsWith('| `schema-regression`'))!;
    expect(row).toContain('| `response /eta` | monolith: not violated | candidate: violated |');
  });

  it('says clearly when staleness could not be checked', () => {
    const r = report();
    r.pacts = r.pacts.map(({ createdAt: _createdAt, ...p }) => p);
    const decision = decide({
      policy: policy(),
      evidence: { reports: [evidenceFrom(r, 'v.json')], problems: [] },
      now: NOW,
    });
    expect(renderMarkdown(decision)).toMatch(
      /> \*\*Warning:\*\* staleness could not be checked for mobile-app \(v\.json\)/,
    );
    expect(renderConsole(decision)).toMatch(
      /\nwarning: staleness could not be checked for mobile-app \(v\.json\), web-app/,
    );
  });

  it('lists at most maxReasonsPerRoute reasons and counts the rest', () => {
    const decision = decisionWith(true);
    const route = decision.routes[0]!;
    route.reasons = Array.from({ length: 7 }, (_, i) => ({ ...route.reasons[0]!, message: `reason ${i}` }));
    const md = renderMarkdown(decision, { maxReasonsPerRoute: 5 });
    expect(md.split('\n').filter((l) => l.startsWith('| `parity-differs`'))).toHaveLength(5);
    expect(md).toContain('…and 2 more reason(s) for tracking: see the JSON report (`--json`).');
  });

  it('shows an allowed decision without a reasons table', () => {
    const md = renderMarkdown(decisionWith(false));
    expect(md).toMatch(/^### ✅ cutover gate: allowed/);
    expect(md).not.toContain('| Reason |');
  });
});

describe('renderJunit', () => {
  it('is well-formed XML with one failing test case per blocked route', () => {
    const xml = renderJunit(decisionWith(true));
    const errors: string[] = [];
    const doc = new DOMParser({
      onError: (level, message) => void errors.push(`${level}: ${message}`),
    }).parseFromString(xml, 'text/xml');
    expect(errors).toEqual([]);
    const suite = doc.getElementsByTagName('testsuite')[0]!;
    expect(suite.getAttribute('tests')).toBe('1');
    expect(suite.getAttribute('failures')).toBe('1');
    const failure = doc.getElementsByTagName('failure')[0]!;
    expect(failure.getAttribute('message')).toBe('1 reason(s): parity-differs');
    expect(failure.textContent).toContain('tracking <SHP-1001> & "quotes"');
  });

  it('has no failure when allowed', () => {
    const xml = renderJunit(decisionWith(false));
    expect(xml).toContain('failures="0"');
    expect(xml).not.toContain('<failure');
  });
});

describe('text from results files in every report', () => {
  function hostileDecision(): GateDecision {
    const r = report();
    r.results[0] = result({
      description: '**urgent** [click](http://evil) \u001b[2J\u0007',
      parity: {
        status: 'differs',
        differences: [{ kind: 'value', path: '$.a`b', monolith: 'x`y', candidate: '\u001b|', message: 'differs' }],
        noise: [],
      },
    });
    return decide({
      policy: policy(),
      evidence: { reports: [evidenceFrom(r, 'verify.json')], problems: [] },
      candidateVersion: '1.4.0',
      now: NOW,
    });
  }

  it('console: control characters are shown as \\u escapes, never sent to the terminal', () => {
    const text = renderConsole(hostileDecision());
    for (const c of ['\u0007', '\u001b']) expect(text).not.toContain(c);
    expect(text).toContain('[click](http://evil) \\u001b[2J\\u0007');
  });

  it('markdown: no emphasis or link from a description; code spans hold backticks whole', () => {
    const md = renderMarkdown(hostileDecision());
    for (const c of ['\u0007', '\u001b']) expect(md).not.toContain(c);
    const row = md.split('\n').find((l) => l.startsWith('| `parity-differs`'))!;
    expect(row).toContain('| \\*\\*urgent\\*\\* \\[click\\](http://evil) \\\\u001b\\[2J\\\\u0007 | `` $.a`b `` |');
    expect(row).toContain('| monolith `` "x`y" `` | candidate `"\\u001b\\|"` |');
    expect(row.split(/(?<!\\)\|/).length).toBe(9);
  });

  it('junit: control characters are shown, so the XML stays well-formed and nothing is lost', () => {
    const xml = renderJunit(hostileDecision());
    // eslint-disable-next-line no-control-regex
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    expect(xml).toContain('\\u001b[2J\\u0007');
  });
});
