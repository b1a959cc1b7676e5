// Source patches the CLI bundle applies to third-party modules (scripts/bundle-cli.mjs), kept apart
// so that a test can run each patched module against the original (test/bundle-patches.test.ts).
// Each patch checks that the source still has the shape it was written for and otherwise returns
// a problem to report: a dependency update must never change the bundle silently.

/**
 * string-width 8 builds, when its module is evaluated, an `Intl.Segmenter` (ICU's grapheme break
 * data) and `\p{RGI_Emoji}`-style regexes: about 35 ms on every cutover start, for what only
 * non-ASCII text needs (printable ASCII takes its fast path, and cutover's help is ASCII). The
 * patch builds each on first use instead; widths are unchanged.
 *
 * @param {string} source the module's text
 * @returns {{ contents: string } | { problem: string }}
 */
export function lazyStringWidth(source) {
  const lazy = ['segmenter', 'visibleCharacterRegex', 'spacingMarkRegex', 'rgiEmojiRegex'];
  let contents = source;
  for (const name of lazy) {
    const declaration = new RegExp(`^const ${name} = (.+);$`, 'm');
    const found = declaration.exec(contents);
    if (!found || contents.split(found[0]).length !== 2)
      return { problem: `string-width no longer declares "const ${name} = …;" once at the top level` };
    const uses = new RegExp(`\\b${name}\\b`, 'g');
    contents = contents.replace(found[0], '\0').replace(uses, `${name}$()`);
    contents = contents.replace('\0', `let ${name}$value;\nconst ${name}$ = () => (${name}$value ??= ${found[1]});`);
  }
  return { contents };
}
