import type { FastifyInstance } from 'fastify';

// The pages' only style and script, served as files so the CSP can forbid anything inline.
const CSS = `
:root{--fg:#1f2328;--muted:#57606a;--line:#d0d7de;--bg:#fff;--good:#1a7f37;--bad:#b3261e;--warn:#8a4600;--info:#0b57d0;--mark:#fff1c2}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
.top{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;padding:.6rem 1rem;border-bottom:1px solid var(--line);background:#f6f8fa}
.brand{font-weight:700;color:var(--fg);text-decoration:none}
nav a{margin-right:1rem;color:var(--info)}
nav a[aria-current=page]{font-weight:700;color:var(--fg)}
main{padding:1rem;max-width:1200px;margin:0 auto}
h1{font-size:1.5rem;margin:.2rem 0 1rem}
h2{font-size:1.2rem;margin:1.5rem 0 .5rem}
a{color:var(--info)}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{border-bottom:1px solid var(--line);padding:.4rem .5rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{font-weight:600;background:#f6f8fa}
thead th{overflow-wrap:normal}
.table-wrap{overflow-x:auto}
.pill{display:inline-block;padding:0 .5rem;border-radius:1rem;font-size:.85rem;border:1px solid currentColor;white-space:nowrap}
.good{color:var(--good)}.bad{color:var(--bad)}.warn{color:var(--warn)}.info{color:var(--info)}.none{color:var(--muted)}
.muted{color:var(--muted)}
pre{background:#f6f8fa;padding:.5rem;overflow-x:auto;white-space:pre-wrap;overflow-wrap:anywhere;max-height:30rem}
code{overflow-wrap:anywhere}
.bar rect.track{fill:#e8eaed}.bar rect.fill{fill:var(--info)}.bar rect.next{fill:#8ab4f8}.bar rect.back{fill:#f2b8b5}
.timeline polyline{fill:none;stroke:var(--info);stroke-width:2}.timeline circle.allowed{fill:var(--good)}.timeline circle.blocked{fill:var(--bad)}
.timeline line{stroke:var(--line)}
.graph line{stroke:var(--muted);stroke-width:1.5}.graph rect{fill:#fff;stroke:var(--info)}.graph text{font-size:12px;fill:var(--fg)}
.diff td.monolith,.diff td.candidate{font-family:ui-monospace,monospace;white-space:pre-wrap}
.diff tr.differs td.candidate{background:var(--mark)}
.diff tr.noise{color:var(--muted)}
.reasons{margin:.2rem 0;padding-left:1.2rem}
.filter{margin:.5rem 0}
.filter input{font:inherit;padding:.3rem .5rem;width:min(100%,24rem)}
.interaction{border:1px solid var(--line);border-radius:6px;padding:.5rem 1rem;margin:1rem 0}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(18rem,1fr));gap:.8rem}
[hidden]{display:none}
#board th[scope=row]{min-width:11rem}
.diff td:first-child{min-width:8rem}
@media (max-width:640px){main{padding:.5rem}th,td{padding:.3rem}
#board thead{display:none}
#board,#board tbody,#board tr,#board th[scope=row],#board td{display:block;min-width:0}
#board tr{border:1px solid var(--line);border-radius:6px;margin:.6rem 0}
#board tr[hidden]{display:none}
#board th[scope=row],#board td{border:0}
#board td[data-label]::before{content:attr(data-label);display:block;font-size:.8rem;color:var(--muted)}}
`;

const JS = `
'use strict';
// Type-to-filter for tables marked data-filter; relative times kept current. Nothing else.
document.addEventListener('DOMContentLoaded', function () {
  document.querySelectorAll('input[data-filter]').forEach(function (input) {
    var table = document.getElementById(input.getAttribute('data-filter'));
    if (!table) return;
    var apply = function () {
      var q = input.value.toLowerCase();
      table.querySelectorAll('tbody tr').forEach(function (tr) {
        tr.hidden = q !== '' && tr.textContent.toLowerCase().indexOf(q) < 0;
      });
      var url = new URL(window.location.href);
      if (q) url.searchParams.set('q', input.value); else url.searchParams.delete('q');
      history.replaceState(null, '', url);
    };
    input.value = new URL(window.location.href).searchParams.get('q') || '';
    input.addEventListener('input', apply);
    apply();
  });
});
`;

export function assetRoutes(app: FastifyInstance): void {
  for (const [name, type, body] of [
    ['cutover.css', 'text/css;charset=utf-8', CSS],
    ['cutover.js', 'text/javascript;charset=utf-8', JS],
  ] as const)
    app.get(`/ui/assets/${name}`, async (_request, reply) =>
      reply
        .header('Cache-Control', 'public, max-age=300')
        .header('X-Content-Type-Options', 'nosniff')
        .type(type)
        .send(body),
    );
}
