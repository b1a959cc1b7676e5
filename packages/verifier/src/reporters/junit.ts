import { escapeXml as xml } from '@cutover/core';
import type { InteractionResult, VerificationReport } from '@cutover/core';
import { interactionLabel, interactionStatus, problems, routeLabel, schemaFindings } from './format.js';

function seconds(result: InteractionResult): string {
  const ms = Object.values(result.targets).reduce((sum, o) => sum + o.timingMs, 0);
  return (ms / 1000).toFixed(3);
}

/**
 * JUnit XML: one test suite per consumer → provider pact, one test case per interaction.
 * Failures carry every mismatch and difference; target faults are `<error>`.
 *
 * @example
 * await writeFile('reports/verify.xml', renderJunit(report));
 */
export function renderJunit(report: VerificationReport): string {
  return [...renderJunitChunks(report)].join('');
}

/**
 * {@link renderJunit} in chunks, a test case at a time, so a long report is written as a stream
 * rather than built as one string.
 *
 * @example
 * await pipeline(Readable.from(renderJunitChunks(report)), createWriteStream('reports/verify.xml'));
 */
export function* renderJunitChunks(report: VerificationReport): Generator<string> {
  const suites = new Map<string, InteractionResult[]>();
  for (const result of report.results) {
    const name = `${result.consumer} → ${result.provider}`;
    const list = suites.get(name);
    if (list) list.push(result);
    else suites.set(name, [result]);
  }
  const count = (list: InteractionResult[], status: string) =>
    list.filter((r) => interactionStatus(r) === status).length;
  yield '<?xml version="1.0" encoding="UTF-8"?>\n';
  yield `<testsuites name="cutover verify" tests="${report.summary.interactions}" failures="${report.summary.failed}" errors="${report.summary.errored}" skipped="${report.summary.skipped}">\n`;
  for (const [name, list] of suites) {
    yield `  <testsuite name="${xml(name)}" tests="${list.length}" failures="${count(list, 'failed')}" errors="${count(list, 'errored')}" skipped="${count(list, 'skipped')}" timestamp="${xml(report.startedAt)}">\n`;
    for (const result of list) yield testcase(result);
    yield '  </testsuite>\n';
  }
  yield '</testsuites>\n';
}

function testcase(result: InteractionResult): string {
  const out: string[] = [];
  const status = interactionStatus(result);
  const open = `    <testcase classname="${xml(`${result.consumer}.${routeLabel(result)}`)}" name="${xml(interactionLabel(result))}" time="${seconds(result)}"`;
  if (status === 'passed') {
    const notes = schemaFindings(result).notes;
    if (notes.length === 0) out.push(`${open}/>`);
    else out.push(`${open}>`, `      <system-out>${xml(notes.join('\n'))}</system-out>`, '    </testcase>');
    return `${out.join('\n')}\n`;
  }
  out.push(`${open}>`);
  if (status === 'skipped') {
    out.push(`      <skipped message="${xml(Object.values(result.targets)[0]?.error?.message ?? 'not replayable')}"/>`);
  } else {
    const lines = problems(result);
    const element = status === 'errored' ? 'error' : 'failure';
    const message = `${result.pending ? '[pending] ' : ''}${lines[0] ?? status}`;
    out.push(`      <${element} message="${xml(message)}" type="${status}">${xml(lines.join('\n'))}</${element}>`);
  }
  out.push('    </testcase>');
  return `${out.join('\n')}\n`;
}
