/** Reporters for {@link CheckReport}: console text, JSON, JUnit XML and Markdown. */
import {
  escapeMarkdown as md,
  escapeXml as xml,
  markdownCode,
  redactCredentials,
  visibleControls,
} from '@cutover/core';
import type { CheckFinding, CheckReport } from './check.js';

function groupByInteraction(findings: CheckFinding[]): Map<string, CheckFinding[]> {
  const groups = new Map<string, CheckFinding[]>();
  for (const f of findings) {
    const key = `${f.consumer} → ${f.provider}: ${f.interaction.description}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  return groups;
}

function counts(report: CheckReport): string {
  const s = report.summary;
  return (
    `${s.checked} interaction(s) checked` +
    (s.skipped > 0 ? `, ${s.skipped} message interaction(s) skipped` : '') +
    `; ${s.errors} error(s), ${s.warnings} warning(s); ` +
    `${report.coverage.covered}/${report.coverage.operations} documented operation(s) exercised`
  );
}

/**
 * A readable report for a terminal.
 *
 * @example
 * io.stdout.write(formatConsoleReport(checkPacts(doc, pacts)));
 */
export function formatConsoleReport(report: CheckReport): string {
  const lines: string[] = [
    `OpenAPI check of ${report.pacts.length} pact(s) against ${redactCredentials(report.openapi.source)} (OpenAPI ${report.openapi.version})`,
    '',
  ];
  for (const [title, findings] of groupByInteraction(report.findings)) {
    const first = findings[0]!;
    lines.push(
      `${title} (${first.request.method} ${first.request.path}${first.operation ? ` → ${first.operation.path}` : ''})`,
    );
    for (const f of findings) {
      lines.push(`  ${f.severity === 'error' ? 'ERROR  ' : 'WARNING'} ${f.code}: ${f.message}`);
      lines.push(`          at ${f.on} ${f.instancePath || '(whole)'}; schema ${f.schemaPath}`);
    }
    lines.push('');
  }
  if (report.document.length > 0) {
    lines.push('The document itself:');
    for (const w of report.document) lines.push(`  WARNING ${w.code}: ${w.message}`);
    lines.push('');
  }
  if (report.coverage.uncovered.length > 0) {
    lines.push('Documented operations no consumer interaction exercises:');
    for (const op of report.coverage.uncovered)
      lines.push(`  ${op.method} ${op.path}${op.operationId ? ` (${op.operationId})` : ''}`);
    lines.push('');
  }
  lines.push(`${report.summary.ok ? 'OK' : 'FAILED'}: ${counts(report)}`);
  // Descriptions, paths and values come from pacts and the document: no control character reaches the terminal.
  return lines.map((line) => visibleControls(line)).join('\n') + '\n';
}

/** The report as JSON (format `cutover.openapi-check/v1`). */
export function formatJsonReport(report: CheckReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}

/**
 * JUnit XML: one test suite per pact with one test case per interaction (errors are failures,
 * warnings go to system-out), and one suite for coverage (unexercised operations are skipped).
 */
export function formatJUnitReport(report: CheckReport): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  report.pacts.forEach((pact, pactIndex) => {
    const name = `${pact.consumer} → ${pact.provider}`;
    const mine = report.findings.filter((f) => f.pactIndex === pactIndex);
    const byIndex = new Map<number, CheckFinding[]>();
    for (const f of mine) byIndex.set(f.interaction.index, [...(byIndex.get(f.interaction.index) ?? []), f]);
    const cases: string[] = [];
    let suiteFailures = 0;
    for (let i = 0; i < pact.interactions; i++) {
      const findings = byIndex.get(i) ?? [];
      const errors = findings.filter((f) => f.severity === 'error');
      const warnings = findings.filter((f) => f.severity === 'warning');
      const caseName = pact.descriptions[i] ?? `interaction ${i}`;
      let body = '';
      if (errors.length > 0) {
        suiteFailures++;
        const text = errors
          .map((f) => `${f.code}: ${f.message} (${f.on} ${f.instancePath}; schema ${f.schemaPath})`)
          .join('\n');
        body += `<failure message="${xml(errors[0]!.message)}" type="${xml(errors[0]!.code)}">${xml(text)}</failure>`;
      }
      if (warnings.length > 0)
        body += `<system-out>${xml(warnings.map((f) => `${f.code}: ${f.message}`).join('\n'))}</system-out>`;
      cases.push(`    <testcase name="${xml(caseName)}" classname="${xml(name)}">${body}</testcase>`);
    }
    tests += pact.interactions;
    failures += suiteFailures;
    suites.push(
      `  <testsuite name="${xml(name)}" tests="${pact.interactions}" failures="${suiteFailures}" errors="0">\n${cases.join('\n')}\n  </testsuite>`,
    );
  });
  const coverageCases = report.coverage.byOperation.map((op) => {
    const skipped =
      op.interactions === 0 ? '<skipped message="no consumer interaction exercises this operation"/>' : '';
    return `    <testcase name="${xml(`${op.method} ${op.path}`)}" classname="openapi coverage">${skipped}</testcase>`;
  });
  tests += coverageCases.length;
  // Warnings about the document itself belong to no interaction: they go with the coverage suite.
  const documentOut =
    report.document.length > 0
      ? `\n    <system-out>${xml(report.document.map((w) => `${w.code}: ${w.message}`).join('\n'))}</system-out>`
      : '';
  suites.push(
    `  <testsuite name="openapi coverage" tests="${coverageCases.length}" failures="0" errors="0" skipped="${report.coverage.uncovered.length}">\n${coverageCases.join('\n')}${documentOut}\n  </testsuite>`,
  );
  out.push(
    `<testsuites name="cutover openapi check" tests="${tests}" failures="${failures}">`,
    ...suites,
    '</testsuites>',
  );
  return out.join('\n') + '\n';
}

/** A Markdown summary for pull requests and CI job summaries. */
export function formatMarkdownReport(report: CheckReport): string {
  const lines = [
    `## OpenAPI check: ${report.summary.ok ? 'passed' : 'failed'}`,
    '',
    `${counts(report)}. Document: ${markdownCode(redactCredentials(report.openapi.source), { table: false })} (OpenAPI ${md(report.openapi.version)}).`,
    '',
  ];
  if (report.findings.length > 0) {
    lines.push(
      '| Severity | Code | Consumer | Interaction | Where | Message |',
      '| --- | --- | --- | --- | --- | --- |',
    );
    for (const f of report.findings) {
      lines.push(
        `| ${f.severity} | \`${f.code}\` | ${md(f.consumer)} | ${md(f.interaction.description)} (${markdownCode(`${f.request.method} ${f.request.path}`)}) | ${f.on} ${markdownCode(f.instancePath || '/')} | ${md(f.message)} |`,
      );
    }
    lines.push('');
  }
  if (report.document.length > 0) {
    lines.push('### The document itself', '');
    for (const w of report.document) lines.push(`- warning \`${w.code}\`: ${md(w.message)}`);
    lines.push('');
  }
  if (report.coverage.uncovered.length > 0) {
    lines.push('### Operations no consumer exercises', '');
    for (const op of report.coverage.uncovered)
      lines.push(
        `- ${markdownCode(`${op.method} ${op.path}`, { table: false })}${op.operationId ? ` (${md(op.operationId)})` : ''}`,
      );
    lines.push('');
  }
  return lines.join('\n');
}
