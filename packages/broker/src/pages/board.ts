import { clipText } from '@cutover/core';
import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../server/context.js';
import {
  board,
  displayOutcome,
  routeHistory,
  routeStatus,
  type RouteDecisionRow,
  type TimelinePoint,
} from '../cutover/routes.js';
import { ago, href, markup, pill, sendPage, type Html } from './html.js';
import { shadowSection } from './shadow.js';

const PARITY_TONE = { identical: 'good', 'noise-only': 'info', differs: 'bad', unknown: 'none' } as const;
const SCHEMA_TONE = { valid: 'good', regression: 'bad', 'not checked': 'warn', unknown: 'none' } as const;

/** The weight as a bar: today's share solid, the step the decision allows lighter. */
function progressBar(current: number, next: number): Html {
  const w = 160;
  const x = (v: number) => Math.round((Math.min(100, Math.max(0, v)) / 100) * w);
  return markup`<svg
    class="bar"
    width="${w}"
    height="12"
    viewBox="0 0 ${w} 12"
    role="img"
    aria-label="${`${current}% today, ${next}% after this decision`}"
  >
    <rect class="track" width="${w}" height="12" rx="3" />
    ${next > current ? markup`<rect class="next" width="${x(next)}" height="12" rx="3" />` : ''}
    ${next < current ? markup`<rect class="back" width="${x(current)}" height="12" rx="3" />` : ''}
    <rect class="fill" width="${x(Math.min(current, next))}" height="12" rx="3" />
  </svg>`;
}

/** The weight over time (green dots allowed, red blocked). Only changes are drawn, so 1,000 decisions stay a few points. */
export function timeline(all: TimelinePoint[], decisions = all.length): Html {
  const w = 220;
  const h = 48;
  const pad = 4;
  const weightOf = (p: TimelinePoint | undefined) => Math.min(100, Math.max(0, p?.weight ?? 0));
  // A point is kept where the weight changes (before and after); first and last always.
  const kept = all.filter(
    (p, i) =>
      i === 0 || i === all.length - 1 || weightOf(p) !== weightOf(all[i - 1]) || weightOf(p) !== weightOf(all[i + 1]),
  );
  const times = kept.map((d) => Date.parse(d.decidedAt));
  const t0 = Math.min(...times);
  const t1 = Math.max(...times);
  const px = (t: number, i: number) =>
    pad +
    (t1 > t0
      ? ((t - t0) / (t1 - t0)) * (w - 2 * pad)
      : kept.length > 1
        ? (i / (kept.length - 1)) * (w - 2 * pad)
        : (w - 2 * pad) / 2);
  const py = (weight: number) => h - pad - (weight / 100) * (h - 2 * pad);
  const points = kept.map((d, i) => ({
    x: px(times[i]!, i),
    y: py(weightOf(d)),
    outcome: d.outcome,
    weight: weightOf(d),
  }));
  const last = points.at(-1)!;
  const steps = points.filter((p, i) => i === 0 || p.weight !== points[i - 1]!.weight).map((p) => `${p.weight}%`);
  const label = `weight over ${decisions} decision${decisions === 1 ? '' : 's'}: ${steps.join(', ')}${steps.length === 1 && decisions > 1 ? ` (unchanged)` : ''}`;
  const dots = points
    .filter((p, i) => p.outcome !== 'allowed' || i === points.length - 1 || points.length <= 60)
    .slice(-60);
  return markup`<svg class="timeline" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="${label.length > 300 ? `${label.slice(0, 297)}…` : label}">
<line x1="${pad}" y1="${py(0)}" x2="${w - pad}" y2="${py(0)}" /><line x1="${pad}" y1="${py(100)}" x2="${w - pad}" y2="${py(100)}" />
<polyline points="${points.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ')}" />
${dots.map((p) => markup`<circle class="${p.outcome === 'allowed' ? 'allowed' : 'blocked'}" cx="${p.x.toFixed(1)}" cy="${p.y.toFixed(1)}" r="${p === last ? 3.5 : 2}" />`)}
</svg>`;
}

const pointsOf = (history: RouteDecisionRow[]): TimelinePoint[] =>
  history.map((d) => ({
    decisionId: d.decisionId,
    decidedAt: d.decidedAt,
    outcome: d.route.outcome,
    weight: routeStatus(d.route).weight,
  }));

/**
 * A decision's reasons and notes. The board shows a few, each clipped (`clipAt`), notes only when
 * there is no reason, and links to the route's page, which shows them all in full.
 */
function reasonsList(row: RouteDecisionRow, limit: number, clipAt = Infinity, more?: string): Html {
  const reasons = row.route.reasons ?? [];
  const allNotes = row.route.notes ?? [];
  const notes = reasons.length > 0 && clipAt !== Infinity ? [] : allNotes;
  if (reasons.length === 0 && notes.length === 0) return markup`<div class="muted">no reasons</div>`;
  const hidden =
    Math.max(0, reasons.length - limit) + Math.max(0, notes.length - limit) + allNotes.length - notes.length;
  return markup`<ul class="reasons">
    ${reasons.slice(0, limit).map((r) => markup`<li><code>${r.code ?? ''}</code> ${clipText(r.message ?? '', clipAt)}</li>`)}${notes
      .slice(0, limit)
      .map((n) => markup`<li class="muted">${clipText(n, clipAt)}</li>`)}${
      hidden > 0
        ? markup`<li class="muted">
            ${more ? markup`<a href="${more}">and ${hidden} more</a>` : `and ${hidden} more`}
          </li>`
        : ''
    }
  </ul>`;
}

function owner(o: string): Html {
  return pill(o, o === 'service' ? 'good' : o === 'split' ? 'info' : 'none');
}

export function boardRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get<{ Querystring: { policy?: string } }>('/ui/board', async (request, reply) => {
    const policy = typeof request.query.policy === 'string' ? request.query.policy : undefined;
    const all = await board(ctx.storage.db);
    const now = Date.now();
    const rows = all
      .map((r) => ({ name: r.route, list: r.points, decisions: r.decisions, last: r.latest }))
      .filter((r) => policy === undefined || r.last.policy === policy)
      .sort((a, b) => a.last.policy.localeCompare(b.last.policy) || a.name.localeCompare(b.name));
    const policies = [...new Set(all.map((r) => r.latest.policy))].sort();
    const body =
      rows.length === 0
        ? markup`<p>
            No gate decisions recorded yet. <code>cutover gate --broker-url …</code> records each decision here.
          </p>`
        : markup`<p class="muted">
              ${rows.length}
              route${rows.length === 1 ? '' : 's'}${policy !== undefined ? markup` of policy <code>${policy}</code> (<a href="/ui/board">all policies</a>)` : ''}.
              ${policies.length > 1 && policy === undefined ? markup`Policies: ${policies.map((p, i) => markup`${i ? ', ' : ''}<a href="${`/ui/board?policy=${encodeURIComponent(p)}`}">${p || '(unnamed)'}</a>`)}` : ''}
            </p>
            <div class="filter">
              <label for="board-filter">Filter routes</label>
              <input id="board-filter" type="search" data-filter="board" autocomplete="off" />
            </div>
            <div class="table-wrap">
              <table id="board">
                <caption class="muted">
                  Every route the gate has decided on, with its latest decision
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Route</th>
                    <th scope="col">Owner</th>
                    <th scope="col">Weight</th>
                    <th scope="col">Parity</th>
                    <th scope="col">Schema</th>
                    <th scope="col">Latest decision</th>
                    <th scope="col">Weight over time</th>
                  </tr>
                </thead>
                <tbody>
                  ${rows.map(({ name, list, decisions, last }) => {
                    const s = routeStatus(last.route);
                    const current = typeof last.route.currentWeight === 'number' ? last.route.currentWeight : 0;
                    return markup`<tr data-route="${name}">
                      <th scope="row">
                        <a href="${href('ui', 'board', 'routes', name)}">${name}</a>
                        <div class="muted">
                          <code>${(last.route.methods ?? []).join(' ')} ${last.route.path ?? ''}</code>
                        </div>
                      </th>
                      <td data-label="Owner">${owner(s.owner)}</td>
                      <td data-label="Weight">
                        ${progressBar(current, s.weight)}
                        <div>${current === s.weight ? `${s.weight}%` : `${current}% → ${s.weight}%`}</div>
                      </td>
                      <td data-label="Parity">${pill(s.parity, PARITY_TONE[s.parity])}</td>
                      <td data-label="Schema">${pill(s.schema, SCHEMA_TONE[s.schema])}</td>
                      <td data-label="Latest decision">
                        ${pill(displayOutcome(last.route), last.route.outcome === 'allowed' ? 'good' : 'bad')}
                        ${ago(last.decidedAt, now)}${last.candidateVersion ? markup` · candidate <code>${last.candidateVersion}</code>` : ''}${reasonsList(last, 2, 160, href('ui', 'board', 'routes', name))}
                      </td>
                      <td data-label="Weight over time">${timeline(list, decisions)}</td>
                    </tr>`;
                  })}
                </tbody>
              </table>
            </div>`;
    const shadow = await shadowSection(ctx.storage.db, now);
    return sendPage(reply, 200, 'Migration board', '/ui/board', markup`${body}${shadow}`);
  });

  app.get<{ Params: { route: string } }>('/ui/board/routes/:route', async (request, reply) => {
    const { route } = request.params;
    const list = (await routeHistory(ctx.storage.db, route)).get(route);
    if (!list)
      return sendPage(
        reply,
        404,
        `Route ${route}`,
        '/ui/board',
        markup`<p>No decision about this route was recorded. <a href="/ui/board">Back to the board</a></p>`,
      );
    const last = list.at(-1)!;
    const s = routeStatus(last.route);
    const now = Date.now();
    const body = markup`<p>
        ${owner(s.owner)} ${s.weight}% on the service · parity ${pill(s.parity, PARITY_TONE[s.parity])} · schema
        ${pill(s.schema, SCHEMA_TONE[s.schema])}
      </p>
      <p>
        <img alt="parity badge" src="${href('cutover', 'routes', route, 'badge', 'parity')}" />
        <img alt="weight badge" src="${href('cutover', 'routes', route, 'badge', 'weight')}" />
      </p>
      <h2>Weight over time</h2>
      ${timeline(pointsOf(list))}
      <h2>Decisions</h2>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Decided</th>
              <th scope="col">Outcome</th>
              <th scope="col">Weight</th>
              <th scope="col">Candidate</th>
              <th scope="col">Reasons</th>
            </tr>
          </thead>
          <tbody>
            ${[...list].reverse().map(
              (d) =>
                markup`<tr>
                  <td>${ago(d.decidedAt, now)}</td>
                  <td>${pill(displayOutcome(d.route), d.route.outcome === 'allowed' ? 'good' : 'bad')}</td>
                  <td>${d.route.currentWeight ?? 0}% → ${routeStatus(d.route).weight}%</td>
                  <td><code>${d.candidateVersion ?? ''}</code></td>
                  <td>${reasonsList(d, 50)}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>`;
    return sendPage(reply, 200, `Route ${route}`, '/ui/board', body);
  });
}
