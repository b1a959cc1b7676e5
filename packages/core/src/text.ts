/**
 * Text from outside (pact descriptions and values, provider states, response bodies, policy and
 * document contents, URLs) made safe for the place it is printed: a terminal, a Markdown comment,
 * XML, a config comment. Every reporter of every package uses these, so each format has one escaper.
 */

/**
 * Characters a reader must see rather than have interpreted: C0 and C1 controls and DEL (ESC starts
 * terminal sequences, BEL rings, CR rewrites the line), line and paragraph separators, bidirectional
 * overrides and isolates (text that reads differently from what it is), lone surrogates and the
 * noncharacters U+FFFE/U+FFFF (which XML cannot carry).
 */
const INVISIBLE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000A-\u001F\u007F-\u009F\u2028\u2029\u200E\u200F\u202A-\u202E\u2066-\u2069\uFFFE\uFFFF]|\p{Cs}/gu;

function escapeCode(ch: string): string {
  return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * Shows control and other invisible characters as `\u001b`-style escapes, so they reach neither
 * the terminal nor a rendered page as themselves. Tab is kept; newlines too with `keepNewlines`.
 *
 * @example
 * visibleControls('ok\u001b[2Jgone') // 'ok\\u001b[2Jgone'
 */
export function visibleControls(text: string, options: { keepNewlines?: boolean } = {}): string {
  return text.replace(INVISIBLE, (ch) => (options.keepNewlines && (ch === '\n' || ch === '\r') ? ch : escapeCode(ch)));
}

/**
 * Inline Markdown text: characters that would start emphasis, links, images, HTML, entities, code,
 * strikethrough, math or break a table cell are backslash-escaped; a line break becomes a space (a
 * field never starts a block); other controls are shown visibly.
 *
 * @example
 * escapeMarkdown('**urgent** [click](http://x)') // '\\*\\*urgent\\*\\* \\[click\\](http://x)'
 */
export function escapeMarkdown(text: string): string {
  return visibleControls(text.replace(/\r?\n/g, ' ')).replace(/[\\`*_|<>[\]&~$]/g, (c) => `\\${c}`);
}

/**
 * A Markdown code span holding `text` verbatim (shown as typed, never rendered): the fence is longer
 * than any run of backticks inside, controls are shown visibly and `|` is escaped for table cells
 * (GitHub removes that backslash inside a table; keep `table: false` outside one).
 *
 * @example
 * markdownCode('a`b|c') // '`` a`b\\|c ``'
 */
export function markdownCode(text: string, options: { table?: boolean } = {}): string {
  let body = visibleControls(text.replace(/\r?\n/g, ' '));
  if (options.table !== false) body = body.replace(/\|/g, '\\|');
  const longest = (body.match(/`+/g) ?? []).reduce((max, run) => Math.max(max, run.length), 0);
  const fence = '`'.repeat(longest + 1);
  // A span that starts or ends with a backtick (or is blank) needs padding; one space each side is stripped.
  const pad = longest > 0 || /^ | $/.test(body) || body === '' ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}

/**
 * Text for XML content and attribute values: the five special characters as entities, and
 * characters XML 1.0 cannot carry at all (most controls, lone surrogates) shown visibly instead of
 * dropped. Tab, CR and LF stay.
 *
 * @example
 * escapeXml('a < b & "c"\u0007') // 'a &lt; b &amp; &quot;c&quot;\\u0007'
 */
export function escapeXml(text: string): string {
  return visibleControls(text, { keepNewlines: true }).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
  );
}

const REDACTED = '***';
// Query parameters that carry credentials in some setups (proxies, signed URLs).
const SECRET_PARAMS = /token|password|passwd|secret|key|signature|auth/i;

/**
 * A URL fit for a message: user info and credential-like query parameters replaced by `***`.
 *
 * @example
 * redactUrl('https://ci:s3cret@broker.example/pacts?access_token=abc'); // 'https://***:***@broker.example/pacts?access_token=***'
 */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url.replace(/\/\/[^/@]*@/, `//${REDACTED}@`);
  }
  if (parsed.username) parsed.username = REDACTED;
  if (parsed.password) parsed.password = REDACTED;
  for (const name of [...parsed.searchParams.keys()])
    if (SECRET_PARAMS.test(name)) parsed.searchParams.set(name, REDACTED);
  return parsed.href;
}

/** A URL in running text; the scheme is bounded so that text like `a.a.a.…` is scanned in linear time. */
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]{0,31}:\/\/[^\s"'<>`\\]+/gi;
/** What {@link redactUrl} would change: user info, or a query parameter named like a credential. */
const MAY_HOLD_SECRETS = /@|[?&][^=&#]*(token|password|passwd|secret|key|signature|auth)[^=&#]*=/i;

/**
 * Every URL in `text` through {@link redactUrl}: `GET http://ci:secret@broker/x failed` becomes
 * `GET http://***:***@broker/x failed`. Coded errors, described errors and reports go through it,
 * so credentials in a target, state, broker or document URL are never printed.
 *
 * @example
 * redactCredentials('GET http://ci:s3cret@broker/pacts failed') // 'GET http://***:***@broker/pacts failed'
 */
export function redactCredentials(text: string): string {
  return text.replace(URL_IN_TEXT, (url) => (MAY_HOLD_SECRETS.test(url) ? redactUrl(url) : url));
}
