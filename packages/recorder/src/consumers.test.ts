import { describe, expect, it } from 'vitest';
import { createConsumerResolver } from './consumers.js';

describe('createConsumerResolver', () => {
  const resolve = createConsumerResolver({
    header: 'X-Client',
    apiKeys: { header: 'x-api-key', consumers: { 'k-partner': 'partner-feed' } },
    userAgents: [{ pattern: '^TrackingApp/', consumer: 'mobile-app' }],
    defaultConsumer: 'legacy-callers',
    maxConsumers: 2,
  });

  it('names the consumer by API key first, then the header, then the User-Agent', () => {
    expect(resolve({ 'x-api-key': ['k-partner'], 'x-client': ['web-app'] })).toBe('partner-feed');
    expect(resolve({ 'x-client': ['web-app'], 'user-agent': ['TrackingApp/3.2'] })).toBe('web-app');
    expect(resolve({ 'user-agent': ['TrackingApp/3.2 (iOS)'] })).toBe('mobile-app');
  });

  it('sends unknown callers, names that are not plain and names past the cap to the default consumer', () => {
    expect(resolve({ 'user-agent': ['curl/8'] })).toBe('legacy-callers');
    expect(resolve({ 'x-api-key': ['unknown-key'] })).toBe('legacy-callers');
    expect(resolve({ 'x-client': ['../../etc/passwd'] })).toBe('legacy-callers');
    expect(resolve({ 'x-client': ['second'] })).toBe('second');
    expect(resolve({ 'x-client': ['third'] })).toBe('legacy-callers');
    expect(resolve({ 'x-client': ['web-app'] })).toBe('web-app');
  });

  it('refuses a User-Agent pattern that is not a regular expression, with a coded error', () => {
    expect(() => createConsumerResolver({ userAgents: [{ pattern: '(', consumer: 'x' }] })).toThrow(
      expect.objectContaining({ code: 'CUTOVER_CONFIG_INVALID' }),
    );
  });
});
