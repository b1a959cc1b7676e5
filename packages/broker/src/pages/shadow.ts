import type { ShadowEvidence } from '@cutover/core';
import type { Db } from '../storage/database.js';
import { ago, markup, pill, type Html } from './html.js';

/** Shadow runs shown on the board: the latest few, each with its routes. */
const RUNS = 5;

const pct = (part: number, whole: number) => (whole === 0 ? '0%' : `${Math.round((part / whole) * 1000) / 10}%`);

/**
 * The board's "Shadow traffic" section: the latest shadow runs (`cutover shadow --publish`), per
 * route the requests compared, how many differed, the most frequent difference, and the
 * candidate's error rate and latency next to the monolith's. Empty when no run was published.
 */
export async function shadowSection(db: Db, now = Date.now()): Promise<Html> {
  const rows = await db
    .selectFrom('shadow_runs')
    .select(['content'])
    .orderBy('finished_at', 'desc')
    .orderBy('id', 'desc')
    .limit(RUNS)
    .execute();
  if (rows.length === 0) return markup``;
  const runs = rows.map((r) => JSON.parse(r.content) as ShadowEvidence);
  return markup`<h2>Shadow traffic</h2>
    <p class="muted">Live requests mirrored to the candidate and compared with the monolith (latest ${runs.length} runs).</p>
    <div class="table-wrap">
      <table id="shadow">
        <thead>
          <tr>
            <th scope="col">Run</th>
            <th scope="col">Route</th>
            <th scope="col">Compared</th>
            <th scope="col">Differing</th>
            <th scope="col">Most frequent difference</th>
            <th scope="col" class="hide-narrow">Candidate errors · p50 / p99 (monolith)</th>
          </tr>
        </thead>
        <tbody>
          ${runs.flatMap((run) =>
            run.routes.map((r) => {
              const top = r.differences[0];
              return markup`<tr>
                <td>${ago(run.finishedAt, now)}${run.candidateVersion ? markup` · candidate <code>${run.candidateVersion}</code>` : ''}</td>
                <th scope="row"><code>${r.method} ${r.path}</code></th>
                <td>${r.compared}</td>
                <td>${pill(`${r.differing} (${pct(r.differing, r.compared)})`, r.differing > 0 ? 'bad' : r.compared > 0 ? 'good' : 'none')}</td>
                <td>${top ? markup`<code>${top.kind} ${top.path}</code> × ${top.count}` : ''}</td>
                <td class="hide-narrow">
                  ${pct(r.candidate.errors, r.candidate.requests)} · ${r.candidate.latency.p50Ms} / ${r.candidate.latency.p99Ms} ms
                  (${pct(r.monolith.errors, r.monolith.requests)} · ${r.monolith.latency.p50Ms} / ${r.monolith.latency.p99Ms} ms)
                </td>
              </tr>`;
            }),
          )}
        </tbody>
      </table>
    </div>`;
}
