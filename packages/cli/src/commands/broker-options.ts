import type { OptionTable } from '../options.js';

/**
 * The options every command that talks to a Pact Broker shares; each falls back to the Pact CLIs'
 * environment variable (resolveBrokerConnection in @cutover/broker-client). No import here: a
 * command that reaches the broker only with `--publish` loads the client then.
 */
export function brokerConnectionOptions(urlDescribe: string) {
  return { ...brokerUrlOption(urlDescribe), ...brokerCredentialOptions };
}

/** `--broker-url`, described for what the command does with the broker. */
export function brokerUrlOption(describe: string) {
  return {
    'broker-url': { type: 'string', describe: `${describe} [env PACT_BROKER_BASE_URL]` },
  } as const satisfies OptionTable;
}

export const brokerCredentialOptions = {
  'broker-token': { type: 'string', describe: 'Broker bearer token [env PACT_BROKER_TOKEN]' },
  'broker-username': { type: 'string', describe: 'Broker basic-auth user [env PACT_BROKER_USERNAME]' },
  'broker-password': { type: 'string', describe: 'Broker basic-auth password [env PACT_BROKER_PASSWORD]' },
} as const satisfies OptionTable;

/** The flags resolveBrokerConnection takes, from the parsed `--broker-…` options. */
export function brokerFlags(args: {
  'broker-url'?: string;
  'broker-token'?: string;
  'broker-username'?: string;
  'broker-password'?: string;
}): { url?: string; token?: string; username?: string; password?: string } {
  return {
    ...(args['broker-url'] !== undefined ? { url: args['broker-url'] } : {}),
    ...(args['broker-token'] !== undefined ? { token: args['broker-token'] } : {}),
    ...(args['broker-username'] !== undefined ? { username: args['broker-username'] } : {}),
    ...(args['broker-password'] !== undefined ? { password: args['broker-password'] } : {}),
  };
}
