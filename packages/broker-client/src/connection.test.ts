import { describe, expect, it } from 'vitest';
import { brokerAuth, resolveBrokerConnection } from './connection.js';

describe('resolveBrokerConnection', () => {
  it('reads PACT_BROKER_BASE_URL and PACT_BROKER_TOKEN when no flag is given, saying the URL came from the environment', () => {
    expect(
      resolveBrokerConnection({}, { PACT_BROKER_BASE_URL: 'https://broker.example', PACT_BROKER_TOKEN: 'envtoken' }),
    ).toEqual({ url: 'https://broker.example', urlFrom: 'env', auth: { token: 'envtoken' } });
  });

  it('lets each flag win over its variable, and an empty variable count as unset', () => {
    expect(
      resolveBrokerConnection(
        { url: 'https://flag.example', token: 'flagtoken' },
        { PACT_BROKER_BASE_URL: 'https://env.example', PACT_BROKER_TOKEN: 'envtoken' },
      ),
    ).toEqual({ url: 'https://flag.example', urlFrom: 'flag', auth: { token: 'flagtoken' } });
    expect(resolveBrokerConnection({}, { PACT_BROKER_BASE_URL: '', PACT_BROKER_TOKEN: '' })).toEqual({});
  });

  it('takes the password from the environment for a user named on the command line', () => {
    expect(resolveBrokerConnection({ username: 'ci' }, { PACT_BROKER_PASSWORD: 'pw' }).auth).toEqual({
      username: 'ci',
      password: 'pw',
    });
  });

  it('prefers credentials given on the command line over a token in the environment', () => {
    expect(resolveBrokerConnection({ username: 'ci', password: 'pw' }, { PACT_BROKER_TOKEN: 'envtoken' }).auth).toEqual(
      { username: 'ci', password: 'pw' },
    );
  });

  it('in the environment alone, a token wins over basic auth, as the Pact clients do', () => {
    expect(
      resolveBrokerConnection(
        {},
        { PACT_BROKER_TOKEN: 'envtoken', PACT_BROKER_USERNAME: 'ci', PACT_BROKER_PASSWORD: 'pw' },
      ).auth,
    ).toEqual({ token: 'envtoken' });
    expect(resolveBrokerConnection({}, { PACT_BROKER_USERNAME: 'ci', PACT_BROKER_PASSWORD: 'pw' }).auth).toEqual({
      username: 'ci',
      password: 'pw',
    });
  });

  it('refuses a token and a username together on the command line, and a password without a user', () => {
    expect(() => resolveBrokerConnection({ token: 't', username: 'u' }, {})).toThrow(
      expect.objectContaining({
        code: 'CUTOVER_USAGE',
        message:
          'Broker credentials (--broker-token, --broker-username): give a bearer token or a username and password, not both',
      }),
    );
    expect(() => resolveBrokerConnection({ password: 'pw' }, {})).toThrow(
      expect.objectContaining({
        code: 'CUTOVER_USAGE',
        message: expect.stringContaining('a password needs a username'),
      }),
    );
  });
});

describe('brokerAuth', () => {
  it('turns loose fields into one credential', () => {
    expect(brokerAuth({})).toBeUndefined();
    expect(brokerAuth({ token: 't' })).toEqual({ token: 't' });
    expect(brokerAuth({ username: 'u' })).toEqual({ username: 'u' });
    expect(() => brokerAuth({ token: 't', username: 'u' })).toThrow(/not both/);
  });
});
