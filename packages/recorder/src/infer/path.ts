import { isSegmentWildcard, pathMatchesPattern } from '@cutover/core';

/**
 * Path segments that are identifiers, not names: they become `{…}` placeholders so that
 * `/orders/17` and `/orders/42` land in one group. Order matters: the first kind that fits names
 * the placeholder.
 */
export const SEGMENT_KINDS: readonly { name: string; test: RegExp }[] = [
  { name: 'id', test: /^\d+$/ },
  { name: 'uuid', test: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i },
  { name: 'date', test: /^\d{4}-\d{2}-\d{2}(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/ },
  // Hashes and opaque hex ids: long, and mixing digits with letters (a word never passes).
  { name: 'hash', test: /^(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{16,}$/i },
  // Prefixed business ids such as SHP-1001 or INV_2026_7; version segments (v1, v2) stay literal.
  { name: 'id', test: /^[A-Za-z]{1,8}[-_]\d+(?:[-_]\d+)*$/ },
];

/** The placeholder kind of a segment (`'id'`, `'uuid'`, …), or undefined for a literal segment. */
export function segmentKind(segment: string): string | undefined {
  let decoded = segment;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    // A malformed escape is a literal segment.
  }
  return SEGMENT_KINDS.find((kind) => kind.test.test(decoded))?.name;
}

/**
 * The path template a request path is grouped under: from the given templates (an OpenAPI
 * document's paths, `{name}` placeholders) when one fits, the most literal one winning; inferred
 * otherwise, each identifier-like segment becoming `{id}`, `{uuid}`, `{date}` or `{hash}` (numbered
 * from the second of a kind: `{id2}`).
 *
 * @example
 * templatePath('/api/orders/17/items/3f2c…') // '/api/orders/{id}/items/{hash}'
 * templatePath('/api/tracking/SHP-1001', ['/api/tracking/{shipmentId}']) // '/api/tracking/{shipmentId}'
 */
export function templatePath(path: string, templates: readonly string[] = []): string {
  let best: { template: string; literals: number } | undefined;
  for (const template of templates) {
    if (!pathMatchesPattern(template, path)) continue;
    const literals = template.split('/').filter((s) => s !== '' && !isSegmentWildcard(s)).length;
    if (!best || literals > best.literals) best = { template, literals };
  }
  if (best) return best.template;
  const seen = new Map<string, number>();
  return path
    .split('/')
    .map((segment) => {
      const kind = segment === '' ? undefined : segmentKind(segment);
      if (kind === undefined) return segment;
      const n = (seen.get(kind) ?? 0) + 1;
      seen.set(kind, n);
      return n === 1 ? `{${kind}}` : `{${kind}${n}}`;
    })
    .join('/');
}
