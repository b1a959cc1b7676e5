import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../server/context.js';
import { deliveryLog } from '../webhooks/routes.js';
import { maskRequest, type WebhookRequest } from '../webhooks/template.js';
import { ago, markup, pill, sendPage } from './html.js';

interface Doc {
  description?: string;
  enabled?: boolean;
  events?: { name?: string }[];
  request?: WebhookRequest;
}

export function webhookPageRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { db } = ctx.storage;
  app.get('/ui/webhooks', async (_request, reply) => {
    const hooks = await db.selectFrom('webhooks').selectAll().orderBy('created_at').execute();
    const now = Date.now();
    const sections = [];
    for (const w of hooks) {
      const doc = JSON.parse(w.content) as Doc;
      const request = maskRequest(doc.request ?? { method: '', url: '' });
      const log = await deliveryLog(db, w.uuid, 20);
      sections.push(
        markup`<section class="interaction" aria-labelledby="${`w-${w.uuid}`}">
          <h2 id="${`w-${w.uuid}`}">
            ${doc.description ?? 'Webhook'} ${doc.enabled === false ? pill('disabled', 'none') : ''}
          </h2>
          <p><code>${request.method ?? ''} ${request.url ?? ''}</code></p>
          <p class="muted">On ${(doc.events ?? []).map((e) => e.name ?? '').join(', ')}</p>
          ${
            Object.keys(request.headers ?? {}).length
              ? markup`<dl>
                  ${Object.entries(request.headers ?? {}).map(
                    ([k, v]) =>
                      markup`<dt><code>${k}</code></dt>
                        <dd><code>${v}</code></dd>`,
                  )}
                </dl>`
              : ''
          }
          <h3>Deliveries</h3>
          ${
            log.length === 0
              ? markup`<p class="muted">None yet.</p>`
              : markup`<div class="table-wrap">
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">Event</th>
                        <th scope="col">Status</th>
                        <th scope="col">Attempts</th>
                      </tr>
                    </thead>
                    <tbody>
                      ${log.map(
                        (d) =>
                          markup`<tr>
                            <td>
                              ${d.event}
                              <div class="muted">${ago(d.createdAt, now)}</div>
                            </td>
                            <td>
                              ${pill(d.status, d.status === 'succeeded' ? 'good' : d.status === 'failed' ? 'bad' : 'warn')}${d.nextAttemptAt ? markup`<div class="muted">next try <time datetime="${d.nextAttemptAt}">${d.nextAttemptAt}</time></div>` : ''}
                            </td>
                            <td>
                              <ol>
                                ${d.log.map((a) => markup`<li>${a.statusCode !== null ? `HTTP ${a.statusCode}` : 'no response'}${a.error ? markup` — <span class="bad">${a.error}</span>` : ''} <span class="muted">${a.durationMs} ms, ${ago(a.startedAt, now)}</span></li>`)}
                              </ol>
                            </td>
                          </tr>`,
                      )}
                    </tbody>
                  </table>
                </div>`
          }
        </section>`,
      );
    }
    return sendPage(
      reply,
      200,
      'Webhooks',
      '/ui/webhooks',
      hooks.length
        ? markup`${sections}`
        : markup`<p>
            No webhooks. Create them with <code>pact broker create-webhook</code> or <code>POST /webhooks</code>.
          </p>`,
    );
  });
}
