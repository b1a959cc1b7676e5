import escapeHtml from 'escape-html';
import { visibleControls } from '@cutover/core';
import type { FastifyReply } from 'fastify';

/** Markup that is already safe: only `markup` and `raw` make one. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Part = Html | string | number | boolean | null | undefined | Part[];

function render(part: Part): string {
  if (part === null || part === undefined || part === false) return '';
  if (part instanceof Html) return part.value;
  if (Array.isArray(part)) return part.map(render).join('');
  // Controls and bidirectional overrides are shown, never applied: a name cannot reorder the page.
  return escapeHtml(visibleControls(String(part), { keepNewlines: true }));
}

/** HTML from a template (named `markup`, so formatters leave its text alone): every interpolated value is escaped unless it is itself `Html`. */
export function markup(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => (out += render(v) + strings[i + 1]!));
  return new Html(out);
}

/** Markup the broker wrote itself (never text from outside). */
export const raw = (markup: string) => new Html(markup);

/** A link to one of the broker's pages: the path segments are encoded one by one. */
export function href(...segments: string[]): string {
  return `/${segments.map((s) => encodeURIComponent(s)).join('/')}`;
}

/** No inline script or style: everything comes from the broker's own two files. */
export const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const NAV: [string, string][] = [
  ['/ui', 'Integrations'],
  ['/ui/board', 'Migration board'],
  ['/ui/webhooks', 'Webhooks'],
];

export function sendPage(reply: FastifyReply, status: number, title: string, current: string, body: Html) {
  const page = markup`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · cutover broker</title>
        <link rel="stylesheet" href="/ui/assets/cutover.css" />
        <script src="/ui/assets/cutover.js" defer></script>
      </head>
      <body>
        <header class="top">
          <a class="brand" href="/ui">cutover broker</a>
          <nav aria-label="Pages">
            ${NAV.map(
              ([path, label]) =>
                markup`<a href="${path}" ${raw(path === current ? ' aria-current="page"' : '')}>${label}</a>`,
            )}
          </nav>
        </header>
        <main id="main">
          <h1>${title}</h1>
          ${body}
        </main>
      </body>
    </html> `;
  return reply
    .status(status)
    .header('Content-Security-Policy', CSP)
    .header('X-Content-Type-Options', 'nosniff')
    .header('Referrer-Policy', 'no-referrer')
    .header('Cache-Control', 'no-cache')
    .type('text/html;charset=utf-8')
    .send(page.value);
}

/** "3 min ago", with the exact time in a `<time>` element (the script keeps it current). */
export function ago(iso: string, now = Date.now()): Html {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  const text =
    s < 60
      ? `${s} s ago`
      : s < 3600
        ? `${Math.round(s / 60)} min ago`
        : s < 86400
          ? `${Math.round(s / 3600)} h ago`
          : `${Math.round(s / 86400)} d ago`;
  return markup`<time datetime="${iso}" title="${iso}">${text}</time>`;
}

/** A status word with its colour class; the word itself carries the meaning (not the colour alone). */
export function pill(text: string, tone: 'good' | 'bad' | 'warn' | 'info' | 'none'): Html {
  return markup`<span class="pill ${tone}">${text}</span>`;
}

export function pretty(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value, null, 2) ?? String(value);
}
