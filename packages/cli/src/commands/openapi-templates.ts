import type { CliIo } from '../context.js';

/** Path templates from the OpenAPI document, under each server's base path. */
export async function openApiTemplates(file: string, io: CliIo): Promise<string[]> {
  const { loadOpenApi } = await import('@cutover/openapi');
  const doc = await loadOpenApi(file, { baseDir: io.cwd });
  const servers = Array.isArray(doc.document.servers) ? doc.document.servers : [];
  const bases = new Set(['']);
  for (const server of servers) {
    const url = (server as { url?: unknown }).url;
    if (typeof url === 'string') bases.add(new URL(url, 'http://placeholder').pathname.replace(/\/$/, ''));
  }
  return [...new Set(doc.operations.flatMap((op) => [...bases].map((base) => base + op.pathTemplate)))];
}
