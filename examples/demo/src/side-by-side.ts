/**
 * Renders the gate's blocking differences as a two-column table: what the monolith answered next
 * to what the candidate answered, per consumer interaction and JSON path.
 */
export interface DifferenceRow {
  where: string;
  path: string;
  monolith: unknown;
  candidate: unknown;
}

interface DecisionLike {
  routes?: {
    reasons?: {
      consumer?: string;
      interaction?: string;
      difference?: { path: string; monolith: unknown; candidate: unknown };
    }[];
  }[];
}

/** The differences a gate decision (`cutover gate --json`) cites, without repeats. */
export function differencesOf(decision: DecisionLike): DifferenceRow[] {
  const rows: DifferenceRow[] = [];
  const seen = new Set<string>();
  for (const route of decision.routes ?? []) {
    for (const reason of route.reasons ?? []) {
      if (!reason.difference) continue;
      const where = [reason.consumer, reason.interaction].filter(Boolean).join(': ');
      const key = `${where}|${reason.difference.path}`;
      if (seen.has(key)) continue;
      seen.add(key);
      rows.push({
        where,
        path: reason.difference.path,
        monolith: reason.difference.monolith,
        candidate: reason.difference.candidate,
      });
    }
  }
  return rows;
}

const show = (value: unknown): string => (value === undefined ? '(absent)' : (JSON.stringify(value) ?? String(value)));
const clip = (text: string, width: number): string =>
  text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);

/**
 * @example
 * sideBySide([{ where: 'web-app: tracking', path: '$.eta', monolith: 1, candidate: 2 }])
 */
export function sideBySide(rows: DifferenceRow[], width = 100): string {
  if (rows.length === 0) return '(no differences cited)';
  const pathWidth = Math.min(34, Math.max(4, ...rows.map((r) => r.path.length)));
  const column = Math.max(16, Math.floor((width - pathWidth - 6) / 2));
  const lines = [
    `${clip('path', pathWidth)} │ ${clip('monolith', column)} │ candidate`,
    `${'─'.repeat(pathWidth)}─┼─${'─'.repeat(column)}─┼─${'─'.repeat(column)}`,
  ];
  let lastWhere = '';
  for (const row of rows) {
    if (row.where !== lastWhere) {
      lines.push(row.where);
      lastWhere = row.where;
    }
    lines.push(
      `${clip(row.path, pathWidth)} │ ${clip(show(row.monolith), column)} │ ${clip(show(row.candidate), column).trimEnd()}`,
    );
  }
  return lines.join('\n');
}
