import { promisify } from 'node:util';
import { brotliDecompress, gunzip, inflate, inflateRaw } from 'node:zlib';

const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);
const inflateRawAsync = promisify(inflateRaw);
const brotliAsync = promisify(brotliDecompress);

/**
 * A body as its content is (the `Content-Encoding` undone, last applied first), for recording
 * only: what the caller receives is never touched. `limit` bounds the decoded size.
 */
export async function decodeBody(
  bytes: Uint8Array | undefined,
  headers: Record<string, string[]>,
  limit: number,
): Promise<Uint8Array | undefined> {
  if (bytes === undefined) return undefined;
  const codings = (headers['content-encoding'] ?? [])
    .flatMap((v) => v.split(','))
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity')
    .reverse();
  let out: Uint8Array = bytes;
  for (const coding of codings) {
    const options = { maxOutputLength: limit };
    if (coding === 'gzip' || coding === 'x-gzip') out = await gunzipAsync(out, options);
    else if (coding === 'br') out = await brotliAsync(out, options);
    else if (coding === 'deflate') out = await inflateAsync(out, options).catch(() => inflateRawAsync(out, options));
    else throw new Error(`content encoding "${coding}" is not one the recorder can read`);
  }
  return out;
}
