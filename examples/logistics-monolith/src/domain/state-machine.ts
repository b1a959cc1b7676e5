import type { ShipmentStatus } from './model.js';
import { SHIPMENT_STATUSES } from './model.js';

/**
 * The shipment lifecycle. A status may only move along these edges; everything else is a conflict
 * with the shipment's current state (HTTP 409). Terminal statuses have no way out.
 */
const TRANSITIONS: Record<ShipmentStatus, readonly ShipmentStatus[]> = {
  created: ['assigned', 'cancelled'],
  assigned: ['picked_up', 'cancelled'],
  picked_up: ['in_transit'],
  in_transit: ['out_for_delivery', 'exception'],
  out_for_delivery: ['delivered', 'exception'],
  exception: ['in_transit', 'returned'],
  delivered: [],
  returned: [],
  cancelled: [],
};

export function isShipmentStatus(value: unknown): value is ShipmentStatus {
  return typeof value === 'string' && (SHIPMENT_STATUSES as readonly string[]).includes(value);
}

export function allowedTransitions(from: ShipmentStatus): readonly ShipmentStatus[] {
  return TRANSITIONS[from];
}

export function canTransition(from: ShipmentStatus, to: ShipmentStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function isTerminal(status: ShipmentStatus): boolean {
  return TRANSITIONS[status].length === 0;
}

/**
 * The path of statuses a shipment walks to reach `target` on the happy path (plus the detour for
 * exceptions and returns), used to give seeded shipments a consistent event history.
 */
export function pathTo(target: ShipmentStatus): ShipmentStatus[] {
  const happy: ShipmentStatus[] = ['created', 'assigned', 'picked_up', 'in_transit', 'out_for_delivery', 'delivered'];
  if (target === 'cancelled') return ['created', 'cancelled'];
  if (target === 'exception') return ['created', 'assigned', 'picked_up', 'in_transit', 'exception'];
  if (target === 'returned') return ['created', 'assigned', 'picked_up', 'in_transit', 'exception', 'returned'];
  return happy.slice(0, happy.indexOf(target) + 1);
}
