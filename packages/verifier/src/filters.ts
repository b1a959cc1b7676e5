import { parseRoutePattern, routeMatches, type Interaction } from '@cutover/core';
import type { VerifyFilters, VerifyOptions } from './options.js';

/** The filters as words, for the message of a run they left empty. */
export function describeFilters(filters: VerifyOptions['filters']): string[] {
  const list = (values: string[] | undefined) => values?.map((v) => JSON.stringify(v)).join(', ');
  return [
    filters?.consumers?.length ? `consumer ${list(filters.consumers)}` : '',
    filters?.descriptions?.length ? `description containing ${list(filters.descriptions)}` : '',
    filters?.states?.length ? `provider state ${list(filters.states)}` : '',
    filters?.routes?.length ? `route ${list(filters.routes)}` : '',
  ].filter(Boolean);
}

/** The filters that select anything, for the report: evidence must say it covers part of the pacts. */
export function recordedFilters(filters: VerifyOptions['filters']): VerifyFilters | undefined {
  const kept = Object.entries(filters ?? {}).filter(([, values]) => Array.isArray(values) && values.length > 0);
  return kept.length > 0 ? (Object.fromEntries(kept) as VerifyFilters) : undefined;
}

/** Whether an interaction of `consumer`'s pact passes the run's filters (consumer, description, state, route). */
export function matchesFilters(options: VerifyOptions, consumer: string, interaction: Interaction): boolean {
  const filters = options.filters;
  if (!filters) return true;
  if (filters.consumers?.length && !filters.consumers.includes(consumer)) return false;
  if (filters.descriptions?.length && !filters.descriptions.some((d) => interaction.description.includes(d))) {
    return false;
  }
  if (filters.states?.length && !interaction.providerStates.some((s) => filters.states!.includes(s.name))) {
    return false;
  }
  if (filters.routes?.length) {
    if (interaction.type !== 'http') return false;
    const { method, path } = interaction.request;
    if (!filters.routes.some((r) => routeMatches(parseRoutePattern(r), method, path))) return false;
  }
  return true;
}
