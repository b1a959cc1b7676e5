/**
 * Serialised responses kept by a key that names everything the response is made of (row ids,
 * content hash, names, base URL): a changed row makes a new key, so nothing needs invalidating and
 * brokers sharing one PostgreSQL database can each keep their own. Bounded by total size; the least
 * recently used entries go first.
 */
export class RenderedCache {
  private readonly entries = new Map<string, string>();
  private bytes = 0;

  constructor(private readonly maxBytes = 32 * 1024 * 1024) {}

  /** The cached text for `key`, or `render()`'s, kept when it fits. */
  async get(key: string, render: () => Promise<string>): Promise<string> {
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const text = await render();
    // Text length is a close enough measure of memory for a bound.
    if (text.length > this.maxBytes / 4) return text;
    this.entries.set(key, text);
    this.bytes += text.length;
    for (const [oldest, value] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= value.length;
    }
    return text;
  }
}
