/**
 * The bugs an extracted service realistically ships with, switchable so the demo can show what
 * `cutover verify` and `cutover gate` catch. Each one is something a rewrite gets wrong:
 *
 * - `dropped-field`:  the new events query forgets the join to locations, so `events[].location` is gone.
 * - `renamed-field`:  a "cleanup" renames `eta.estimatedDelivery` to `eta.estimatedDeliveryAt`.
 * - `status-code`:    an unknown shipment id hits an unhandled null and answers 500 instead of 404.
 * - `date-format`:    timestamps come straight from the database driver: `2026-11-18 07:30:00`.
 * - `leaked-field`:   the serializer dumps the customer's e-mail address into the public tracking page.
 */
export const DIVERGENCES = ['dropped-field', 'renamed-field', 'status-code', 'date-format', 'leaked-field'] as const;
export type Divergence = (typeof DIVERGENCES)[number];

/** Parses `DIVERGENCE=a,b` (empty or `none` = faithful); throws naming the bad value and the valid ones. */
export function parseDivergences(value: string | undefined): Set<Divergence> {
  const set = new Set<Divergence>();
  for (const raw of (value ?? '').split(',')) {
    const name = raw.trim();
    if (name === '' || name === 'none') continue;
    if (!(DIVERGENCES as readonly string[]).includes(name)) {
      throw new Error(`unknown divergence "${name}"; choose from ${DIVERGENCES.join(', ')} (or none)`);
    }
    set.add(name as Divergence);
  }
  return set;
}
