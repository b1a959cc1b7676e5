/**
 * The hosts webhooks may call, as the operator gives them (`--webhook-allow-host`): a host name or
 * address (`ci.example.com`, `10.0.0.5`, `[::1]`), optionally with a port (`ci.example.com:8443`),
 * or `*.example.com` for every subdomain. Nothing is allowed by default.
 */
export class HostAllowList {
  private readonly entries: { host: string; port?: string; wildcard: boolean }[];

  constructor(readonly allowed: readonly string[] = []) {
    this.entries = allowed.map((raw) => {
      const entry = raw.trim().toLowerCase();
      const wildcard = entry.startsWith('*.');
      const match = /^(\[[^\]]+\]|[^:]+)(?::(\d{1,5}))?$/.exec(wildcard ? entry.slice(2) : entry);
      if (!match) throw new Error(`"${raw}" is not a host name, an address or *.domain, with an optional :port`);
      return { host: match[1]!, ...(match[2] ? { port: match[2] } : {}), wildcard };
    });
  }

  /** Whether `url` (absolute, http or https) goes to an allowed host and port. */
  allows(url: URL): boolean {
    const host = url.hostname.toLowerCase();
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    return this.entries.some(
      (e) => (e.wildcard ? host.endsWith(`.${e.host}`) : host === e.host) && (e.port === undefined || e.port === port),
    );
  }

  /** Why `url` may not be called, or undefined when it may. */
  refusal(url: URL): string | undefined {
    if (this.allows(url)) return undefined;
    return this.entries.length === 0
      ? `host ${url.host} is not allowed: this broker calls no webhook host until its operator allows one (--webhook-allow-host)`
      : `host ${url.host} is not allowed: the broker allows ${this.allowed.join(', ')} (--webhook-allow-host)`;
  }
}
