/**
 * How a value appears inside a message: the one clipping rule for every report, reason and error,
 * so that a value from a pull request (a pact, a document, a response) never floods a console, a PR
 * comment or a broker page.
 */

/** Longest preview, in characters, unless a caller asks for less. */
export const PREVIEW_LENGTH = 80;

/**
 * `text` cut to `max` characters, the last one `…` when cut.
 *
 * @example
 * clipText('x'.repeat(100), 10) // 'xxxxxxxxx…'
 */
export function clipText(text: string, max = PREVIEW_LENGTH): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * A value as JSON (a string quoted), clipped; `absent` (default `nothing`) for undefined.
 *
 * @example
 * previewValue({ id: 7 }) // '{"id":7}'
 * previewValue(undefined, { absent: '(absent)' }) // '(absent)'
 */
export function previewValue(value: unknown, options: { max?: number; absent?: string } = {}): string {
  if (value === undefined) return options.absent ?? 'nothing';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    // A BigInt or a cycle: what String makes of it is still worth showing.
    text = String(value);
  }
  return clipText(text, options.max);
}
