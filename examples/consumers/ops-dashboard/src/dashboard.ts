/**
 * The operations dashboard's client for the logistics API: a shipment's state at a glance and its
 * latest events. Written years ago with nock tests and no Pact tests.
 */

export interface ShipmentCard {
  id: string;
  status: string;
  expectedAt: string | null;
  lastEvent?: { status: string; at: string; city: string };
}

export class ShipmentNotFound extends Error {
  constructor(readonly id: string) {
    super(`shipment ${id} does not exist`);
    this.name = 'ShipmentNotFound';
  }
}

interface TrackingBody {
  shipmentId: string;
  status: string;
  eta: { estimatedDelivery: string } | null;
  events: { status: string; occurredAt: string; location: { city: string } }[];
}

export class Dashboard {
  constructor(private readonly baseUrl: string) {}

  private async get<T>(path: string, id: string): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`, { headers: { Accept: 'application/json' } });
    if (response.status === 404) throw new ShipmentNotFound(id);
    if (!response.ok) throw new Error(`GET ${path} answered ${response.status}`);
    return (await response.json()) as T;
  }

  async card(id: string): Promise<ShipmentCard> {
    const body = await this.get<TrackingBody>(`/api/tracking/${encodeURIComponent(id)}`, id);
    const last = body.events[0];
    return {
      id: body.shipmentId,
      status: body.status,
      expectedAt: body.eta?.estimatedDelivery ?? null,
      ...(last ? { lastEvent: { status: last.status, at: last.occurredAt, city: last.location.city } } : {}),
    };
  }

  async latestEvents(id: string, limit: number): Promise<{ total: number; statuses: string[] }> {
    const body = await this.get<{ total: number; events: { status: string }[] }>(
      `/api/tracking/${encodeURIComponent(id)}/events?limit=${limit}`,
      id,
    );
    return { total: body.total, statuses: body.events.map((e) => e.status) };
  }
}
