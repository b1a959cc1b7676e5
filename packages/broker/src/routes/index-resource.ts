import type { FastifyInstance } from 'fastify';
import { send, type RouteContext } from '../server/context.js';

// The relations the stock Pact clients look up in the index, with the Pact Broker's paths.
const RELATIONS: [string, string, string][] = [
  [
    'pb:publish-pact',
    '/pacts/provider/{provider}/consumer/{consumer}/version/{consumerApplicationVersion}',
    'Publish a pact',
  ],
  ['pb:publish-contracts', '/contracts/publish', 'Publish contracts'],
  ['pb:latest-pact-versions', '/pacts/latest', 'Latest pact versions'],
  ['pb:pacticipants', '/pacticipants', 'Pacticipants'],
  ['pb:pacticipant', '/pacticipants/{pacticipant}', 'Fetch pacticipant by name'],
  ['pb:latest-provider-pacts', '/pacts/provider/{provider}/latest', 'Latest pacts by provider'],
  [
    'pb:latest-provider-pacts-with-tag',
    '/pacts/provider/{provider}/latest/{tag}',
    'Latest pacts for provider with the specified tag',
  ],
  [
    'pb:provider-pacts-with-tag',
    '/pacts/provider/{provider}/tag/{tag}',
    'All pact versions for the provider with the specified consumer version tag',
  ],
  ['pb:provider-pacts', '/pacts/provider/{provider}', 'All pact versions for the specified provider'],
  [
    'pb:provider-pacts-for-verification',
    '/pacts/provider/{provider}/for-verification',
    'Pact versions to be verified for the specified provider',
  ],
  ['pb:latest-version', '/pacticipants/{pacticipant}/latest-version', 'Latest pacticipant version'],
  [
    'pb:latest-tagged-version',
    '/pacticipants/{pacticipant}/latest-version/{tag}',
    'Latest pacticipant version with the specified tag',
  ],
  [
    'pb:pacticipant-version',
    '/pacticipants/{pacticipant}/versions/{version}',
    'Get, create or delete a pacticipant version',
  ],
  [
    'pb:pacticipant-version-tag',
    '/pacticipants/{pacticipant}/versions/{version}/tags/{tag}',
    'Get, create or delete a tag for a pacticipant version',
  ],
  ['pb:pacticipant-branch', '/pacticipants/{pacticipant}/branches/{branch}', 'Get or delete a pacticipant branch'],
  [
    'pb:pacticipant-branch-version',
    '/pacticipants/{pacticipant}/branches/{branch}/versions/{version}',
    'Get or add/create a pacticipant version for a branch',
  ],
  ['pb:environments', '/environments', 'Environments'],
  ['pb:environment', '/environments/{uuid}', 'Environment'],
  ['pb:webhooks', '/webhooks', 'Webhooks'],
  ['pb:webhook', '/webhooks/{uuid}', 'Webhook'],
  [
    'pb:can-i-deploy-pacticipant-version-to-environment',
    '/can-i-deploy?pacticipant={pacticipant}&version={version}&environment={environment}',
    'Can I deploy a pacticipant version to an environment',
  ],
  [
    'pb:can-i-deploy-pacticipant-version-to-tag',
    '/can-i-deploy?pacticipant={pacticipant}&version={version}&to={tag}',
    'Can I deploy a pacticipant version to the latest versions with a tag',
  ],
  ['pb:matrix', '/matrix', 'The compatibility matrix'],
  ['cutover:decisions', '/cutover/decisions', "cutover's gate decisions"],
];

export function indexRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get('/', async (request, reply) => {
    const hal = ctx.hal(request);
    const links: Record<string, unknown> = { self: { href: hal.base, title: 'Index' } };
    for (const [rel, path, title] of RELATIONS)
      links[rel] = path.includes('{') ? hal.template(path, title) : { href: `${hal.base}${path}`, title };
    return send(reply, 200, { _links: links });
  });
}
