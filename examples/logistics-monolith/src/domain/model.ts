/** The monolith's data model: what its "database" (a JSON file) holds. */

export type Role = 'dispatcher' | 'customer' | 'driver';

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** `scrypt$<salt hex>$<hash hex>` */
  passwordHash: string;
}

export interface Driver {
  id: string;
  name: string;
  vehicle: string;
  active: boolean;
}

export interface Place {
  city: string;
  country: string;
}

export const SHIPMENT_STATUSES = [
  'created',
  'assigned',
  'picked_up',
  'in_transit',
  'out_for_delivery',
  'delivered',
  'exception',
  'returned',
  'cancelled',
] as const;
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];

export type ServiceLevel = 'standard' | 'express';

export interface Shipment {
  id: string;
  reference: string;
  customerId: string;
  driverId: string | null;
  status: ShipmentStatus;
  service: ServiceLevel;
  origin: Place;
  destination: Place;
  weightKg: number;
  /** The delivery date promised at booking (ISO date-time, start of the promised day). */
  promisedBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface TrackingEvent {
  id: string;
  shipmentId: string;
  status: ShipmentStatus;
  location: Place;
  description: string;
  occurredAt: string;
}

export interface Notification {
  id: string;
  userId: string;
  shipmentId: string;
  channel: 'email' | 'sms' | 'push';
  message: string;
  createdAt: string;
  readAt: string | null;
}

export type DocumentKind = 'shipping_label' | 'commercial_invoice' | 'proof_of_delivery';

export interface DocumentMeta {
  id: string;
  shipmentId: string;
  kind: DocumentKind;
  status: 'pending' | 'ready' | 'failed';
  contentType: string;
  pages: number | null;
  sizeBytes: number | null;
  requestedAt: string;
  readyAt: string | null;
}

export interface Database {
  schemaVersion: 1;
  users: User[];
  drivers: Driver[];
  shipments: Shipment[];
  events: TrackingEvent[];
  notifications: Notification[];
  documents: DocumentMeta[];
  counters: { shipment: number; notification: number; document: number };
}
