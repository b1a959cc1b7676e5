import { UsageError } from '@cutover/core';
import type { BrokerAuth } from './http.js';

/** Credentials as loose fields (options objects, command-line flags). */
export interface BrokerCredentials {
  token?: string | undefined;
  username?: string | undefined;
  password?: string | undefined;
}

const given = (value: string | undefined): value is string => value !== undefined && value !== '';

/**
 * Loose credential fields as one {@link BrokerAuth}: a bearer token or basic auth, never both, and
 * no password without a user. `where` names the fields in the error (e.g. the flags).
 */
export function brokerAuth(fields: BrokerCredentials, where = 'token, username, password'): BrokerAuth | undefined {
  if (given(fields.token) && given(fields.username))
    throw new UsageError(`Broker credentials (${where}): give a bearer token or a username and password, not both`);
  if (given(fields.token)) return { token: fields.token };
  if (given(fields.username))
    return { username: fields.username, ...(fields.password !== undefined ? { password: fields.password } : {}) };
  if (given(fields.password)) throw new UsageError(`Broker credentials (${where}): a password needs a username`);
  return undefined;
}

/** A broker connection as the CLI resolves it from its flags and the environment. */
export interface BrokerConnection {
  url?: string;
  /** Where the URL came from: `PACT_BROKER_BASE_URL` may mean less than an explicit flag. */
  urlFrom?: 'flag' | 'env';
  auth?: BrokerAuth;
}

/**
 * The one place the `PACT_BROKER_*` variables are read, as the stock Pact clients read them:
 * `PACT_BROKER_BASE_URL`, `PACT_BROKER_TOKEN`, `PACT_BROKER_USERNAME`, `PACT_BROKER_PASSWORD`.
 * A flag wins over its variable, field by field, so a user on the command line can take its
 * password from the environment. An empty value counts as unset. A token and a username from the
 * same source is a usage error; across sources the command line wins (a token flag beats
 * `PACT_BROKER_USERNAME`), and in the environment alone a token wins, as the Pact clients do.
 *
 * @example
 * const { url, auth } = resolveBrokerConnection({ url: args['broker-url'], token: args['broker-token'] }, process.env);
 */
export function resolveBrokerConnection(
  flags: BrokerCredentials & { url?: string | undefined },
  env: Record<string, string | undefined>,
): BrokerConnection {
  const connection: BrokerConnection = {};
  if (given(flags.url)) Object.assign(connection, { url: flags.url, urlFrom: 'flag' });
  else if (given(env.PACT_BROKER_BASE_URL))
    Object.assign(connection, { url: env.PACT_BROKER_BASE_URL, urlFrom: 'env' });

  const fromFlags = brokerAuth({ token: flags.token, username: flags.username }, '--broker-token, --broker-username');
  let auth: BrokerAuth | undefined;
  if (fromFlags && 'token' in fromFlags) auth = fromFlags;
  else if (fromFlags) {
    const password = given(flags.password) ? flags.password : env.PACT_BROKER_PASSWORD;
    auth = { username: fromFlags.username, ...(given(password) ? { password } : {}) };
  } else if (given(env.PACT_BROKER_TOKEN)) auth = { token: env.PACT_BROKER_TOKEN };
  else
    auth = brokerAuth(
      {
        username: env.PACT_BROKER_USERNAME,
        password: given(flags.password) ? flags.password : env.PACT_BROKER_PASSWORD,
      },
      'PACT_BROKER_USERNAME, --broker-password / PACT_BROKER_PASSWORD',
    );
  if (auth) connection.auth = auth;
  return connection;
}
