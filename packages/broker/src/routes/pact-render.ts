import type { Hal } from '../server/hal.js';
import type { PactRow } from '../storage/pacts.js';

export const pactPath = (r: Pick<PactRow, 'provider' | 'consumer'>) => [
  'pacts',
  'provider',
  r.provider,
  'consumer',
  r.consumer,
];

export function pactHref(hal: Hal, r: PactRow): string {
  return hal.url(...pactPath(r), 'version', r.consumer_version);
}

/** The link to a pact by its content, which is where a verification of that content is published. */
export function pactVersionHref(
  hal: Hal,
  r: Pick<PactRow, 'provider' | 'consumer' | 'sha'>,
  metadata?: string,
): string {
  return hal.url(...pactPath(r), 'pact-version', r.sha, ...(metadata ? ['metadata', metadata] : []));
}

export function pactTitle(r: PactRow): string {
  return `Pact between ${r.consumer} (${r.consumer_version}) and ${r.provider}`;
}

/** The pact document as published, with the broker's links added. */
export function renderPact(hal: Hal, r: PactRow, content: string, metadata?: string): Record<string, unknown> {
  const doc = JSON.parse(content) as Record<string, unknown>;
  const byContent = pactVersionHref(hal, r, metadata);
  return {
    ...doc,
    createdAt: r.created_at,
    _links: {
      self: { href: pactHref(hal, r), title: 'Pact', name: pactTitle(r) },
      'pb:consumer': { href: hal.url('pacticipants', r.consumer), title: 'Consumer', name: r.consumer },
      'pb:consumer-version': {
        href: hal.url('pacticipants', r.consumer, 'versions', r.consumer_version),
        title: 'Consumer version',
        name: r.consumer_version,
      },
      'pb:provider': { href: hal.url('pacticipants', r.provider), title: 'Provider', name: r.provider },
      'pb:pact-version': { href: byContent, title: 'Pact content version permalink', name: r.sha },
      'pb:latest-pact-version': { href: hal.url(...pactPath(r), 'latest'), title: 'Latest version of this pact' },
      'pb:publish-verification-results': {
        href: `${byContent}/verification-results`,
        title: 'Publish verification results',
      },
      'pb:latest-verification-results': {
        href: `${hal.url(...pactPath(r), 'latest')}/verification-results`,
        title: 'Latest verification results',
      },
    },
  };
}

export function pactListLink(hal: Hal, r: PactRow) {
  return { href: pactHref(hal, r), title: pactTitle(r), name: r.consumer };
}
