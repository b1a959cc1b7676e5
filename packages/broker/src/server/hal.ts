import type { FastifyRequest } from 'fastify';

export interface Link {
  href: string;
  name?: string;
  title?: string;
  templated?: boolean;
}

/** Builds absolute links: from `baseUrl` when configured, else from the request (X-Forwarded-Proto/Host honoured). */
export class Hal {
  readonly base: string;

  constructor(request: FastifyRequest, baseUrl: string | undefined) {
    this.base = (baseUrl ?? `${request.protocol}://${request.host}`).replace(/\/+$/, '');
  }

  /** `segments` are encoded one by one, so a name with `/`, `%` or spaces stays one path segment. */
  url(...segments: string[]): string {
    return `${this.base}/${segments.map((s) => encodeURIComponent(s)).join('/')}`;
  }

  link(segments: string[], extra: Omit<Link, 'href'> = {}): Link {
    return { href: this.url(...segments), ...extra };
  }

  /** A templated link: `{placeholders}` are kept as they are. */
  template(path: string, title?: string): Link {
    return { href: `${this.base}${path}`, templated: true, ...(title ? { title } : {}) };
  }
}
