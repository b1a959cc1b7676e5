import type { Db } from '../storage/database.js';
import {
  latestVersion,
  versionBranches,
  versionTags,
  type Pacticipant,
  type Version,
} from '../storage/pacticipants.js';
import type { Hal } from '../server/hal.js';

const present = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined));

export function versionSummary(hal: Hal, pacticipant: string, number: string) {
  return {
    number,
    _links: { self: hal.link(['pacticipants', pacticipant, 'versions', number], { title: 'Version', name: number }) },
  };
}

export async function renderPacticipant(db: Db, hal: Hal, p: Pacticipant) {
  const latest = await latestVersion(db, p.id);
  return {
    name: p.name,
    ...present({
      displayName: p.display_name,
      repositoryUrl: p.repository_url,
      repositoryName: p.repository_name,
      repositoryNamespace: p.repository_namespace,
      mainBranch: p.main_branch,
    }),
    createdAt: p.created_at,
    updatedAt: p.updated_at,
    ...(latest ? { _embedded: { 'latest-version': versionSummary(hal, p.name, latest.number) } } : {}),
    _links: {
      self: hal.link(['pacticipants', p.name]),
      versions: hal.link(['pacticipants', p.name, 'versions']),
      'pb:versions': hal.link(['pacticipants', p.name, 'versions']),
      'pb:version': hal.template(`/pacticipants/${encodeURIComponent(p.name)}/versions/{version}`),
      'pb:latest-version': hal.link(['pacticipants', p.name, 'latest-version']),
      'pb:version-tag': hal.template(`/pacticipants/${encodeURIComponent(p.name)}/versions/{version}/tags/{tag}`),
      'pb:branch': hal.template(`/pacticipants/${encodeURIComponent(p.name)}/branches/{branch}`),
      // Verifiers publishing with a provider branch follow pb:provider to here, then this link.
      'pb:branch-version': hal.template(
        `/pacticipants/${encodeURIComponent(p.name)}/branches/{branch}/versions/{version}`,
        'Get or add/create a version for a branch',
      ),
    },
  };
}

export async function renderVersion(db: Db, hal: Hal, p: Pacticipant, v: Version) {
  const [tags, branches, environments] = await Promise.all([
    versionTags(db, v.id),
    versionBranches(db, v.id),
    db.selectFrom('environments').select(['uuid', 'name', 'display_name']).orderBy('name').execute(),
  ]);
  const base = ['pacticipants', p.name, 'versions', v.number];
  return {
    number: v.number,
    ...present({ buildUrl: v.build_url }),
    createdAt: v.created_at,
    _embedded: {
      branchVersions: branches.map((b) => ({
        name: b.name,
        _links: { self: hal.link(['pacticipants', p.name, 'branches', b.name, 'versions', v.number]) },
      })),
      tags: tags.map((t) => ({
        name: t.name,
        createdAt: t.created_at,
        _links: { self: hal.link([...base, 'tags', t.name]) },
      })),
    },
    _links: {
      self: hal.link(base, { title: 'Version', name: v.number }),
      'pb:pacticipant': hal.link(['pacticipants', p.name], { title: 'Pacticipant', name: p.name }),
      'pb:tag': hal.template(
        `/pacticipants/${encodeURIComponent(p.name)}/versions/${encodeURIComponent(v.number)}/tags/{tag}`,
      ),
      'pb:record-deployment': environments.map((e) => ({
        name: e.name,
        title: `Record deployment to ${e.display_name ?? e.name}`,
        href: hal.url(...base, 'deployed-versions', 'environment', e.uuid),
      })),
      'pb:record-release': environments.map((e) => ({
        name: e.name,
        title: `Record release to ${e.display_name ?? e.name}`,
        href: hal.url(...base, 'released-versions', 'environment', e.uuid),
      })),
    },
  };
}
