/**
 * The web app's client for the logistics API: the data loader behind the public shipment-tracking
 * page. It reads `/api/tracking/**`, the routes being moved to the tracking service.
 */

export type ShipmentStatus =
  | 'created'
  | 'assigned'
  | 'picked_up'
  | 'in_transit'
  | 'out_for_delivery'
  | 'delivered'
  | 'exception'
  | 'returned'
  | 'cancelled';

export interface Place {
  city: string;
  country: string;
}

export interface TrackingEvent {
  id: string;
  status: ShipmentStatus;
  description: string;
  location: Place;
  occurredAt: string;
}

export interface Tracking {
  shipmentId: string;
  reference: string;
  status: ShipmentStatus;
  service: 'standard' | 'express';
  origin: Place;
  destination: Place;
  promisedBy: string;
  eta: {
    estimatedDelivery: string;
    window: { from: string; to: string };
    confidence: 'high' | 'medium' | 'low';
  } | null;
  lastUpdated: string;
  events: TrackingEvent[];
}

/** The API answered something the client cannot use. */
export class LogisticsApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'LogisticsApiError';
  }
}

export class TrackingApi {
  constructor(
    private readonly baseUrl: string,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  /** The tracking data of one shipment, or `null` when the shipment does not exist. */
  async getTracking(shipmentId: string): Promise<Tracking | null> {
    return this.get<Tracking>(`/api/tracking/${encodeURIComponent(shipmentId)}`);
  }

  /** The latest `limit` scan events, newest first. */
  async getEvents(shipmentId: string, limit: number): Promise<{ total: number; events: TrackingEvent[] } | null> {
    return this.get(`/api/tracking/${encodeURIComponent(shipmentId)}/events?limit=${limit}`);
  }

  private async get<T>(path: string): Promise<T | null> {
    const res = await this.fetchImpl(new URL(path, this.baseUrl), { headers: { Accept: 'application/json' } });
    if (res.status === 404) return null;
    if (!res.ok) {
      const body = (await res.json().catch(() => undefined)) as
        { error?: { code?: string; message?: string } } | undefined;
      throw new LogisticsApiError(
        res.status,
        body?.error?.code,
        body?.error?.message ?? `GET ${path} answered ${res.status}`,
      );
    }
    return (await res.json()) as T;
  }
}

export interface TrackingPage {
  title: string;
  status: ShipmentStatus;
  /** "Arriving between 09:00 and 18:00 on 19 Nov" or "Delivered". */
  deliveryLine: string;
  route: string;
  timeline: { when: string; what: string; where: string }[];
}

/** Loads and shapes the tracking page; `null` renders the "we cannot find this shipment" page. */
export async function loadTrackingPage(api: TrackingApi, shipmentId: string): Promise<TrackingPage | null> {
  const tracking = await api.getTracking(shipmentId);
  if (!tracking) return null;
  return {
    title: `Shipment ${tracking.reference}`,
    status: tracking.status,
    deliveryLine: deliveryLine(tracking),
    route: `${tracking.origin.city} → ${tracking.destination.city}`,
    timeline: tracking.events.map((e) => ({
      when: e.occurredAt,
      what: e.description,
      where: `${e.location.city}, ${e.location.country}`,
    })),
  };
}

function deliveryLine(t: Tracking): string {
  if (t.status === 'delivered') return 'Delivered';
  if (!t.eta) return 'No delivery planned';
  const time = (iso: string) => iso.slice(11, 16);
  const day = new Date(t.eta.window.from).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  });
  return `Arriving between ${time(t.eta.window.from)} and ${time(t.eta.window.to)} on ${day}`;
}
