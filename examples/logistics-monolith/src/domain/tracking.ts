import type { Shipment, ShipmentStatus, TrackingEvent } from './model.js';

const HOUR = 3_600_000;

export interface Eta {
  /** Best estimate of the delivery moment. */
  estimatedDelivery: string;
  window: { from: string; to: string };
  confidence: 'high' | 'medium' | 'low';
}

/**
 * Estimated delivery for a shipment, from stored facts only (promised date, status, latest event),
 * so two reads of the same data always agree. `null` once the shipment can no longer be delivered
 * or already was.
 *
 * Out for delivery: a 4-hour window from the last scan. Exception: the promise slips a day.
 */
export function estimateDelivery(shipment: Shipment, events: readonly TrackingEvent[]): Eta | null {
  if (shipment.status === 'delivered' || shipment.status === 'cancelled' || shipment.status === 'returned') {
    return null;
  }
  const promised = Date.parse(shipment.promisedBy);
  const latest = latestEvent(events);
  let from: number;
  let to: number;
  let confidence: Eta['confidence'];
  if (shipment.status === 'out_for_delivery' && latest) {
    from = Date.parse(latest.occurredAt);
    to = from + 4 * HOUR;
    confidence = 'high';
  } else if (shipment.status === 'exception') {
    from = promised + 24 * HOUR + 9 * HOUR;
    to = from + 9 * HOUR;
    confidence = 'low';
  } else {
    // Standard deliveries arrive during the working day; express ones before noon.
    from = promised + 9 * HOUR;
    to = promised + (shipment.service === 'express' ? 12 : 18) * HOUR;
    confidence = shipment.status === 'in_transit' ? 'high' : 'medium';
  }
  return {
    estimatedDelivery: new Date(from + (to - from) / 2).toISOString(),
    window: { from: new Date(from).toISOString(), to: new Date(to).toISOString() },
    confidence,
  };
}

/** Events newest first; ties keep their id order so the output is stable. */
export function sortEvents(events: readonly TrackingEvent[]): TrackingEvent[] {
  return [...events].sort((a, b) => b.occurredAt.localeCompare(a.occurredAt) || b.id.localeCompare(a.id));
}

export function latestEvent(events: readonly TrackingEvent[]): TrackingEvent | undefined {
  return sortEvents(events)[0];
}

const DESCRIPTIONS: Record<ShipmentStatus, string> = {
  created: 'Shipment information received',
  assigned: 'Driver assigned',
  picked_up: 'Picked up from sender',
  in_transit: 'In transit to the destination hub',
  out_for_delivery: 'Out for delivery',
  delivered: 'Delivered',
  exception: 'Delivery exception: recipient not available',
  returned: 'Returned to sender',
  cancelled: 'Shipment cancelled',
};

export function describeStatus(status: ShipmentStatus): string {
  return DESCRIPTIONS[status];
}
