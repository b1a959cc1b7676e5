import type { FastifyInstance } from 'fastify';
import { notFound } from '../server/http-error.js';
import { NO_NUL, name, params, send, text, type RouteContext } from '../server/context.js';
import {
  addBranchVersion,
  addTag,
  branchHead,
  ensurePacticipant,
  ensureVersion,
  findPacticipant,
  findVersion,
  latestVersion,
  listPacticipants,
  updatePacticipant,
  type PacticipantFields,
} from '../storage/pacticipants.js';
import { renderPacticipant, renderVersion, versionSummary } from './render.js';

const nullableName = { type: ['string', 'null'], maxLength: 2048, pattern: NO_NUL } as const;
const pacticipantBody = {
  type: 'object',
  properties: {
    name,
    displayName: nullableName,
    repositoryUrl: nullableName,
    repository_url: nullableName,
    repositoryName: nullableName,
    repositoryNamespace: nullableName,
    mainBranch: nullableName,
  },
} as const;

type PacticipantBody = {
  name?: string;
  displayName?: string | null;
  repositoryUrl?: string | null;
  repository_url?: string | null;
  repositoryName?: string | null;
  repositoryNamespace?: string | null;
  mainBranch?: string | null;
};

const fields = (b: PacticipantBody = {}): PacticipantFields => ({
  displayName: b.displayName,
  repositoryUrl: b.repositoryUrl ?? b.repository_url,
  repositoryName: b.repositoryName,
  repositoryNamespace: b.repositoryNamespace,
  mainBranch: b.mainBranch,
});

export function pacticipantRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { storage } = ctx;

  app.get('/pacticipants', async (request, reply) => {
    const hal = ctx.hal(request);
    const all = await listPacticipants(storage.db);
    return send(reply, 200, {
      pacticipants: await Promise.all(all.map((p) => renderPacticipant(storage.db, hal, p))),
      _links: {
        self: { href: hal.url('pacticipants') },
        pacticipants: all.map((p) => ({ href: hal.url('pacticipants', p.name), title: p.name })),
      },
    });
  });

  app.post<{ Body: PacticipantBody & { name: string } }>(
    '/pacticipants',
    { schema: { body: { ...pacticipantBody, required: ['name'] } } },
    async (request, reply) => {
      const result = await storage.transaction(async (trx) => {
        const { pacticipant, created } = await ensurePacticipant(trx, request.body.name);
        return { created, pacticipant: await updatePacticipant(trx, pacticipant.id, fields(request.body)) };
      });
      return send(
        reply,
        result.created ? 201 : 200,
        await renderPacticipant(storage.db, ctx.hal(request), result.pacticipant),
      );
    },
  );

  app.get<{ Params: { pacticipant: string } }>(
    '/pacticipants/:pacticipant',
    { schema: { params: params('pacticipant') } },
    async (request, reply) => {
      const p = await findPacticipant(storage.db, request.params.pacticipant);
      if (!p) throw notFound(`pacticipant "${request.params.pacticipant}"`);
      return send(reply, 200, await renderPacticipant(storage.db, ctx.hal(request), p));
    },
  );

  // PATCH and PUT both create a missing pacticipant (201), as the clients' create-or-update expects.
  for (const method of ['patch', 'put'] as const)
    app[method]<{ Params: { pacticipant: string }; Body: PacticipantBody | undefined }>(
      '/pacticipants/:pacticipant',
      { schema: { params: params('pacticipant'), body: pacticipantBody } },
      async (request, reply) => {
        const result = await storage.transaction(async (trx) => {
          const { pacticipant, created } = await ensurePacticipant(trx, request.params.pacticipant);
          return { created, pacticipant: await updatePacticipant(trx, pacticipant.id, fields(request.body ?? {})) };
        });
        return send(
          reply,
          result.created ? 201 : 200,
          await renderPacticipant(storage.db, ctx.hal(request), result.pacticipant),
        );
      },
    );

  app.get<{ Params: { pacticipant: string } }>(
    '/pacticipants/:pacticipant/versions',
    { schema: { params: params('pacticipant') } },
    async (request, reply) => {
      const hal = ctx.hal(request);
      const p = await findPacticipant(storage.db, request.params.pacticipant);
      if (!p) throw notFound(`pacticipant "${request.params.pacticipant}"`);
      const versions = await storage.db
        .selectFrom('versions')
        .selectAll()
        .where('pacticipant_id', '=', p.id)
        .orderBy('id', 'desc')
        .limit(100)
        .execute();
      return send(reply, 200, {
        _embedded: {
          versions: versions.map((v) => ({ ...versionSummary(hal, p.name, v.number), createdAt: v.created_at })),
        },
        _links: { self: { href: hal.url('pacticipants', p.name, 'versions') } },
      });
    },
  );

  app.get<{ Params: { pacticipant: string; version: string } }>(
    '/pacticipants/:pacticipant/versions/:version',
    { schema: { params: params('pacticipant', 'version') } },
    async (request, reply) => {
      const p = await findPacticipant(storage.db, request.params.pacticipant);
      const v = p && (await findVersion(storage.db, p.id, request.params.version));
      if (!p || !v) throw notFound(`version ${request.params.version} of "${request.params.pacticipant}"`);
      return send(reply, 200, await renderVersion(storage.db, ctx.hal(request), p, v));
    },
  );

  app.put<{
    Params: { pacticipant: string; version: string };
    Body: { branch?: string; buildUrl?: string } | undefined;
  }>(
    '/pacticipants/:pacticipant/versions/:version',
    {
      schema: {
        params: params('pacticipant', 'version'),
        body: { type: 'object', properties: { branch: name, buildUrl: text(2048) } },
      },
    },
    async (request, reply) => {
      const { p, v, created } = await storage.transaction(async (trx) => {
        const { pacticipant: p } = await ensurePacticipant(trx, request.params.pacticipant);
        const { version: v, created } = await ensureVersion(trx, p.id, request.params.version, request.body?.buildUrl);
        if (request.body?.branch) await addBranchVersion(trx, p.id, request.body.branch, v.id);
        return { p, v, created };
      });
      return send(reply, created ? 201 : 200, await renderVersion(storage.db, ctx.hal(request), p, v));
    },
  );

  app.get<{ Params: { pacticipant: string; tag?: string } }>(
    '/pacticipants/:pacticipant/latest-version',
    { schema: { params: params('pacticipant') } },
    async (request, reply) => latest(request.params, reply, request),
  );
  app.get<{ Params: { pacticipant: string; tag?: string } }>(
    '/pacticipants/:pacticipant/latest-version/:tag',
    { schema: { params: params('pacticipant', 'tag') } },
    async (request, reply) => latest(request.params, reply, request),
  );
  async function latest(
    { pacticipant, tag }: { pacticipant: string; tag?: string },
    reply: Parameters<typeof send>[0],
    request: Parameters<RouteContext['hal']>[0],
  ) {
    const p = await findPacticipant(storage.db, pacticipant);
    const v = p && (await latestVersion(storage.db, p.id, tag === undefined ? {} : { tag }));
    if (!p || !v) throw notFound(`the latest version of "${pacticipant}"${tag ? ` tagged "${tag}"` : ''}`);
    return send(reply, 200, await renderVersion(storage.db, ctx.hal(request), p, v));
  }

  app.put<{ Params: { pacticipant: string; version: string; tag: string } }>(
    '/pacticipants/:pacticipant/versions/:version/tags/:tag',
    { schema: { params: params('pacticipant', 'version', 'tag') } },
    async (request, reply) => {
      const { pacticipant, version, tag } = request.params;
      const created = await storage.transaction(async (trx) => {
        const { pacticipant: p } = await ensurePacticipant(trx, pacticipant);
        const { version: v } = await ensureVersion(trx, p.id, version);
        return addTag(trx, v.id, tag);
      });
      const hal = ctx.hal(request);
      return send(reply, created ? 201 : 200, {
        name: tag,
        _links: {
          self: hal.link(['pacticipants', pacticipant, 'versions', version, 'tags', tag]),
          version: hal.link(['pacticipants', pacticipant, 'versions', version]),
        },
      });
    },
  );

  app.get<{ Params: { pacticipant: string; version: string; tag: string } }>(
    '/pacticipants/:pacticipant/versions/:version/tags/:tag',
    { schema: { params: params('pacticipant', 'version', 'tag') } },
    async (request, reply) => {
      const { pacticipant, version, tag } = request.params;
      const row = await storage.db
        .selectFrom('tags')
        .innerJoin('versions', 'versions.id', 'tags.version_id')
        .innerJoin('pacticipants', 'pacticipants.id', 'versions.pacticipant_id')
        .select(['tags.name', 'tags.created_at'])
        .where('pacticipants.name', '=', pacticipant)
        .where('versions.number', '=', version)
        .where('tags.name', '=', tag)
        .executeTakeFirst();
      if (!row) throw notFound(`tag "${tag}" of version ${version} of "${pacticipant}"`);
      const hal = ctx.hal(request);
      return send(reply, 200, {
        name: row.name,
        createdAt: row.created_at,
        _links: { self: hal.link(['pacticipants', pacticipant, 'versions', version, 'tags', tag]) },
      });
    },
  );

  app.put<{ Params: { pacticipant: string; branch: string; version: string } }>(
    '/pacticipants/:pacticipant/branches/:branch/versions/:version',
    { schema: { params: params('pacticipant', 'branch', 'version') } },
    async (request, reply) => {
      const { pacticipant, branch, version } = request.params;
      const created = await storage.transaction(async (trx) => {
        const { pacticipant: p } = await ensurePacticipant(trx, pacticipant);
        const { version: v } = await ensureVersion(trx, p.id, version);
        return addBranchVersion(trx, p.id, branch, v.id);
      });
      const hal = ctx.hal(request);
      return send(reply, created ? 201 : 200, {
        name: branch,
        _links: { self: hal.link(['pacticipants', pacticipant, 'branches', branch, 'versions', version]) },
      });
    },
  );

  async function findBranch(pacticipant: string, branch: string) {
    const row = await storage.db
      .selectFrom('branches')
      .innerJoin('pacticipants', 'pacticipants.id', 'branches.pacticipant_id')
      .select(['branches.id', 'branches.name', 'branches.created_at'])
      .where('pacticipants.name', '=', pacticipant)
      .where('branches.name', '=', branch)
      .executeTakeFirst();
    if (!row) throw notFound(`branch "${branch}" of "${pacticipant}"`);
    return row;
  }

  app.get<{ Params: { pacticipant: string; branch: string } }>(
    '/pacticipants/:pacticipant/branches/:branch',
    { schema: { params: params('pacticipant', 'branch') } },
    async (request, reply) => {
      const { pacticipant, branch } = request.params;
      const row = await findBranch(pacticipant, branch);
      const head = await branchHead(storage.db, row.id);
      const hal = ctx.hal(request);
      const headVersion = head
        ? await storage.db.selectFrom('versions').select('number').where('id', '=', head).executeTakeFirst()
        : undefined;
      return send(reply, 200, {
        name: row.name,
        createdAt: row.created_at,
        ...(headVersion
          ? { _embedded: { 'latest-version': versionSummary(hal, pacticipant, headVersion.number) } }
          : {}),
        _links: { self: hal.link(['pacticipants', pacticipant, 'branches', branch]) },
      });
    },
  );

  // Deleting a branch removes it and its version memberships; the versions themselves stay.
  app.delete<{ Params: { pacticipant: string; branch: string } }>(
    '/pacticipants/:pacticipant/branches/:branch',
    { schema: { params: params('pacticipant', 'branch') } },
    async (request, reply) => {
      const row = await findBranch(request.params.pacticipant, request.params.branch);
      await storage.transaction(async (trx) => {
        await trx.deleteFrom('branch_versions').where('branch_id', '=', row.id).execute();
        await trx.deleteFrom('branches').where('id', '=', row.id).execute();
      });
      return reply.status(204).send();
    },
  );
}
