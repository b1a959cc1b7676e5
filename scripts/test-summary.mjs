// Prints the totals of the last vitest run on one line of its own: "N passed, N failed, N skipped".
// CI reads that line; a run whose report is missing counts as a failure, never as zero tests.
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'reports/vitest.json';
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
  // Build, typecheck or lint failed before any test ran: say so, and still give CI its totals line.
  console.error(`test-summary: no test report at ${file} (${error.message}); the tests did not run.`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const passed = report.numPassedTests ?? 0;
const failed = (report.numFailedTests ?? 0) + (report.numFailedTestSuites ?? 0);
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || report.success === false ? 1 : 0);
