import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../server/context.js';
import { findVerification } from '../storage/verifications.js';
import { pactContent, pactForSha, pactForVersion } from '../storage/pacts.js';
import { href, markup, pill, pretty, sendPage, type Html } from './html.js';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});

/** A V4 body is `{ content, contentType, encoded }`; earlier ones are the value itself. */
function bodyOf(part: Json, v4: boolean): unknown {
  if (!v4) return part.body;
  const b = obj(part.body);
  return 'content' in b ? b.content : undefined;
}

/** A message's contents: V4 wraps them as `{ content, contentType, encoded }`, V3 has the value itself. */
function contentsOf(part: Json, v4: boolean): unknown {
  return bodyOf({ body: part.contents }, v4) ?? part.contents;
}

function headersOf(h: unknown): [string, string][] {
  return Object.entries(obj(h)).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]);
}

function queryOf(q: unknown): string {
  if (typeof q === 'string') return q;
  return Object.entries(obj(q))
    .flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => `${k}=${String(x)}`))
    .join('&');
}

function httpPart(title: string, part: Json, v4: boolean, request: boolean): Html {
  const body = bodyOf(part, v4);
  const headers = headersOf(part.headers);
  const q = request ? queryOf(part.query) : '';
  return markup`<h4>${title}</h4>
    <p>
      <code
        >${request ? `${String(part.method ?? 'GET')} ${String(part.path ?? '/')}${q ? `?${q}` : ''}` : `status ${String(part.status ?? 200)}`}</code
      >
    </p>
    ${
      headers.length
        ? markup`<dl>
            ${headers.map(
              ([k, v]) =>
                markup`<dt><code>${k}</code></dt>
                  <dd><code>${v}</code></dd>`,
            )}
          </dl>`
        : ''
    }
    ${body !== undefined ? markup`<pre>${pretty(body)}</pre>` : ''}`;
}

function states(i: Json): string[] {
  if (typeof i.providerState === 'string') return [i.providerState];
  return (Array.isArray(i.providerStates) ? i.providerStates : []).map((s) => String(obj(s).name ?? s));
}

/** One interaction of any spec version: HTTP, V3 message, V4 asynchronous or synchronous message. */
function interaction(raw: unknown, index: number, v4: boolean, message: boolean): Html {
  const i = obj(raw);
  const type = typeof i.type === 'string' ? i.type : message ? 'Asynchronous/Messages' : 'Synchronous/HTTP';
  const st = states(i);
  let detail: Html;
  if (type === 'Synchronous/HTTP')
    detail = markup`${httpPart('Request', obj(i.request), v4, true)}${httpPart('Response', obj(i.response), v4, false)}`;
  else if (type === 'Synchronous/Messages')
    detail = markup`<h4>Request message</h4>
      <pre>${pretty(contentsOf(obj(i.request), true))}</pre>
      ${(Array.isArray(i.response) ? i.response : []).map(
        (r) =>
          markup`<h4>Response message</h4>
            <pre>${pretty(contentsOf(obj(r), true))}</pre>`,
      )}`;
  else
    detail = markup`<h4>Message contents</h4>
      <pre>${pretty(contentsOf(i, v4))}</pre>
      ${
        Object.keys(obj(i.metadata ?? i.metaData)).length
          ? markup`<h4>Metadata</h4>
              <pre>${pretty(i.metadata ?? i.metaData)}</pre>`
          : ''
      }`;
  return markup`<section class="interaction" aria-labelledby="${`i${index}`}">
    <h3 id="${`i${index}`}">
      ${String(i.description ?? `interaction ${index + 1}`)}
      <span class="muted">${type}</span>${i.pending === true ? markup` ${pill('pending', 'warn')}` : ''}
    </h3>
    ${st.length ? markup`<p>Given ${st.map((s, n) => markup`${n ? ' and ' : ''}<q>${s}</q>`)}</p>` : ''} ${detail}
  </section>`;
}

interface Difference {
  kind?: string;
  path?: string;
  monolith?: unknown;
  candidate?: unknown;
  message?: string;
  noise?: string;
}
interface TestResult {
  interactionDescription?: string;
  success?: boolean;
  mismatches?: { attribute?: string; identifier?: string; description?: string }[];
  cutover?: {
    route?: { method?: string; path?: string };
    targets?: Record<string, { outcome?: string; status?: number; error?: { message?: string } }>;
    parity?: { status?: string; differences?: Difference[]; noise?: Difference[] };
  };
}

const shown = (v: unknown) => (v === undefined ? '(absent)' : pretty(v));

/** The monolith's and the candidate's answers side by side, the differences marked, noise apart. */
function diffTable(differences: Difference[], noise: Difference[]): Html {
  if (differences.length + noise.length === 0) return markup`<p class="muted">The two answers did not differ.</p>`;
  const row = (d: Difference, isNoise: boolean) =>
    markup`<tr class="${isNoise ? 'noise' : 'differs'}">
      <td><code>${d.path ?? ''}</code></td>
      <td>${isNoise ? pill(`noise (${d.noise ?? 'declared'})`, 'none') : pill(d.kind ?? 'differs', 'bad')}</td>
      <td class="monolith">${shown(d.monolith)}</td>
      <td class="candidate">${shown(d.candidate)}</td>
      <td>${d.message ?? ''}</td>
    </tr>`;
  return markup`<div class="table-wrap">
    <table class="diff">
      <thead>
        <tr>
          <th scope="col">Where</th>
          <th scope="col">What</th>
          <th scope="col">Monolith answered</th>
          <th scope="col">Candidate answered</th>
          <th scope="col">Why it matters</th>
        </tr>
      </thead>
      <tbody>
        ${differences.map((d) => row(d, false))}${noise.map((d) => row(d, true))}
      </tbody>
    </table>
  </div>`;
}

export function pactPageRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { db } = ctx.storage;
  type P = { provider: string; consumer: string; version: string };
  app.get<{ Params: P }>('/ui/pacts/provider/:provider/consumer/:consumer/version/:version', async (request, reply) => {
    const { provider, consumer, version } = request.params;
    const row = await pactForVersion(db, provider, consumer, version);
    const title = `Pact between ${consumer} ${version} and ${provider}`;
    if (!row)
      return sendPage(
        reply,
        404,
        title,
        '/ui',
        markup`<p>This pact was not published. <a href="/ui">All integrations</a></p>`,
      );
    const doc = JSON.parse(await pactContent(db, row.pact_version_id)) as Json;
    const spec = String(
      obj(obj(doc.metadata).pactSpecification).version ?? obj(doc.metadata)['pact-specification'] ?? '2.0.0',
    );
    const v4 = spec.startsWith('4');
    const http = Array.isArray(doc.interactions) ? doc.interactions : [];
    const messages = Array.isArray(doc.messages) ? doc.messages : [];
    const body = markup`<p>
        Pact specification ${spec} · ${http.length + messages.length}
        interaction${http.length + messages.length === 1 ? '' : 's'} ·
        <a href="${href('pacts', 'provider', provider, 'consumer', consumer, 'version', version)}">as JSON</a>
      </p>
      ${http.map((i, n) => interaction(i, n, v4, false))}
      ${messages.map((m, n) => interaction(m, http.length + n, v4, true))}`;
    return sendPage(reply, 200, title, '/ui', body);
  });

  app.get<{ Params: { provider: string; consumer: string; sha: string; id: string } }>(
    '/ui/pacts/provider/:provider/consumer/:consumer/pact-version/:sha/verification-results/:id',
    async (request, reply) => {
      const { provider, consumer, sha, id } = request.params;
      const pact = await pactForSha(db, provider, consumer, sha);
      const v = pact && /^[0-9]{1,15}$/.test(id) ? await findVerification(db, Number(id)) : undefined;
      const title = `Verification of ${consumer}'s pact by ${provider}`;
      if (!pact || !v || v.pact_version_id !== pact.pact_version_id)
        return sendPage(
          reply,
          404,
          title,
          '/ui',
          markup`<p>This verification result does not exist. <a href="/ui">All integrations</a></p>`,
        );
      const doc = JSON.parse(v.content) as { testResults?: TestResult[] };
      const results = doc.testResults ?? [];
      const body = markup`<p>
          ${pill(v.success === 1 ? 'verified' : 'failed', v.success === 1 ? 'good' : 'bad')} provider version
          <code>${v.provider_version}</code> at <time datetime="${v.verified_at}">${v.verified_at}</time> · pact
          <a href="${href('ui', 'pacts', 'provider', provider, 'consumer', consumer, 'version', pact.consumer_version)}"
            >${consumer} ${pact.consumer_version}</a
          >
        </p>
        ${results.length === 0 ? markup`<p class="muted">The verifier published no per-interaction results.</p>` : ''}
        ${results.map((t, n) => {
          const c = t.cutover;
          const targets = Object.entries(c?.targets ?? {});
          return markup`<section class="interaction" aria-labelledby="${`r${n}`}">
            <h2 id="${`r${n}`}">
              ${t.interactionDescription ?? `interaction ${n + 1}`}
              ${pill(t.success ? 'passed' : 'failed', t.success ? 'good' : 'bad')}
            </h2>
            ${c?.route ? markup`<p><code>${c.route.method ?? ''} ${c.route.path ?? ''}</code></p>` : ''}
            ${targets.length ? markup`<p>${targets.map(([name, o]) => markup`${name}: ${pill(`${o.outcome ?? '?'}${o.status !== undefined ? ` (${o.status})` : ''}`, o.outcome === 'pass' ? 'good' : 'bad')}${o.error?.message ? markup` <span class="bad">${o.error.message}</span>` : ''} `)}</p>` : ''}
            ${
              c?.parity
                ? markup`<h3>
                      Monolith and candidate side by side
                      <span class="muted">(parity: ${c.parity.status ?? 'unknown'})</span>
                    </h3>
                    ${diffTable(c.parity.differences ?? [], c.parity.noise ?? [])}`
                : ''
            }
            ${
              (t.mismatches ?? []).filter((m) => m.attribute !== 'parity').length
                ? markup`<h3>Mismatches</h3>
                    <ul>
                      ${(t.mismatches ?? []).filter((m) => m.attribute !== 'parity').map((m) => markup`<li><code>${m.attribute ?? ''} ${m.identifier ?? ''}</code> ${m.description ?? ''}</li>`)}
                    </ul>`
                : ''
            }
          </section>`;
        })}`;
      return sendPage(reply, 200, title, '/ui', body);
    },
  );
}
