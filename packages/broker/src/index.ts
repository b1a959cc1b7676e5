// The broker server. The Pact Broker client is the separate package `@cutover/broker-client`.
export { createBroker, type Broker, type BrokerOptions } from './server/broker.js';
export type { AuthConfig, Credential } from './server/auth.js';
export type { DatabaseConfig } from './storage/database.js';
export { HttpError } from './server/http-error.js';
export { cleanBroker, type CleanOptions } from './clean.js';
export type { CleanReport, CleanedVersion, RetentionRules } from './storage/retention.js';
export type { RetentionSchedule } from './server/retention-schedule.js';
