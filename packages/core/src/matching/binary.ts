/**
 * Binary bodies: what their first bytes say they are, and how to show them in a sentence.
 *
 * A short table of magic numbers rather than a dependency: the well-kept detector (`file-type`)
 * is asynchronous, and matchers run synchronously on every value.
 */

interface Signature {
  type: string;
  /** Byte values to find at `offset`; `undefined` is a wildcard. */
  bytes: readonly (number | undefined)[];
  offset?: number;
  /** A second run that must also be present (RIFF containers name their format at byte 8). */
  also?: { offset: number; bytes: readonly number[] };
}

const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));

const SIGNATURES: readonly Signature[] = [
  { type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { type: 'image/gif', bytes: ascii('GIF87a') },
  { type: 'image/gif', bytes: ascii('GIF89a') },
  { type: 'image/webp', bytes: ascii('RIFF'), also: { offset: 8, bytes: ascii('WEBP') } },
  { type: 'audio/wav', bytes: ascii('RIFF'), also: { offset: 8, bytes: ascii('WAVE') } },
  { type: 'image/bmp', bytes: ascii('BM'), also: { offset: 6, bytes: [0, 0, 0, 0] } },
  { type: 'image/tiff', bytes: [0x49, 0x49, 0x2a, 0x00] },
  { type: 'image/tiff', bytes: [0x4d, 0x4d, 0x00, 0x2a] },
  { type: 'image/x-icon', bytes: [0x00, 0x00, 0x01, 0x00] },
  { type: 'application/pdf', bytes: ascii('%PDF-') },
  { type: 'application/zip', bytes: [0x50, 0x4b, 0x03, 0x04] },
  { type: 'application/zip', bytes: [0x50, 0x4b, 0x05, 0x06] },
  { type: 'application/zip', bytes: [0x50, 0x4b, 0x07, 0x08] },
  { type: 'application/gzip', bytes: [0x1f, 0x8b] },
  { type: 'application/x-bzip2', bytes: ascii('BZh') },
  { type: 'application/x-7z-compressed', bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c] },
  { type: 'application/wasm', bytes: [0x00, 0x61, 0x73, 0x6d] },
  { type: 'application/ogg', bytes: ascii('OggS') },
  { type: 'audio/mpeg', bytes: ascii('ID3') },
  { type: 'video/mp4', bytes: ascii('ftyp'), offset: 4 },
];

function hasAt(bytes: Uint8Array, offset: number, run: readonly (number | undefined)[]): boolean {
  if (bytes.length < offset + run.length) return false;
  return run.every((b, i) => b === undefined || bytes[offset + i] === b);
}

/**
 * The media type the bytes' magic number names (`image/png`, `application/pdf`...), or undefined.
 *
 * @example
 * sniffBinary(Buffer.from('%PDF-1.7 ...')) // 'application/pdf'
 */
export function sniffBinary(bytes: Uint8Array): string | undefined {
  for (const s of SIGNATURES) {
    if (hasAt(bytes, s.offset ?? 0, s.bytes) && (!s.also || hasAt(bytes, s.also.offset, s.also.bytes))) return s.type;
  }
  return undefined;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The bytes as text when they are valid UTF-8, else undefined. */
export function bytesAsText(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * A binary value in a sentence: `<1234 bytes of image/png>`, never decoded garbage. The type is
 * what the magic number says, else `declaredType` (e.g. the body's Content-Type), else octet-stream.
 *
 * @example
 * describeBytes(pngBuffer) // '<1234 bytes of image/png>'
 */
export function describeBytes(bytes: Uint8Array, declaredType?: string): string {
  const type = sniffBinary(bytes) ?? declaredType ?? 'application/octet-stream';
  return `<${bytes.length} byte${bytes.length === 1 ? '' : 's'} of ${type}>`;
}
