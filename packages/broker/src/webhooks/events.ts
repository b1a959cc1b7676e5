import type { Db } from '../storage/database.js';
import { findPacticipant, now, versionBranches, versionTags } from '../storage/pacticipants.js';
import type { PactRow } from '../storage/pacts.js';
import type { VerificationRow } from '../storage/verifications.js';
import type { Hal } from '../server/hal.js';
import { pactHref, pactVersionHref } from '../routes/pact-render.js';
import type { Variables } from './template.js';

/** Every event a webhook can listen to: the Pact Broker's six and cutover's gate decision. */
export const WEBHOOK_EVENTS = [
  'contract_published',
  'contract_content_changed',
  'contract_requiring_verification_published',
  'provider_verification_published',
  'provider_verification_succeeded',
  'provider_verification_failed',
  'cutover_gate_decision_recorded',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

interface StoredWebhook {
  enabled?: boolean;
  events?: { name?: string }[];
}

/** An enabled webhook in scope of an event, with the events it listens to. */
interface Listener {
  uuid: string;
  events: Set<string>;
}

/** The enabled webhooks selecting this consumer and provider (or naming none): one query for all of a write's events. */
async function listeners(
  trx: Db,
  scope: { consumerId?: number | null; providerId?: number | null },
): Promise<Listener[]> {
  let query = trx.selectFrom('webhooks').select(['uuid', 'content']);
  query = query.where((eb) =>
    eb.and([
      scope.consumerId == null
        ? eb('consumer_id', 'is', null)
        : eb.or([eb('consumer_id', 'is', null), eb('consumer_id', '=', scope.consumerId)]),
      scope.providerId == null
        ? eb('provider_id', 'is', null)
        : eb.or([eb('provider_id', 'is', null), eb('provider_id', '=', scope.providerId)]),
    ]),
  );
  const out: Listener[] = [];
  for (const w of await query.execute()) {
    const doc = JSON.parse(w.content) as StoredWebhook;
    if (doc.enabled !== false) out.push({ uuid: w.uuid, events: new Set((doc.events ?? []).map((e) => e.name ?? '')) });
  }
  return out;
}

/**
 * Queues one delivery per webhook of `hooks` listening to `event`. Called with the transaction of
 * the write that caused the event, so the event and its deliveries are committed together or not at all.
 */
async function queueFor(trx: Db, hooks: Listener[], event: WebhookEvent, variables: Variables): Promise<number> {
  const listening = hooks.filter((w) => w.events.has(event));
  if (listening.length === 0) return 0;
  const at = now();
  const vars = JSON.stringify({ ...variables, 'pactbroker.eventName': event });
  await trx
    .insertInto('webhook_deliveries')
    .values(
      listening.map((w) => ({
        webhook_uuid: w.uuid,
        event,
        variables: vars,
        status: 'pending',
        attempts: 0,
        next_attempt_at: at,
        locked_until: null,
        created_at: at,
        updated_at: at,
      })),
    )
    .execute();
  return listening.length;
}

const listensToAny = (hooks: Listener[], events: readonly WebhookEvent[]) =>
  hooks.some((w) => events.some((e) => w.events.has(e)));

async function versionFacts(db: Db, versionId: number) {
  const [tags, branches] = await Promise.all([versionTags(db, versionId), versionBranches(db, versionId)]);
  return { tags: tags.map((t) => t.name).join(', '), branch: branches.map((b) => b.name).join(', ') };
}

async function pactVariables(db: Db, hal: Hal, pact: PactRow): Promise<Variables> {
  const consumer = await versionFacts(db, pact.consumer_version_id);
  return {
    'pactbroker.pactUrl': pactVersionHref(hal, pact),
    'pactbroker.consumerName': pact.consumer,
    'pactbroker.providerName': pact.provider,
    'pactbroker.consumerVersionNumber': pact.consumer_version,
    'pactbroker.consumerVersionTags': consumer.tags,
    'pactbroker.consumerVersionBranch': consumer.branch,
  };
}

/**
 * The contract events of one publication: published always; content changed when it differs from
 * the pair's previous pact (or is the first); requiring verification when no provider version has
 * verified this content successfully yet.
 */
export async function queueContractEvents(
  trx: Db,
  hal: Hal,
  pact: PactRow,
  outcome: 'created' | 'unchanged',
): Promise<void> {
  const scope = { consumerId: pact.consumer_id, providerId: pact.provider_id };
  const hooks = await listeners(trx, scope);
  // Most publications have no webhook to tell: nothing more to read.
  if (
    !listensToAny(hooks, [
      'contract_published',
      'contract_content_changed',
      'contract_requiring_verification_published',
    ])
  )
    return;
  const vars = await pactVariables(trx, hal, pact);
  await queueFor(trx, hooks, 'contract_published', vars);
  if (outcome === 'created') {
    const previous = await trx
      .selectFrom('pact_publications as pp')
      .innerJoin('pact_versions as pv', 'pv.id', 'pp.pact_version_id')
      .select('pv.sha')
      .where('pp.consumer_id', '=', pact.consumer_id)
      .where('pp.provider_id', '=', pact.provider_id)
      .where('pp.id', '<>', pact.publication_id)
      .orderBy('pp.consumer_version_id', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (previous?.sha !== pact.sha) await queueFor(trx, hooks, 'contract_content_changed', vars);
  }
  const verified = await trx
    .selectFrom('verifications')
    .select('id')
    .where('pact_version_id', '=', pact.pact_version_id)
    .where('success', '=', 1)
    .limit(1)
    .executeTakeFirst();
  if (!verified) await queueFor(trx, hooks, 'contract_requiring_verification_published', vars);
}

const STATUS = {
  github: ['success', 'failure'],
  bitbucket: ['SUCCESSFUL', 'FAILED'],
  gitlab: ['success', 'failed'],
  azureDevOps: ['succeeded', 'failed'],
} as const;

/** The verification events: published, then succeeded or failed. */
export async function queueVerificationEvents(
  trx: Db,
  hal: Hal,
  pact: PactRow,
  verification: VerificationRow,
  buildUrl: string | undefined,
): Promise<void> {
  const hooks = await listeners(trx, { consumerId: pact.consumer_id, providerId: pact.provider_id });
  if (
    !listensToAny(hooks, [
      'provider_verification_published',
      'provider_verification_succeeded',
      'provider_verification_failed',
    ])
  )
    return;
  const provider = await versionFacts(trx, verification.provider_version_id);
  const ok = verification.success === 1 ? 0 : 1;
  const vars: Variables = {
    ...(await pactVariables(trx, hal, pact)),
    'pactbroker.providerVersionNumber': verification.provider_version,
    'pactbroker.providerVersionTags': provider.tags,
    'pactbroker.providerVersionBranch': provider.branch,
    'pactbroker.verificationResultUrl': `${pactVersionHref(hal, pact)}/verification-results/${verification.id}`,
    'pactbroker.buildUrl': buildUrl ?? '',
    'pactbroker.githubVerificationStatus': STATUS.github[ok],
    'pactbroker.bitbucketVerificationStatus': STATUS.bitbucket[ok],
    'pactbroker.gitlabVerificationStatus': STATUS.gitlab[ok],
    'pactbroker.azureDevOpsVerificationStatus': STATUS.azureDevOps[ok],
    'pactbroker.consumerVersionPactUrl': pactHref(hal, pact),
  };
  await queueFor(trx, hooks, 'provider_verification_published', vars);
  await queueFor(
    trx,
    hooks,
    verification.success === 1 ? 'provider_verification_succeeded' : 'provider_verification_failed',
    vars,
  );
}

interface DecisionDoc {
  candidateVersion?: string | null;
  policy?: { provider?: unknown; candidate?: { service?: unknown } } | string;
  routes: { name: string; outcome: string; nextWeight?: unknown; currentWeight?: unknown }[];
}

/**
 * One `cutover_gate_decision_recorded` event per route of the decision, so `${cutover.route}`,
 * `${cutover.decision}` and `${cutover.weight}` name one route each. A webhook that names a
 * provider fires for decisions of that provider's policy.
 */
export async function queueDecisionEvents(trx: Db, decision: DecisionDoc, decisionUrl: string): Promise<void> {
  const policy = typeof decision.policy === 'object' ? decision.policy : undefined;
  const providerName = typeof policy?.provider === 'string' ? policy.provider : undefined;
  const provider = providerName ? await findPacticipant(trx, providerName) : undefined;
  const hooks = await listeners(trx, { providerId: provider?.id ?? null });
  if (!listensToAny(hooks, ['cutover_gate_decision_recorded'])) return;
  for (const route of decision.routes) {
    const weight = typeof route.nextWeight === 'number' ? String(route.nextWeight) : '';
    await queueFor(trx, hooks, 'cutover_gate_decision_recorded', {
      'pactbroker.providerName': providerName ?? '',
      'cutover.route': route.name,
      'cutover.decision': route.outcome,
      'cutover.weight': weight,
      'cutover.currentWeight': typeof route.currentWeight === 'number' ? String(route.currentWeight) : '',
      'cutover.candidateVersion': decision.candidateVersion ?? '',
      'cutover.decisionUrl': decisionUrl,
    });
  }
}
