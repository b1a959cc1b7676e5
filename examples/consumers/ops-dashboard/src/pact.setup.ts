import { recordPacts } from '@cutover/recorder/nock';

// The only addition the pact needs: the tests themselves are unchanged nock tests.
recordPacts({ consumer: 'ops-dashboard', provider: 'logistics', dir: process.env.PACT_DIR ?? 'pacts' });
