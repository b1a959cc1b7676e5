import { fileURLToPath } from 'node:url';
import { DOMParser } from '@xmldom/xmldom';
import { beforeAll, describe, expect, it } from 'vitest';
import { body, interaction, message, pact } from './__fixtures__/pacts.js';
import {
  checkPacts,
  formatConsoleReport,
  formatJsonReport,
  formatJUnitReport,
  formatMarkdownReport,
  loadOpenApi,
  type CheckReport,
} from './index.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./__fixtures__/${name}`, import.meta.url));

let report: CheckReport;
beforeAll(async () => {
  const doc = await loadOpenApi(fixture('shipments-3.0.yaml'), { validate: false });
  const shipment = { id: 1, reference: 'SH-1', weight: 2 };
  report = checkPacts(doc, [
    pact(
      'web <app> & "co"',
      [
        interaction(
          0,
          'a shipment',
          { method: 'GET', path: '/v1/shipments/1' },
          { status: 200, body: body({ ...shipment, 'odd|name\u0001': 1 }) },
        ),
        interaction(1, 'a pet', { method: 'GET', path: '/v1/pets/rex' }, { status: 200 }),
        interaction(
          2,
          'all fine',
          { method: 'GET', path: '/v1/shipments/latest' },
          { status: 200, body: body(shipment) },
        ),
      ],
      'pacts/web.json',
    ),
    pact('events', [message(0, 'sent')]),
  ]);
});

describe('reporters', () => {
  it('console: groups findings by interaction and ends with a verdict line', () => {
    const text = formatConsoleReport(report);
    expect(text).toContain('web <app> & "co" → logistics: a shipment (GET /v1/shipments/1 → /shipments/{id})');
    expect(text).toContain('ERROR   response.body.undeclared-field: response body has field /odd|name\\u0001 that');
    expect(text).not.toContain('\u0001');
    expect(text).toMatch(/WARNING operation\.ambiguous/);
    expect(text).toContain(
      'Documented operations no consumer interaction exercises:\n  GET /shipments (listShipments)\n  POST /shipments (createShipment)',
    );
    expect(text.trimEnd().split('\n').pop()).toBe(
      'FAILED: 3 interaction(s) checked, 1 message interaction(s) skipped; 1 error(s), 2 warning(s); 3/8 documented operation(s) exercised',
    );
    expect(text).toContain(
      'The document itself:\n  WARNING operation.ambiguous: GET /pets/{id} and /pets/{name} match the same requests',
    );
  });

  it('JSON: round-trips the report', () => {
    expect(JSON.parse(formatJsonReport(report))).toEqual(report);
  });

  it('JUnit: well-formed XML with one case per interaction, failures for errors and skipped uncovered operations', () => {
    const xml = formatJUnitReport(report);
    const errors: string[] = [];
    const dom = new DOMParser({ onError: (level, msg) => errors.push(`${level}: ${msg}`) }).parseFromString(
      xml,
      'text/xml',
    );
    expect(errors).toEqual([]);
    const suites = Array.from(dom.getElementsByTagName('testsuite'));
    expect(suites.map((s) => s.getAttribute('name'))).toEqual([
      'web <app> & "co" → logistics',
      'events → logistics',
      'openapi coverage',
    ]);
    const cases = Array.from(suites[0]!.getElementsByTagName('testcase'));
    expect(cases.map((c) => c.getAttribute('name'))).toEqual(['a shipment', 'a pet', 'all fine']);
    expect(cases[0]!.getElementsByTagName('failure')[0]!.getAttribute('type')).toBe('response.body.undeclared-field');
    expect(cases[1]!.getElementsByTagName('failure')).toHaveLength(0);
    expect(cases[1]!.getElementsByTagName('system-out')[0]!.textContent).toMatch(/operation\.ambiguous/);
    expect(suites[0]!.getAttribute('failures')).toBe('1');
    expect(suites[2]!.getAttribute('skipped')).toBe('5');
    expect(suites[2]!.getElementsByTagName('system-out')[0]!.textContent).toMatch(
      /operation\.ambiguous: GET \/pets\/\{id\}/,
    );
    expect(dom.documentElement!.getAttribute('failures')).toBe('1');
  });

  it('Markdown: a table row per finding with table-breaking characters escaped', () => {
    const text = formatMarkdownReport(report);
    expect(text).toMatch(/^## OpenAPI check: failed/);
    const rows = text.split('\n').filter((l) => l.startsWith('| error') || l.startsWith('| warning'));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain('odd\\|name');
    expect(text).toContain('- `POST /shipments` (createShipment)');
    expect(text).toContain(
      '### The document itself\n\n- warning `operation.ambiguous`: GET /pets/{id} and /pets/{name}',
    );
  });

  it('Markdown and console: a description cannot format, link or reach the terminal as control characters', async () => {
    const doc = await loadOpenApi(fixture('shipments-3.0.yaml'), { validate: false });
    const description = '**urgent** [click](http://evil) `x\u001b[2J\u0007';
    const hostile = checkPacts(doc, [
      pact('web', [interaction(0, description, { method: 'GET', path: '/v1/nowhere`|' }, { status: 200 })], 'p.json'),
    ]);
    const markdown = formatMarkdownReport(hostile);
    const console = formatConsoleReport(hostile);
    for (const text of [markdown, console]) for (const c of ['\u0007', '\u001b']) expect(text).not.toContain(c);
    const row = markdown.split('\n').find((l) => l.startsWith('| error'))!;
    expect(row).toContain(
      '| \\*\\*urgent\\*\\* \\[click\\](http://evil) \\`x\\\\u001b\\[2J\\\\u0007 (`` GET /v1/nowhere`\\| ``) |',
    );
    expect(console).toContain(
      'web → logistics: **urgent** [click](http://evil) `x\\u001b[2J\\u0007 (GET /v1/nowhere`|)',
    );
  });
});
