import { copyFileSync, existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MatchersV3, PactV4 } from '@pact-foundation/pact';
import { afterAll, describe, expect, it } from 'vitest';
import { MobileApi, MobileApiError } from './api.js';

const { like, eachLike, regex, datetime, integer, fromProviderState } = MatchersV3;

// Pact merges interactions into an existing file, so each run writes into a fresh folder; the
// finished pact then replaces contracts/pacts/mobile-app-logistics.json in one rename, so readers
// (a verify running in parallel, the demo) never see a missing or half-written pact.
const contracts = fileURLToPath(new URL('../../../../contracts/pacts', import.meta.url));
const pactDir = mkdtempSync(join(tmpdir(), 'pact-mobile-app-'));
afterAll(() => {
  const file = 'mobile-app-logistics.json';
  if (existsSync(join(pactDir, file))) {
    const temp = join(contracts, `${file}.${process.pid}.tmp`);
    copyFileSync(join(pactDir, file), temp);
    renameSync(temp, join(contracts, file));
  }
  rmSync(pactDir, { recursive: true, force: true });
});

const provider = new PactV4({ consumer: 'mobile-app', provider: 'logistics', dir: pactDir, logLevel: 'warn' });

const ISO = "yyyy-MM-dd'T'HH:mm:ss.SSSX";
const JWT = '^[\\w-]+\\.[\\w-]+\\.[\\w-]+$';
const EXAMPLE_JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJVU1ItMyIsInJvbGUiOiJjdXN0b21lciJ9.c2lnbmF0dXJlLWV4YW1wbGU';

describe('mobile-app → logistics', () => {
  it('signs in and keeps the access token', async () => {
    await provider
      .addInteraction()
      .given('a user exists', { email: 'mo@mobile.example', password: 'on-the-go' })
      .uponReceiving('a login with valid credentials')
      .withRequest('POST', '/api/auth/login', (b) =>
        b.headers({ Accept: 'application/json' }).jsonBody({ email: 'mo@mobile.example', password: 'on-the-go' }),
      )
      .willRespondWith(200, (b) =>
        b.jsonBody({
          accessToken: regex(JWT, EXAMPLE_JWT),
          tokenType: 'Bearer',
          expiresIn: integer(3600),
          user: { id: like('USR-3'), name: like('Mo Mobile'), role: 'customer' },
        }),
      )
      .executeTest(async (mock) => {
        const session = await new MobileApi(mock.url, fetch, () => 0).login('mo@mobile.example', 'on-the-go');
        expect(session).toEqual({
          accessToken: EXAMPLE_JWT,
          expiresAt: 3_600_000,
          user: { id: 'USR-3', name: 'Mo Mobile', role: 'customer' },
        });
      });
  });

  it('tells the user when the password is wrong', async () => {
    await provider
      .addInteraction()
      .given('a user exists', { email: 'mo@mobile.example', password: 'on-the-go' })
      .uponReceiving('a login with a wrong password')
      .withRequest('POST', '/api/auth/login', (b) =>
        b.headers({ Accept: 'application/json' }).jsonBody({ email: 'mo@mobile.example', password: 'wrong' }),
      )
      .willRespondWith(401, (b) =>
        b.jsonBody({ error: { code: 'INVALID_CREDENTIALS', message: like('email or password is wrong') } }),
      )
      .executeTest(async (mock) => {
        const failure = await new MobileApi(mock.url).login('mo@mobile.example', 'wrong').catch((e: unknown) => e);
        expect(failure).toBeInstanceOf(MobileApiError);
        expect(failure).toMatchObject({ status: 401, code: 'INVALID_CREDENTIALS' });
      });
  });

  it('shows the tracking widget from the few fields it needs', async () => {
    await provider
      .addInteraction()
      .given('a shipment is out for delivery', { shipmentId: 'SHP-1002' })
      .uponReceiving('a request for the tracking widget of a shipment out for delivery')
      .withRequest('GET', '/api/tracking/SHP-1002', (b) => b.headers({ Accept: 'application/json' }))
      .willRespondWith(200, (b) =>
        b.jsonBody({
          shipmentId: 'SHP-1002',
          status: 'out_for_delivery',
          eta: {
            window: { from: datetime(ISO, '2026-11-18T07:30:00.000Z'), to: datetime(ISO, '2026-11-18T11:30:00.000Z') },
          },
          events: eachLike(
            { status: like('out_for_delivery'), occurredAt: datetime(ISO, '2026-11-18T07:30:00.000Z') },
            1,
          ),
        }),
      )
      .executeTest(async (mock) => {
        expect(await new MobileApi(mock.url).trackingWidget('SHP-1002')).toEqual({
          shipmentId: 'SHP-1002',
          headline: 'Out for delivery',
          window: '07:30–11:30',
          lastScan: '2026-11-18T07:30:00.000Z',
        });
      });
  });

  it('shows the delivery countdown for whichever shipment the provider sets up', async () => {
    await provider
      .addInteraction()
      .given('a shipment is out for delivery')
      .uponReceiving('a request for the ETA of a shipment out for delivery')
      .withRequest('GET', fromProviderState('/api/tracking/${shipmentId}/eta', '/api/tracking/SHP-5555/eta'), (b) =>
        b.headers({ Accept: 'application/json' }),
      )
      .willRespondWith(200, (b) =>
        b.jsonBody({
          shipmentId: fromProviderState('${shipmentId}', 'SHP-5555'),
          status: 'out_for_delivery',
          eta: {
            estimatedDelivery: datetime(ISO, '2026-11-18T09:30:00.000Z'),
            confidence: regex('^(high|medium|low)$', 'high'),
          },
          generatedAt: regex('^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$', '2026-11-22T03:11:03.296703Z'),
        }),
      )
      .executeTest(async (mock) => {
        expect(await new MobileApi(mock.url).eta('SHP-5555')).toEqual({
          status: 'out_for_delivery',
          estimatedDelivery: '2026-11-18T09:30:00.000Z',
          confidence: 'high',
        });
      });
  });

  it('lists unread notifications for the signed-in user', async () => {
    await provider
      .addInteraction()
      .given('the user is logged in', { email: 'mo@mobile.example' })
      .uponReceiving('a request for the unread notifications of the signed-in user')
      .withRequest('GET', '/api/notifications', (b) =>
        b.query({ unread: 'true' }).headers({
          Accept: 'application/json',
          Authorization: fromProviderState('Bearer ${accessToken}', `Bearer ${EXAMPLE_JWT}`),
        }),
      )
      .willRespondWith(200, (b) =>
        b.jsonBody({
          unread: integer(1),
          items: eachLike(
            { id: like('NTF-3'), message: like('ORD-1006: Delivery exception: recipient not available'), readAt: null },
            1,
          ),
        }),
      )
      .executeTest(async (mock) => {
        const session = { accessToken: EXAMPLE_JWT, expiresAt: 0, user: { id: 'USR-3', name: 'Mo', role: 'customer' } };
        expect(await new MobileApi(mock.url).unreadNotifications(session)).toEqual({
          unread: 1,
          messages: ['ORD-1006: Delivery exception: recipient not available'],
        });
      });
  });
});
