import type { Difference, InteractionResult } from '@cutover/core';
import { plural } from './format.js';

/** A header difference that repeats, the same way, on several interactions of a run. */
export interface SharedHeaderDifference {
  /** Lower-case header name. */
  name: string;
  monolith?: string;
  candidate?: string;
  /** Interactions it was found on. */
  count: number;
  /** Interactions whose two responses were compared. */
  compared: number;
  /** One sentence for the whole run: `the candidate never sends pragma (the monolith sends "no-cache") — 17 interactions`. */
  sentence: string;
}

export interface SharedHeaders {
  /** Most frequent first. */
  shared: SharedHeaderDifference[];
  /** True when `d` is reported once for the run instead of under each interaction. */
  isShared(d: Difference): boolean;
}

function keyOf(d: Difference): string | undefined {
  if (d.kind !== 'header') return undefined;
  return JSON.stringify([d.path, d.monolith ?? null, d.candidate ?? null]);
}

function sentence(name: string, m: string | undefined, c: string | undefined, count: number, compared: number) {
  const all = count === compared;
  const on = all
    ? `on every one of the ${plural(compared, 'compared interaction')}`
    : `on ${count} of ${compared} compared interactions`;
  if (c === undefined) {
    return `the candidate ${all ? 'never sends' : 'does not send'} ${name} (the monolith sends ${JSON.stringify(m)}) ${on}`;
  }
  if (m === undefined) {
    return `the candidate sends ${name}: ${JSON.stringify(c)}, which the monolith does not, ${on}`;
  }
  return `${name} is ${JSON.stringify(m)} on the monolith but ${JSON.stringify(c)} on the candidate ${on}`;
}

/**
 * Header differences that repeat the same way (same header, same values) on more than one
 * interaction: a report states each once for the run (`the candidate never sends pragma … on every
 * one of the 17 compared interactions`) instead of under every interaction, where they would bury
 * the differences that decide.
 */
export function sharedHeaderDifferences(results: readonly InteractionResult[]): SharedHeaders {
  const groups = new Map<string, { d: Difference; count: number }>();
  let compared = 0;
  for (const result of results) {
    if (result.parity.status === 'not-compared') continue;
    compared++;
    const seen = new Set<string>();
    for (const d of result.parity.differences) {
      const key = keyOf(d);
      if (key === undefined || seen.has(key)) continue;
      seen.add(key);
      const group = groups.get(key);
      if (group) group.count++;
      else groups.set(key, { d, count: 1 });
    }
  }
  const sharedKeys = new Set<string>();
  const shared: SharedHeaderDifference[] = [];
  for (const [key, { d, count }] of groups) {
    if (count < 2) continue;
    sharedKeys.add(key);
    const m = d.monolith as string | undefined;
    const c = d.candidate as string | undefined;
    shared.push({
      name: d.path,
      ...(m === undefined ? {} : { monolith: m }),
      ...(c === undefined ? {} : { candidate: c }),
      count,
      compared,
      sentence: sentence(d.path, m, c, count, compared),
    });
  }
  shared.sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
  return {
    shared,
    isShared: (d) => {
      const key = keyOf(d);
      return key !== undefined && sharedKeys.has(key);
    },
  };
}
