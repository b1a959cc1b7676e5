import type { FastifyInstance } from 'fastify';
import { badRequest, conflict, notFound } from '../server/http-error.js';
import { NO_NUL, name, params, send, type RouteContext } from '../server/context.js';
import type { Hal } from '../server/hal.js';
import {
  currentDeployments,
  currentReleases,
  endDeployment,
  endSupport,
  findDeployment,
  findEnvironment,
  findEnvironmentByName,
  findRelease,
  listEnvironments,
  recordDeployment,
  recordRelease,
  saveEnvironment,
  type DeploymentRow,
  type Environment,
  type EnvironmentFields,
} from '../storage/environments.js';
import { findPacticipant, findVersion } from '../storage/pacticipants.js';

const environmentBody = {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[^\\s/]+$' },
    displayName: { type: ['string', 'null'], maxLength: 255, pattern: NO_NUL },
    production: { type: 'boolean' },
    contacts: { type: 'array', maxItems: 50, items: { type: 'object' } },
  },
} as const;

export function renderEnvironment(hal: Hal, e: Environment) {
  return {
    uuid: e.uuid,
    name: e.name,
    displayName: e.display_name ?? e.name,
    production: e.production === 1,
    ...(e.contacts ? { contacts: JSON.parse(e.contacts) as unknown } : {}),
    createdAt: e.created_at,
    updatedAt: e.updated_at,
    _links: {
      self: { href: hal.url('environments', e.uuid), title: 'Environment', name: e.name },
      'pb:currently-deployed-deployed-versions': {
        href: hal.url('environments', e.uuid, 'deployed-versions', 'currently-deployed'),
        title: 'Versions currently deployed to this environment',
      },
      'pb:currently-supported-released-versions': {
        href: hal.url('environments', e.uuid, 'released-versions', 'currently-supported'),
        title: 'Versions released and supported in this environment',
      },
      'pb:environments': { href: hal.url('environments'), title: 'Environments' },
    },
  };
}

function renderDeployment(hal: Hal, d: DeploymentRow, kind: 'deployed' | 'released', env?: Environment) {
  const deployed = kind === 'deployed';
  return {
    uuid: d.uuid,
    ...(deployed
      ? {
          currentlyDeployed: d.ended_at === null,
          applicationInstance: d.application_instance,
          target: d.application_instance,
        }
      : { currentlySupported: d.ended_at === null }),
    createdAt: d.created_at,
    ...(d.ended_at ? { [deployed ? 'undeployedAt' : 'supportEndedAt']: d.ended_at } : {}),
    _embedded: {
      pacticipant: { name: d.pacticipant, _links: { self: { href: hal.url('pacticipants', d.pacticipant) } } },
      version: {
        number: d.version,
        _links: { self: { href: hal.url('pacticipants', d.pacticipant, 'versions', d.version) } },
      },
      ...(env ? { environment: renderEnvironment(hal, env) } : {}),
    },
    _links: {
      self: { href: hal.url(deployed ? 'deployed-versions' : 'released-versions', d.uuid) },
      'pb:environment': { href: hal.url('environments', d.environment_uuid) },
    },
  };
}

export function environmentRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { storage } = ctx;

  app.get('/environments', async (request, reply) => {
    const hal = ctx.hal(request);
    const all = await listEnvironments(storage.db);
    return send(reply, 200, {
      _embedded: { environments: all.map((e) => renderEnvironment(hal, e)) },
      _links: {
        self: { href: hal.url('environments') },
        'pb:environments': all.map((e) => ({
          name: e.name,
          title: e.display_name ?? e.name,
          href: hal.url('environments', e.uuid),
        })),
      },
    });
  });

  app.post<{ Body: EnvironmentFields }>(
    '/environments',
    { schema: { body: environmentBody } },
    async (request, reply) => {
      const env = await storage.transaction(async (trx) => {
        if (await findEnvironmentByName(trx, request.body.name))
          throw conflict(`an environment named "${request.body.name}" already exists`);
        return saveEnvironment(trx, request.body);
      });
      const hal = ctx.hal(request);
      reply.header('Location', hal.url('environments', env.uuid));
      return send(reply, 201, renderEnvironment(hal, env));
    },
  );

  app.get<{ Params: { uuid: string } }>(
    '/environments/:uuid',
    { schema: { params: params('uuid') } },
    async (request, reply) => {
      const env = await findEnvironment(storage.db, request.params.uuid);
      if (!env) throw notFound(`environment ${request.params.uuid}`);
      return send(reply, 200, renderEnvironment(ctx.hal(request), env));
    },
  );

  app.put<{ Params: { uuid: string }; Body: EnvironmentFields }>(
    '/environments/:uuid',
    { schema: { params: params('uuid'), body: environmentBody } },
    async (request, reply) => {
      const env = await storage.transaction(async (trx) => {
        if (!(await findEnvironment(trx, request.params.uuid))) throw notFound(`environment ${request.params.uuid}`);
        const clash = await findEnvironmentByName(trx, request.body.name);
        if (clash && clash.uuid !== request.params.uuid)
          throw conflict(`an environment named "${request.body.name}" already exists`);
        return saveEnvironment(trx, request.body, request.params.uuid);
      });
      return send(reply, 200, renderEnvironment(ctx.hal(request), env));
    },
  );

  for (const [kind, path] of [
    ['deployed', '/environments/:uuid/deployed-versions/currently-deployed'],
    ['released', '/environments/:uuid/released-versions/currently-supported'],
  ] as const)
    app.get<{ Params: { uuid: string }; Querystring: { pacticipant?: string } }>(
      path,
      { schema: { params: params('uuid'), querystring: { type: 'object', properties: { pacticipant: name } } } },
      async (request, reply) => {
        const env = await findEnvironment(storage.db, request.params.uuid);
        if (!env) throw notFound(`environment ${request.params.uuid}`);
        const hal = ctx.hal(request);
        const rows =
          kind === 'deployed'
            ? await currentDeployments(storage.db, env.uuid, request.query.pacticipant)
            : await currentReleases(storage.db, env.uuid, request.query.pacticipant);
        return send(reply, 200, {
          _embedded: {
            [kind === 'deployed' ? 'deployedVersions' : 'releasedVersions']: rows.map((d) =>
              renderDeployment(hal, d, kind),
            ),
          },
          _links: {
            self: {
              href: hal.url(
                'environments',
                env.uuid,
                ...(kind === 'deployed'
                  ? ['deployed-versions', 'currently-deployed']
                  : ['released-versions', 'currently-supported']),
              ),
            },
          },
        });
      },
    );

  for (const kind of ['deployed', 'released'] as const)
    app.post<{
      Params: { pacticipant: string; version: string; uuid: string };
      Body: { applicationInstance?: string | null; target?: string | null } | undefined;
    }>(
      `/pacticipants/:pacticipant/versions/:version/${kind}-versions/environment/:uuid`,
      {
        schema: {
          params: params('pacticipant', 'version', 'uuid'),
          body: {
            type: 'object',
            properties: {
              applicationInstance: { type: ['string', 'null'], maxLength: 255 },
              target: { type: ['string', 'null'], maxLength: 255 },
            },
          },
        },
      },
      async (request, reply) => {
        const { pacticipant, version, uuid } = request.params;
        const hal = ctx.hal(request);
        const result = await storage.transaction(async (trx) => {
          const env = await findEnvironment(trx, uuid);
          if (!env) throw notFound(`environment ${uuid}`);
          const p = await findPacticipant(trx, pacticipant);
          const v = p && (await findVersion(trx, p.id, version));
          if (!v) throw notFound(`version ${version} of "${pacticipant}"`);
          if (kind === 'deployed') {
            const instance = request.body?.applicationInstance ?? request.body?.target ?? null;
            return { env, row: await recordDeployment(trx, v, env.uuid, instance), created: true };
          }
          return { env, ...(await recordRelease(trx, v, env.uuid)) };
        });
        return send(reply, result.created ? 201 : 200, renderDeployment(hal, result.row, kind, result.env));
      },
    );

  for (const kind of ['deployed', 'released'] as const) {
    const path = `/${kind}-versions/:uuid`;
    const find = kind === 'deployed' ? findDeployment : findRelease;
    app.get<{ Params: { uuid: string } }>(path, { schema: { params: params('uuid') } }, async (request, reply) => {
      const row = await find(storage.db, request.params.uuid);
      if (!row) throw notFound(`${kind} version ${request.params.uuid}`);
      return send(reply, 200, renderDeployment(ctx.hal(request), row, kind));
    });
    const flag = kind === 'deployed' ? 'currentlyDeployed' : 'currentlySupported';
    app.patch<{ Params: { uuid: string }; Body: Record<string, boolean> }>(
      path,
      {
        schema: {
          params: params('uuid'),
          body: { type: 'object', required: [flag], properties: { [flag]: { type: 'boolean' } } },
        },
      },
      async (request, reply) => {
        if (request.body[flag] !== false) throw badRequest({ [flag]: ['can only be set to false'] });
        const row = await storage.transaction(async (trx) => {
          if (!(await find(trx, request.params.uuid))) throw notFound(`${kind} version ${request.params.uuid}`);
          await (kind === 'deployed' ? endDeployment : endSupport)(trx, request.params.uuid);
          return (await find(trx, request.params.uuid))!;
        });
        return send(reply, 200, renderDeployment(ctx.hal(request), row, kind));
      },
    );
  }
}
