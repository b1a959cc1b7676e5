// Provider states of the Pact Broker clients' contracts, set up through the broker's own storage
// (the functions its routes use) on the broker under test, which the test hands over in
// `globalThis.cutoverBrokerUnderTest`. Every setup starts from an empty database.
import type { Broker } from '../../index.js';
import type { Db } from '../../storage/database.js';
import {
  addBranchVersion,
  addTag,
  ensurePacticipant,
  ensureVersion,
  now,
  updatePacticipant,
} from '../../storage/pacticipants.js';
import { pactForVersion, publishPact } from '../../storage/pacts.js';
import { recordVerification } from '../../storage/verifications.js';
import { cleanStorage } from '../../storage/retention.js';

export const broker = () => (globalThis as { cutoverBrokerUnderTest?: Broker }).cutoverBrokerUnderTest!;

const TABLES = [
  'decision_routes',
  'decisions',
  'webhooks',
  'deployed_versions',
  'released_versions',
  'environments',
  'verifications',
  'pact_publications',
  'integrations',
  'pact_versions',
  'tags',
  'branch_versions',
  'branches',
  'versions',
  'pacticipants',
] as const;

export async function reset(db: Db) {
  for (const t of TABLES) await db.deleteFrom(t).execute();
}

async function pacticipant(db: Db, name: string, fields: Parameters<typeof updatePacticipant>[2] = {}) {
  const { pacticipant: p } = await ensurePacticipant(db, name);
  return updatePacticipant(db, p.id, fields);
}

async function version(db: Db, name: string, number: string, opts: { tags?: string[]; branch?: string } = {}) {
  const p = await pacticipant(db, name);
  const { version: v } = await ensureVersion(db, p.id, number);
  for (const t of opts.tags ?? []) await addTag(db, v.id, t);
  if (opts.branch) await addBranchVersion(db, p.id, opts.branch, v.id);
  return v;
}

async function pact(
  db: Db,
  consumer: string,
  provider: string,
  consumerVersion: string,
  opts: { tags?: string[]; marker?: string } = {},
) {
  await version(db, consumer, consumerVersion, opts);
  // The contracts expect a pact with no interactions; the marker keeps each version's content apart.
  const content = {
    consumer: { name: consumer },
    provider: { name: provider },
    interactions: [],
    metadata: { pactSpecification: { version: '2.0.0' }, marker: opts.marker ?? consumerVersion },
  };
  await publishPact(db, { consumer, provider, consumerVersion }, content);
}

async function verify(
  db: Db,
  consumer: string,
  consumerVersion: string,
  provider: string,
  providerVersion: string,
  success: boolean,
  tags: string[] = [],
) {
  const row = (await pactForVersion(db, provider, consumer, consumerVersion))!;
  await recordVerification(db, row, {
    success,
    providerApplicationVersion: providerVersion,
    providerVersionTags: tags,
  });
}

async function environment(db: Db, name: string, uuid: string) {
  const at = now();
  const contacts = JSON.stringify([{ name: 'Foo team', details: { emailAddress: 'foo@bar.com' } }]);
  await db
    .insertInto('environments')
    .values({ uuid, name, display_name: name, production: 0, contacts, created_at: at, updated_at: at })
    .execute();
}

const FOO_VERSION = '5556b8149bf8bac76bc30f50a8a2dd4c22c85f30';

const states: Record<string, (db: Db) => Promise<unknown>> = {
  "'Condor' does not exist in the pact-broker": async () => {},
  "'Condor' exists in the pact-broker": (db) => version(db, 'Condor', '1.3.0'),
  "'Condor' exists in the pact-broker with the latest tagged 'production' version 1.2.3": async (db) => {
    await version(db, 'Condor', '1.2.3', { tags: ['production'] });
    await version(db, 'Condor', '2.0.0');
  },
  "'Condor' exists in the pact-broker with the latest version 1.2.3": async (db) => {
    await version(db, 'Condor', '1.0.0');
    await version(db, 'Condor', '1.2.3');
  },
  "'Condor' exists in the pact-broker with version 1.3.0, tagged with 'prod'": (db) =>
    version(db, 'Condor', '1.3.0', { tags: ['prod'] }),
  'a branch named main exists for pacticipant Foo': (db) => version(db, 'Foo', '1', { branch: 'main' }),
  'a currently deployed version exists': async (db) => {
    await environment(db, 'test', 'cb632df3-0a0d-4227-aac3-60114dd36479');
    const v = await version(db, 'Foo', '2');
    await db
      .insertInto('deployed_versions')
      .values({
        uuid: 'ff3adecf-cfc5-4653-a4e3-f1861092f8e0',
        version_id: v.id,
        pacticipant_id: v.pacticipant_id,
        environment_uuid: 'cb632df3-0a0d-4227-aac3-60114dd36479',
        application_instance: null,
        created_at: now(),
        undeployed_at: null,
      })
      .execute();
  },
  'a latest pact between Condor and the Pricing Service exists': (db) => pact(db, 'Condor', 'Pricing Service', '1.3.0'),
  'a pact between Condor and the Pricing Service exists': (db) => pact(db, 'Condor', 'Pricing Service', '1.3.0'),
  'a pact between Condor and the Pricing Service exists for the production version of Condor': (db) =>
    pact(db, 'Condor', 'Pricing Service', '1.3.0', { tags: ['prod'] }),
  'a pacticipant with name Foo exists': (db) => pacticipant(db, 'Foo'),
  'a webhook with the uuid 696c5f93-1b7f-44bc-8d03-59440fcaa9a0 exists': async (db) => {
    const c = await pacticipant(db, 'Condor');
    const p = await pacticipant(db, 'Pricing Service');
    const at = now();
    await db
      .insertInto('webhooks')
      .values({
        uuid: '696c5f93-1b7f-44bc-8d03-59440fcaa9a0',
        consumer_id: c.id,
        provider_id: p.id,
        content: JSON.stringify({
          description: 'old',
          events: [{ name: 'contract_published' }],
          request: { method: 'GET', url: 'https://old' },
        }),
        created_at: at,
        updated_at: at,
      })
      .execute();
  },
  'an environment exists': (db) => environment(db, 'test', '16926ef3-590f-4e3f-838e-719717aa88c9'),
  'an environment with name test and UUID 16926ef3-590f-4e3f-838e-719717aa88c9 exists': (db) =>
    environment(db, 'test', '16926ef3-590f-4e3f-838e-719717aa88c9'),
  'an environment with name test exists': (db) => environment(db, 'test', '16926ef3-590f-4e3f-838e-719717aa88c9'),
  'an version is deployed to environment with UUID 16926ef3-590f-4e3f-838e-719717aa88c9 with target customer-1': async (
    db,
  ) => {
    await environment(db, 'test', '16926ef3-590f-4e3f-838e-719717aa88c9');
    const v = await version(db, 'Foo', '1');
    await db
      .insertInto('deployed_versions')
      .values({
        uuid: 'ff3adecf-cfc5-4653-a4e3-f1861092f8e0',
        version_id: v.id,
        pacticipant_id: v.pacticipant_id,
        environment_uuid: '16926ef3-590f-4e3f-838e-719717aa88c9',
        application_instance: 'customer-1',
        created_at: now(),
        undeployed_at: null,
      })
      .execute();
  },
  'no pact between Condor and the Pricing Service exists': async () => {},
  'provider Bar version 4.5.6 has a successful verification for Foo version 1.2.3 tagged prod and a failed verification for version 3.4.5 tagged prod':
    async (db) => {
      await pact(db, 'Foo', 'Bar', '1.2.3', { tags: ['prod'] });
      await pact(db, 'Foo', 'Bar', '3.4.5', { tags: ['prod'] });
      await verify(db, 'Foo', '1.2.3', 'Bar', '4.5.6', true);
      await verify(db, 'Foo', '3.4.5', 'Bar', '4.5.6', false);
    },
  'tagged as prod pact between Condor and the Pricing Service exists': (db) =>
    pact(db, 'Condor', 'Pricing Service', '1.3.0', { tags: ['prod'] }),
  "the 'Pricing Service' already exists in the pact-broker": async (db) => {
    await pacticipant(db, 'Pricing Service', {
      repositoryUrl: 'git@git.realestate.com.au:business-systems/pricing-service',
    });
    await version(db, 'Pricing Service', '1.3.0');
  },
  "the 'Pricing Service' and 'Condor' already exist in the pact-broker": async (db) => {
    await pacticipant(db, 'Pricing Service');
    await pacticipant(db, 'Condor');
  },
  "the 'Pricing Service' and 'Condor' already exist in the pact-broker, and Condor already has a pact published for version 1.3.0":
    (db) => pact(db, 'Condor', 'Pricing Service', '1.3.0'),
  "the 'Pricing Service' does not exist in the pact-broker": async () => {},
  'the pact for Foo Thing version 1.2.3 has been verified by Bar version 4.5.6': async (db) => {
    await pact(db, 'Foo Thing', 'Bar', '1.2.3');
    await verify(db, 'Foo Thing', '1.2.3', 'Bar', '4.5.6', true);
  },
  'the pact for Foo version 1.2.3 and 1.2.4 has been verified by Bar version 4.5.6': async (db) => {
    await pact(db, 'Foo', 'Bar', '1.2.3');
    await pact(db, 'Foo', 'Bar', '1.2.4');
    await verify(db, 'Foo', '1.2.3', 'Bar', '4.5.6', true);
    await verify(db, 'Foo', '1.2.4', 'Bar', '4.5.6', true);
  },
  'the pact for Foo version 1.2.3 has been successfully verified by Bar version 4.5.6 (tagged prod) and version 5.6.7':
    async (db) => {
      await pact(db, 'Foo', 'Bar', '1.2.3');
      await verify(db, 'Foo', '1.2.3', 'Bar', '4.5.6', true, ['prod']);
      await verify(db, 'Foo', '1.2.3', 'Bar', '5.6.7', true);
    },
  'the pact for Foo version 1.2.3 has been successfully verified by Bar version 4.5.6 with tag prod, and 1.2.4 unsuccessfully by 9.9.9':
    async (db) => {
      await pact(db, 'Foo', 'Bar', '1.2.3');
      await pact(db, 'Foo', 'Bar', '1.2.4');
      await verify(db, 'Foo', '1.2.3', 'Bar', '4.5.6', true, ['prod']);
      await verify(db, 'Foo', '1.2.4', 'Bar', '9.9.9', false);
    },
  'the pact for Foo version 1.2.3 has been successfully verified by Bar version 4.5.6, and 1.2.4 unsuccessfully by 9.9.9':
    async (db) => {
      await pact(db, 'Foo', 'Bar', '1.2.3');
      await pact(db, 'Foo', 'Bar', '1.2.4');
      await verify(db, 'Foo', '1.2.3', 'Bar', '4.5.6', true);
      await verify(db, 'Foo', '1.2.4', 'Bar', '9.9.9', false);
    },
  'the pact for Foo version 1.2.3 has been verified by Bar version 4.5.6': async (db) => {
    await pact(db, 'Foo', 'Bar', '1.2.3');
    await verify(db, 'Foo', '1.2.3', 'Bar', '4.5.6', true);
  },
  'the pact for Foo version 1.2.3 has been verified by Bar version 4.5.6 and version 5.6.7': async (db) => {
    await pact(db, 'Foo', 'Bar', '1.2.3');
    await verify(db, 'Foo', '1.2.3', 'Bar', '4.5.6', true);
    await verify(db, 'Foo', '1.2.3', 'Bar', '5.6.7', true);
  },
  "version 5556b8149bf8bac76bc30f50a8a2dd4c22c85f30 of pacticipant Foo exists with 2 environments that aren't test available for deployment":
    async (db) => {
      await version(db, 'Foo', FOO_VERSION);
      await environment(db, 'prod', 'c540ce64-5493-48c5-ab7c-28dae27b166b');
      await environment(db, 'dev', 'cf7dcfdb-3645-4b16-b2f7-7ecb4b6045e0');
    },
  'version 5556b8149bf8bac76bc30f50a8a2dd4c22c85f30 of pacticipant Foo exists with a test environment available for deployment':
    async (db) => {
      await version(db, 'Foo', FOO_VERSION);
      await environment(db, 'test', 'cb632df3-0a0d-4227-aac3-60114dd36479');
    },
  'version 5556b8149bf8bac76bc30f50a8a2dd4c22c85f30 of pacticipant Foo exists with a test environment available for release':
    async (db) => {
      await version(db, 'Foo', FOO_VERSION);
      await environment(db, 'test', 'cb632df3-0a0d-4227-aac3-60114dd36479');
    },
};

// States that only say a relation is in the index need nothing stored.
for (const name of [
  'the pacticipant relations are present',
  'the pb:environments relation exists in the index resource',
  'the pb:latest-tagged-version relation exists in the index resource',
  'the pb:latest-version relation exists in the index resource',
  'the pb:pacticipant-branch relation exists in the index resource',
  'the pb:pacticipant-version and pb:environments relations exist in the index resource',
  'the pb:publish-contracts relations exists in the index resource',
])
  states[name] = async () => {};

export default Object.fromEntries(
  Object.entries(states).map(([name, setup]) => [
    name,
    {
      setup: async () => {
        const { storage } = broker();
        await storage.transaction(async (trx) => {
          await reset(trx);
          await setup(trx);
        });
        // No state stores more than two versions per branch or tag, so a clean keeping two must
        // leave every interaction passing: the clients meet a broker that has just been cleaned.
        await cleanStorage(storage, { keepLatest: 2 });
      },
      // Interactions without a state then start from an empty broker too.
      teardown: async () => {
        await broker().storage.transaction(reset);
      },
    },
  ]),
);
