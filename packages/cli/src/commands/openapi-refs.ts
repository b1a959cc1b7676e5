import type { OptionPath, OptionTable } from '../options.js';

/**
 * The options every command with `--openapi` shares: where the document's `$ref`s may lead. The
 * document may come from a pull request, so by default its `$ref`s read files in its own folder
 * only and fetch nothing.
 */
export function openapiRefOptions<P extends { refRoot?: string; allowRemoteRefs?: boolean }>() {
  return {
    'ref-root': {
      type: 'string',
      nargs: 1,
      describe: "Folder the OpenAPI document's $refs may read files in (default: the document's own folder)",
      to: 'refRoot' as OptionPath<P>,
    },
    'allow-remote-refs': {
      type: 'boolean',
      describe:
        "Let the OpenAPI document's $refs fetch http(s) URLs; never internal addresses (default: only for a document given as a URL)",
      to: 'allowRemoteRefs' as OptionPath<P>,
    },
  } as const satisfies OptionTable<P>;
}
