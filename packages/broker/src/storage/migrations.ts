import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { Engine } from './database.js';
import type { Database } from './schema.js';

// One set of migrations for both engines. The only dialect difference is how an integer key is
// generated; everything else is portable DDL.
function migrations(engine: Engine): Record<string, Migration> {
  const id = engine === 'postgres' ? 'serial' : 'integer';
  return {
    '0001-initial': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('pacticipants')
          .addColumn('id', id, (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull().unique())
          .addColumn('display_name', 'text')
          .addColumn('repository_url', 'text')
          .addColumn('repository_name', 'text')
          .addColumn('repository_namespace', 'text')
          .addColumn('main_branch', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('versions')
          .addColumn('id', id, (c) => c.primaryKey())
          .addColumn('pacticipant_id', 'integer', (c) => c.notNull().references('pacticipants.id'))
          .addColumn('number', 'text', (c) => c.notNull())
          .addColumn('build_url', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addUniqueConstraint('versions_pacticipant_number', ['pacticipant_id', 'number'])
          .execute();
        await db.schema
          .createTable('branches')
          .addColumn('id', id, (c) => c.primaryKey())
          .addColumn('pacticipant_id', 'integer', (c) => c.notNull().references('pacticipants.id'))
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addUniqueConstraint('branches_pacticipant_name', ['pacticipant_id', 'name'])
          .execute();
        await db.schema
          .createTable('branch_versions')
          .addColumn('branch_id', 'integer', (c) => c.notNull().references('branches.id').onDelete('cascade'))
          .addColumn('version_id', 'integer', (c) => c.notNull().references('versions.id').onDelete('cascade'))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('branch_versions_pk', ['branch_id', 'version_id'])
          .execute();
        await db.schema.createIndex('branch_versions_version').on('branch_versions').column('version_id').execute();
        await db.schema
          .createTable('tags')
          .addColumn('version_id', 'integer', (c) => c.notNull().references('versions.id').onDelete('cascade'))
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('tags_pk', ['version_id', 'name'])
          .execute();
        await db.schema.createIndex('tags_name').on('tags').columns(['name', 'version_id']).execute();
        await db.schema
          .createTable('pact_versions')
          .addColumn('id', id, (c) => c.primaryKey())
          .addColumn('consumer_id', 'integer', (c) => c.notNull().references('pacticipants.id'))
          .addColumn('provider_id', 'integer', (c) => c.notNull().references('pacticipants.id'))
          .addColumn('sha', 'text', (c) => c.notNull())
          .addColumn('content', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addUniqueConstraint('pact_versions_content', ['consumer_id', 'provider_id', 'sha'])
          .execute();
        await db.schema
          .createTable('integrations')
          .addColumn('consumer_id', 'integer', (c) => c.notNull().references('pacticipants.id'))
          .addColumn('provider_id', 'integer', (c) => c.notNull().references('pacticipants.id'))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('integrations_pk', ['consumer_id', 'provider_id'])
          .execute();
        await db.schema
          .createIndex('integrations_provider')
          .on('integrations')
          .columns(['provider_id', 'consumer_id'])
          .execute();
        await db.schema
          .createTable('pact_publications')
          .addColumn('id', id, (c) => c.primaryKey())
          .addColumn('consumer_id', 'integer', (c) => c.notNull().references('pacticipants.id'))
          .addColumn('provider_id', 'integer', (c) => c.notNull().references('pacticipants.id'))
          .addColumn('consumer_version_id', 'integer', (c) => c.notNull().references('versions.id'))
          .addColumn('pact_version_id', 'integer', (c) => c.notNull().references('pact_versions.id'))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addUniqueConstraint('pact_publications_version_provider', ['consumer_version_id', 'provider_id'])
          .execute();
        await db.schema
          .createIndex('pact_publications_integration')
          .on('pact_publications')
          .columns(['provider_id', 'consumer_id', 'consumer_version_id'])
          .execute();
        await db.schema
          .createTable('verifications')
          .addColumn('id', id, (c) => c.primaryKey())
          .addColumn('pact_version_id', 'integer', (c) => c.notNull().references('pact_versions.id'))
          .addColumn('provider_id', 'integer', (c) => c.notNull().references('pacticipants.id'))
          .addColumn('consumer_id', 'integer', (c) => c.notNull().references('pacticipants.id'))
          .addColumn('provider_version_id', 'integer', (c) => c.notNull().references('versions.id'))
          .addColumn('success', 'integer', (c) => c.notNull())
          .addColumn('build_url', 'text')
          .addColumn('content', 'text', (c) => c.notNull())
          .addColumn('verified_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('verifications_pact_provider_version')
          .on('verifications')
          .columns(['pact_version_id', 'provider_version_id'])
          .execute();
        await db.schema
          .createIndex('verifications_provider_version')
          .on('verifications')
          .columns(['provider_version_id'])
          .execute();
        await db.schema
          .createTable('environments')
          .addColumn('uuid', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull().unique())
          .addColumn('display_name', 'text')
          .addColumn('production', 'integer', (c) => c.notNull())
          .addColumn('contacts', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('deployed_versions')
          .addColumn('uuid', 'text', (c) => c.primaryKey())
          .addColumn('version_id', 'integer', (c) => c.notNull().references('versions.id'))
          .addColumn('pacticipant_id', 'integer', (c) => c.notNull().references('pacticipants.id'))
          .addColumn('environment_uuid', 'text', (c) => c.notNull().references('environments.uuid'))
          .addColumn('application_instance', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('undeployed_at', 'text')
          .execute();
        await db.schema
          .createIndex('deployed_versions_environment')
          .on('deployed_versions')
          .columns(['environment_uuid', 'pacticipant_id'])
          .execute();
        await db.schema
          .createTable('released_versions')
          .addColumn('uuid', 'text', (c) => c.primaryKey())
          .addColumn('version_id', 'integer', (c) => c.notNull().references('versions.id'))
          .addColumn('pacticipant_id', 'integer', (c) => c.notNull().references('pacticipants.id'))
          .addColumn('environment_uuid', 'text', (c) => c.notNull().references('environments.uuid'))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('support_ended_at', 'text')
          .addUniqueConstraint('released_versions_version_environment', ['version_id', 'environment_uuid'])
          .execute();
        await db.schema
          .createTable('webhooks')
          .addColumn('uuid', 'text', (c) => c.primaryKey())
          .addColumn('consumer_id', 'integer', (c) => c.references('pacticipants.id'))
          .addColumn('provider_id', 'integer', (c) => c.references('pacticipants.id'))
          .addColumn('content', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('decisions')
          .addColumn('id', id, (c) => c.primaryKey())
          .addColumn('candidate_version', 'text')
          .addColumn('outcome', 'text', (c) => c.notNull())
          .addColumn('decided_at', 'text', (c) => c.notNull())
          .addColumn('content', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('decision_routes')
          .addColumn('decision_id', 'integer', (c) => c.notNull().references('decisions.id').onDelete('cascade'))
          .addColumn('route', 'text', (c) => c.notNull())
          .addColumn('outcome', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('decision_routes_route')
          .on('decision_routes')
          .columns(['route', 'decision_id'])
          .execute();
      },
    },
    '0002-webhook-deliveries': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('webhook_deliveries')
          .addColumn('id', id, (c) => c.primaryKey())
          .addColumn('webhook_uuid', 'text', (c) => c.notNull())
          .addColumn('event', 'text', (c) => c.notNull())
          .addColumn('variables', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull())
          .addColumn('next_attempt_at', 'text', (c) => c.notNull())
          .addColumn('locked_until', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('webhook_deliveries_due')
          .on('webhook_deliveries')
          .columns(['status', 'next_attempt_at'])
          .execute();
        await db.schema
          .createIndex('webhook_deliveries_webhook')
          .on('webhook_deliveries')
          .columns(['webhook_uuid', 'id'])
          .execute();
        await db.schema
          .createTable('webhook_attempts')
          .addColumn('id', id, (c) => c.primaryKey())
          .addColumn('delivery_id', 'integer', (c) =>
            c.notNull().references('webhook_deliveries.id').onDelete('cascade'),
          )
          .addColumn('attempt', 'integer', (c) => c.notNull())
          .addColumn('started_at', 'text', (c) => c.notNull())
          .addColumn('duration_ms', 'integer', (c) => c.notNull())
          .addColumn('status_code', 'integer')
          .addColumn('error', 'text')
          .addColumn('request', 'text', (c) => c.notNull())
          .addColumn('response_body', 'text')
          .execute();
        await db.schema.createIndex('webhook_attempts_delivery').on('webhook_attempts').column('delivery_id').execute();
      },
    },
    // The board draws every route's weight over time; reading it from a column spares parsing every decision.
    '0003-decision-route-weight': {
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('decision_routes').addColumn('next_weight', 'real').execute();
        const trx = db as unknown as Kysely<Database>;
        const decisions = await trx.selectFrom('decisions').select(['id', 'content']).execute();
        for (const d of decisions) {
          const doc = JSON.parse(d.content) as { routes?: { name: string; nextWeight?: unknown }[] };
          for (const r of doc.routes ?? [])
            if (typeof r.nextWeight === 'number')
              await trx
                .updateTable('decision_routes')
                .set({ next_weight: r.nextWeight })
                .where('decision_id', '=', d.id)
                .where('route', '=', r.name)
                .execute();
        }
      },
    },
    // can-i-deploy to an environment looks up releases by environment and pacticipant; without this
    // index SQLite scanned every version to find them.
    '0004-released-versions-environment': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createIndex('released_versions_environment')
          .on('released_versions')
          .columns(['environment_uuid', 'pacticipant_id'])
          .execute();
      },
    },
    // The board's timeline walks every route's decisions in time order; with the time on the row and
    // a covering index it reads that index in order instead of joining and sorting every decision.
    '0005-decision-route-timeline': {
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('decision_routes').addColumn('decided_at', 'text').execute();
        await sql`UPDATE decision_routes SET decided_at = (SELECT d.decided_at FROM decisions d WHERE d.id = decision_routes.decision_id)`.execute(
          db,
        );
        await db.schema
          .createIndex('decision_routes_timeline')
          .on('decision_routes')
          .columns(['route', 'decided_at', 'decision_id', 'next_weight', 'outcome'])
          .execute();
      },
    },
    // Evidence of `cutover shadow`, newest first per provider and candidate version for the gate and the board.
    '0006-shadow-runs': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('shadow_runs')
          .addColumn('id', id, (c) => c.primaryKey())
          .addColumn('provider', 'text')
          .addColumn('candidate_version', 'text')
          .addColumn('finished_at', 'text', (c) => c.notNull())
          .addColumn('content', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('shadow_runs_provider')
          .on('shadow_runs')
          .columns(['provider', 'candidate_version', 'finished_at'])
          .execute();
      },
    },
  };
}

export function migrationProvider(engine: Engine): MigrationProvider {
  return { getMigrations: () => Promise.resolve(migrations(engine)) };
}
