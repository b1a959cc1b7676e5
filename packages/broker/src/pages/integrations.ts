import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../server/context.js';
import type { Db } from '../storage/database.js';
import { listEnvironments } from '../storage/environments.js';
import { versionBranches } from '../storage/pacticipants.js';
import { latestPacts, type PactRow } from '../storage/pacts.js';
import { canIDeploy } from '../routes/matrix.js';
import { ago, href, markup, pill, sendPage, type Html } from './html.js';

interface Pair {
  pact: PactRow;
  branches: string[];
  verification?: {
    id: number;
    success: boolean;
    providerVersion: string;
    verifiedAt: string;
    targets: Record<string, string>;
  };
  deploy: { environment: string; deployable: boolean | null }[];
}

async function latestVerification(db: Db, pactVersionId: number): Promise<Pair['verification']> {
  const v = await db
    .selectFrom('verifications as vr')
    .innerJoin('versions as v', 'v.id', 'vr.provider_version_id')
    .select(['vr.id', 'vr.success', 'vr.content', 'vr.verified_at', 'v.number'])
    .where('vr.pact_version_id', '=', pactVersionId)
    .orderBy('vr.id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!v) return undefined;
  // cutover's verification carries each target's outcome; a stock verifier's has none.
  const doc = JSON.parse(v.content) as {
    cutover?: { targets?: Record<string, { baseUrl?: string }> };
    testResults?: { cutover?: { targets?: Record<string, { outcome?: string }> } }[];
  };
  const targets: Record<string, string> = {};
  for (const t of doc.testResults ?? [])
    for (const [name, outcome] of Object.entries(t.cutover?.targets ?? {})) {
      const o = outcome?.outcome ?? 'unknown';
      if (targets[name] === undefined || (targets[name] === 'pass' && o !== 'pass')) targets[name] = o;
    }
  return { id: v.id, success: v.success === 1, providerVersion: v.number, verifiedAt: v.verified_at, targets };
}

/** Consumers on the left, each provider one column right of its furthest consumer. */
function networkGraph(pairs: Pair[]): Html {
  const edges = pairs.map((p) => [p.pact.consumer, p.pact.provider] as const);
  const names = [...new Set(edges.flat())].sort();
  const level = new Map<string, number>(names.map((n) => [n, 0]));
  for (let pass = 0; pass < names.length; pass++)
    for (const [c, p] of edges)
      if (level.get(p)! < level.get(c)! + 1 && level.get(c)! + 1 < names.length) level.set(p, level.get(c)! + 1);
  const columns = new Map<number, string[]>();
  for (const n of names) columns.set(level.get(n)!, [...(columns.get(level.get(n)!) ?? []), n]);
  const colW = 220;
  const rowH = 44;
  const boxW = 180;
  const pos = new Map<string, { x: number; y: number }>();
  for (const [col, list] of columns) list.forEach((n, i) => pos.set(n, { x: 10 + col * colW, y: 10 + i * rowH }));
  const width = 20 + Math.max(...[...columns.keys()]) * colW + boxW;
  const height = 20 + Math.max(...[...columns.values()].map((l) => l.length)) * rowH;
  const clip = (s: string) => ([...s].length > 24 ? `${[...s].slice(0, 23).join('')}…` : s);
  return markup`<svg
    class="graph"
    width="${width}"
    height="${height}"
    viewBox="0 0 ${width} ${height}"
    role="img"
    aria-label="${`Who depends on whom: ${edges.map(([c, p]) => `${c} → ${p}`).join('; ')}`}"
  >
    <defs>
      <marker
        id="arrow"
        viewBox="0 0 10 10"
        refX="10"
        refY="5"
        markerWidth="8"
        markerHeight="8"
        orient="auto-start-reverse"
      >
        <path d="M0,0L10,5L0,10z" fill="#57606a" />
      </marker>
    </defs>
    ${edges.map(([c, p]) => {
      const a = pos.get(c)!;
      const b = pos.get(p)!;
      return markup`<line x1="${a.x + boxW}" y1="${a.y + 15}" x2="${b.x}" y2="${b.y + 15}" marker-end="url(#arrow)" />`;
    })}
    ${names.map((n) => {
      const p = pos.get(n)!;
      return markup`<g
        ><rect x="${p.x}" y="${p.y}" width="${boxW}" height="30" rx="4" /><text x="${p.x + 8}" y="${p.y + 19}"
          ><title>${n}</title>${clip(n)}</text
        ></g
      >`;
    })}
  </svg>`;
}

export function integrationRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { db } = ctx.storage;
  app.get('/ui', async (_request, reply) => {
    const [latest, environments] = await Promise.all([latestPacts(db), listEnvironments(db)]);
    const pairs: Pair[] = [];
    for (const pact of latest) {
      const deploy = [];
      for (const e of environments) {
        const r = await canIDeploy(db, pact.consumer, pact.consumer_version, e.name).catch(() => ({
          deployable: null,
        }));
        deploy.push({ environment: e.name, deployable: r.deployable });
      }
      pairs.push({
        pact,
        branches: (await versionBranches(db, pact.consumer_version_id)).map((b) => b.name),
        verification: await latestVerification(db, pact.pact_version_id),
        deploy,
      });
    }
    const now = Date.now();
    const body =
      pairs.length === 0
        ? markup`<p>No pacts published yet.</p>`
        : markup`<h2>Who depends on whom</h2>
            <div class="table-wrap">${networkGraph(pairs)}</div>
            <h2>Integrations</h2>
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Consumer → provider</th>
                    <th scope="col">Latest pact</th>
                    <th scope="col">Latest verification</th>
                    <th scope="col">Targets</th>
                    ${environments.map((e) => markup`<th scope="col">can-i-deploy to ${e.display_name ?? e.name}</th>`)}
                  </tr>
                </thead>
                <tbody>
                  ${pairs.map(
                    ({ pact, branches, verification: v, deploy }) =>
                      markup`<tr>
                        <th scope="row">${pact.consumer} → ${pact.provider}</th>
                        <td>
                          <a
                            href="${href('ui', 'pacts', 'provider', pact.provider, 'consumer', pact.consumer, 'version', pact.consumer_version)}"
                            >${pact.consumer_version}</a
                          >${branches.length ? markup` <span class="muted">on ${branches.join(', ')}</span>` : ''}
                          <div class="muted">${ago(pact.created_at, now)}</div>
                        </td>
                        <td>
                          ${
                            v
                              ? markup`<a
                                    href="${href('ui', 'pacts', 'provider', pact.provider, 'consumer', pact.consumer, 'pact-version', pact.sha, 'verification-results', String(v.id))}"
                                    >${pill(v.success ? 'verified' : 'failed', v.success ? 'good' : 'bad')}</a
                                  >
                                  by ${v.providerVersion}
                                  <div class="muted">${ago(v.verifiedAt, now)}</div>`
                              : pill('not verified', 'none')
                          }
                        </td>
                        <td>
                          ${Object.keys(v?.targets ?? {}).length ? Object.entries(v!.targets).map(([t, o]) => markup`<div>${t}: ${pill(o, o === 'pass' ? 'good' : 'bad')}</div>`) : markup`<span class="muted">—</span>`}
                        </td>
                        ${deploy.map((d) => markup`<td>${pill(d.deployable === true ? 'yes' : d.deployable === false ? 'no' : 'unverified', d.deployable === true ? 'good' : d.deployable === false ? 'bad' : 'warn')}</td>`)}
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`;
    return sendPage(reply, 200, 'Integrations', '/ui', body);
  });
}
