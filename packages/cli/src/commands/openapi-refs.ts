/**
 * The options every command with `--openapi` shares: where the document's `$ref`s may lead. The
 * document may come from a pull request, so by default its `$ref`s read files in its own folder
 * only and fetch nothing.
 */
export const openapiRefOptions = {
  'ref-root': {
    type: 'string',
    nargs: 1,
    describe: "Folder the OpenAPI document's $refs may read files in (default: the document's own folder)",
  },
  'allow-remote-refs': {
    type: 'boolean',
    describe:
      "Let the OpenAPI document's $refs fetch http(s) URLs; never internal addresses (default: only for a document given as a URL)",
  },
} as const;

/** `loadOpenApi` options from the parsed `--ref-root` and `--allow-remote-refs`. */
export function openapiRefArgs(args: { 'ref-root'?: unknown; 'allow-remote-refs'?: unknown }): {
  refRoot?: string;
  allowRemoteRefs?: boolean;
} {
  return {
    ...(typeof args['ref-root'] === 'string' ? { refRoot: args['ref-root'] } : {}),
    ...(typeof args['allow-remote-refs'] === 'boolean' ? { allowRemoteRefs: args['allow-remote-refs'] } : {}),
  };
}
