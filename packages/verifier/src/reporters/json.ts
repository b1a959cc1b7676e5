import { writeOutputFile } from '@cutover/core';
import type { VerificationReport } from '@cutover/core';

/**
 * The report as JSON text, in chunks: top-level fields indented, one line per interaction result.
 * Joined, it is exactly one JSON document; chunking keeps a 20,000-interaction report from being
 * built as one giant string.
 *
 * @example
 * const text = [...renderJsonChunks(report)].join('');
 */
export function* renderJsonChunks(report: VerificationReport): Generator<string> {
  const { results, ...rest } = report;
  const head = JSON.stringify(rest, null, 2);
  yield `${head.slice(0, -2)},\n  "results": [`;
  for (let i = 0; i < results.length; i++) yield `${i === 0 ? '' : ','}\n    ${JSON.stringify(results[i])}`;
  yield `${results.length > 0 ? '\n  ' : ''}]\n}\n`;
}

/** Writes the JSON report to a file (parent folders created), streamed; failures are `OutputError`s naming the file. */
export async function writeJsonReport(report: VerificationReport, file: string): Promise<void> {
  await writeOutputFile(file, renderJsonChunks(report));
}
