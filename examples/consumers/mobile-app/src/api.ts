/**
 * The mobile app's client for the logistics API: sign-in, the home-screen tracking widget (which
 * needs only a few fields), and the notification inbox.
 */

export interface Session {
  accessToken: string;
  expiresAt: number;
  user: { id: string; name: string; role: string };
}

export interface WidgetData {
  shipmentId: string;
  headline: string;
  /** "Today 07:30–11:30" style window, or undefined when there is none. */
  window?: string;
  lastScan?: string;
}

export class MobileApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'MobileApiError';
  }
}

const HEADLINES: Record<string, string> = {
  created: 'Label created',
  assigned: 'Driver assigned',
  picked_up: 'Picked up',
  in_transit: 'On its way',
  out_for_delivery: 'Out for delivery',
  delivered: 'Delivered',
  exception: 'Delivery problem',
  returned: 'Returned to sender',
  cancelled: 'Cancelled',
};

export class MobileApi {
  constructor(
    private readonly baseUrl: string,
    private readonly fetchImpl: typeof fetch = fetch,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Signs in; a wrong password is a `MobileApiError` with code `INVALID_CREDENTIALS`. */
  async login(email: string, password: string): Promise<Session> {
    const body = await this.request<{ accessToken: string; expiresIn: number; user: Session['user'] }>(
      'POST',
      '/api/auth/login',
      {
        body: { email, password },
      },
    );
    return { accessToken: body.accessToken, expiresAt: this.clock() + body.expiresIn * 1000, user: body.user };
  }

  /** The home-screen widget for one shipment. */
  async trackingWidget(shipmentId: string): Promise<WidgetData> {
    const t = await this.request<{
      shipmentId: string;
      status: string;
      eta: { window: { from: string; to: string } } | null;
      events: { status: string; occurredAt: string }[];
    }>('GET', `/api/tracking/${encodeURIComponent(shipmentId)}`);
    const widget: WidgetData = { shipmentId: t.shipmentId, headline: HEADLINES[t.status] ?? t.status };
    if (t.eta) widget.window = `${t.eta.window.from.slice(11, 16)}–${t.eta.window.to.slice(11, 16)}`;
    if (t.events[0]) widget.lastScan = t.events[0].occurredAt;
    return widget;
  }

  /** The countdown badge: when the shipment should arrive. */
  async eta(shipmentId: string): Promise<{ status: string; estimatedDelivery: string | null; confidence?: string }> {
    const body = await this.request<{ status: string; eta: { estimatedDelivery: string; confidence: string } | null }>(
      'GET',
      `/api/tracking/${encodeURIComponent(shipmentId)}/eta`,
    );
    return body.eta
      ? { status: body.status, estimatedDelivery: body.eta.estimatedDelivery, confidence: body.eta.confidence }
      : { status: body.status, estimatedDelivery: null };
  }

  /** Unread notifications for the signed-in user. */
  async unreadNotifications(session: Session): Promise<{ unread: number; messages: string[] }> {
    const body = await this.request<{ unread: number; items: { message: string }[] }>('GET', '/api/notifications', {
      query: 'unread=true',
      token: session.accessToken,
    });
    return { unread: body.unread, messages: body.items.map((n) => n.message) };
  }

  private async request<T>(
    method: string,
    path: string,
    opts: { body?: unknown; token?: string; query?: string } = {},
  ): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
    if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
    const url = new URL(path + (opts.query ? `?${opts.query}` : ''), this.baseUrl);
    const res = await this.fetchImpl(url, {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
    if (!res.ok) {
      const err = (await res.json().catch(() => undefined)) as
        { error?: { code?: string; message?: string } } | undefined;
      throw new MobileApiError(
        res.status,
        err?.error?.code,
        err?.error?.message ?? `${method} ${path} answered ${res.status}`,
      );
    }
    return (await res.json()) as T;
  }
}
