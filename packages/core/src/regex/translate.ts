/**
 * Translates a regular expression into RE2 syntax, so that a linear-time engine runs it, from
 * Ruby/Oniguruma syntax (the dialect pact-reference compiles matchers with: Rust's `onig` crate,
 * Ruby syntax, UTF-8) or from ECMA-262 without flags (JSON Schema `pattern`s). Constructs
 * Oniguruma refuses are refused here too (a `RegexIssue` of kind `invalid`); constructs it accepts
 * that no linear-time engine can run (backreferences, lookaround, atomic groups...) are
 * `unsupported`, naming the construct.
 */
import {
  ANY,
  ECMA_CLASSES,
  knownProperty,
  literal,
  PROPERTY_CLASSES,
  RegexIssue,
  SHORT_CLASSES,
  UNSUPPORTED_ESCAPES,
  UNSUPPORTED_GROUPS,
} from './syntax.js';

interface Flags {
  extended: boolean;
}

/** One translated atom and whether a quantifier already applies to it. */
interface Item {
  text: string;
  quantified: boolean;
  /** Anchors and option switches cannot be repeated. */
  repeatable: boolean;
}

class Translator {
  private pos = 0;
  private flags: Flags = { extended: false };
  /** How many groups enclose the current position. */
  private depth = 0;

  constructor(
    private readonly src: string,
    private readonly captures: boolean,
    private readonly ecma: boolean,
  ) {}

  translate(): string {
    const out = this.alternation(false);
    if (this.pos < this.src.length) this.invalid(')', 'unmatched close parenthesis');
    return out;
  }

  private invalid(construct: string, reason: string, at = this.pos): never {
    throw new RegexIssue('invalid', construct, reason, at, this.src);
  }

  private unsupported(construct: string, reason: string, at = this.pos): never {
    throw new RegexIssue('unsupported', construct, reason, at, this.src);
  }

  private peek(offset = 0): string {
    return this.src[this.pos + offset] ?? '';
  }

  private alternation(inGroup: boolean): string {
    if (inGroup) this.depth++;
    try {
      return this.branches(inGroup);
    } finally {
      if (inGroup) this.depth--;
    }
  }

  private branches(inGroup: boolean): string {
    const branches: string[] = [];
    let items: Item[] = [];
    for (;;) {
      if (this.pos >= this.src.length) {
        if (inGroup) this.invalid('(', 'end pattern with unmatched parenthesis');
        break;
      }
      const c = this.peek();
      if (c === ')') {
        if (!inGroup) this.invalid(')', 'unmatched close parenthesis');
        break;
      }
      if (c === '|') {
        this.pos++;
        branches.push(items.map((i) => i.text).join(''));
        items = [];
        continue;
      }
      if (this.flags.extended && /\s/.test(c)) {
        this.pos++;
        continue;
      }
      if (this.flags.extended && c === '#') {
        while (this.pos < this.src.length && this.peek() !== '\n') this.pos++;
        continue;
      }
      if (this.quantifier(items)) continue;
      const item = this.atom();
      if (item) items.push(item);
    }
    branches.push(items.map((i) => i.text).join(''));
    return branches.join('|');
  }

  /** Reads a quantifier onto the last item; false when the next token is not one. */
  private quantifier(items: Item[]): boolean {
    const start = this.pos;
    const c = this.peek();
    let q: string;
    if (c === '*' || c === '+' || c === '?') {
      q = c;
      this.pos++;
    } else if (c === '{') {
      const m = /^\{(\d*)(,(\d*))?\}/.exec(this.src.slice(this.pos));
      // A '{' that starts no interval is literal; `{,n}` is an interval in Ruby only.
      if (!m || (m[1] === '' && (this.ecma || m[2] === undefined || m[3] === ''))) return false;
      const min = m[1] === '' ? 0 : Number(m[1]);
      const max = m[2] === undefined ? min : m[3] === '' ? undefined : Number(m[3]);
      if (min > 100000 || (max !== undefined && max > 100000)) this.invalid(m[0], 'too big number for repeat range');
      if (max !== undefined && max < min) this.invalid(m[0], 'upper bound must be greater than lower bound');
      q = m[2] === undefined ? `{${min}}` : `{${min},${max ?? ''}}`;
      this.pos += m[0].length;
    } else return false;
    const last = items[items.length - 1];
    if (!last || !last.repeatable)
      this.invalid(this.src.slice(start, this.pos), 'target of repeat operator is not specified', start);
    // Lazy `?` applies to every quantifier; possessive `+` only to ?, * and + in Ruby syntax
    // (`{n,m}+` is a nested quantifier there).
    // In Ruby syntax `{n}?` is `{n}` made optional, not a lazy `{n}`.
    if (this.peek() === '?' && !/^\{\d+\}$/.test(q)) {
      q += '?';
      this.pos++;
    } else if (this.peek() === '+' && q.length === 1) {
      this.unsupported(this.src.slice(start, this.pos + 1), 'a possessive quantifier', start);
    }
    if (last.quantified) last.text = `(?:${last.text})`;
    last.text += q;
    last.quantified = true;
    return true;
  }

  private atom(): Item | undefined {
    const c = this.peek();
    const at = this.pos;
    const plain = (text: string): Item => ({ text, quantified: false, repeatable: true });
    const anchor = (text: string): Item => ({ text, quantified: false, repeatable: false });
    switch (c) {
      case '(':
        return this.group();
      case '[':
        return plain(this.charClass());
      case '.':
        this.pos++;
        return plain(this.ecma ? '[^\\n\\r\\x{2028}\\x{2029}]' : '.');
      // Ruby's ^ and $ are always line anchors ($ matches before any '\n'); ECMA's (without the
      // `m` flag) are the ends of the value.
      case '^':
        this.pos++;
        return anchor(this.ecma ? '\\A' : '(?m:^)');
      case '$':
        this.pos++;
        return anchor(this.ecma ? '\\z' : '(?m:$)');
      case '\\':
        return this.escape();
      case '*':
      case '+':
      case '?':
        this.invalid(c, 'target of repeat operator is not specified', at);
      // eslint-disable-next-line no-fallthrough
      default: {
        const cp = this.src.codePointAt(this.pos) ?? 0;
        this.pos += cp > 0xffff ? 2 : 1;
        return plain(literal(cp));
      }
    }
  }

  private group(): Item | undefined {
    const start = this.pos;
    this.pos++; // (
    if (this.peek() !== '?') return this.groupBody(this.captures ? '(' : '(?:', start);
    this.pos++;
    const c = this.peek();
    if (c === '#') {
      const end = this.src.indexOf(')', this.pos);
      if (end < 0) this.invalid('(?#', 'end pattern in group', start);
      this.pos = end + 1;
      return undefined;
    }
    if (c === ':') {
      this.pos++;
      return this.groupBody('(?:', start);
    }
    const two = this.src.slice(this.pos, this.pos + 2);
    const lookbehind = two === '<=' || two === '<!' ? two : undefined;
    const unsupported = UNSUPPORTED_GROUPS[lookbehind ?? c];
    if (unsupported) this.unsupported(`(?${lookbehind ?? c}`, unsupported, start);
    if (c === '<' || c === "'") {
      const close = c === '<' ? '>' : "'";
      const end = this.src.indexOf(close, this.pos + 1);
      const name = end < 0 ? '' : this.src.slice(this.pos + 1, end);
      if (!/^[\p{L}_][\p{L}\p{N}_]*$/u.test(name)) this.invalid(`(?${c}${name}`, 'invalid group name', start);
      this.pos = end + 1;
      // Matchers only ask whether the whole value matches: their groups need no capture.
      return this.groupBody(this.captures ? `(?P<${name}>` : '(?:', start);
    }
    if (this.ecma) this.unsupported(`(?${c}`, 'a modifier group', start);
    // Option groups: (?imx-imx) or (?imx-imx:…). Ruby syntax knows no other option letter.
    const m = /^([a-zA-Z]*)(?:-([a-zA-Z]*))?([:)])/.exec(this.src.slice(this.pos));
    if (!m) this.invalid(`(?${c}`, 'undefined group option', start);
    const on = m[1] ?? '';
    const off = m[2] ?? '';
    for (const letter of on + off)
      if (!'imx'.includes(letter)) this.invalid(`(?${m[0]}`, 'undefined group option', start);
    this.pos += m[0].length;
    // Ruby's `m` is RE2's `s` (dot matches newline); `x` is handled here, not by the engine.
    const re2 = (letters: string): string => letters.replace(/x/g, '').replace(/m/g, 's');
    const set = re2(on);
    const clear = re2(off);
    const flagText = `${set}${clear ? `-${clear}` : ''}`;
    const extended = on.includes('x') ? true : off.includes('x') ? false : this.flags.extended;
    if (m[3] === ')') {
      // An isolated option takes the rest of the enclosing group, later alternatives included:
      // Ruby reads `a(?i)b|c` as `a(?i:b|c)`.
      this.flags = { extended };
      const rest = this.alternation(this.depth > 0);
      return { text: `(?${flagText}:${rest})`, quantified: false, repeatable: false };
    }
    const saved = this.flags;
    this.flags = { extended };
    const body = this.alternation(true);
    this.pos++; // )
    this.flags = saved;
    return { text: `(?${flagText}:${body})`, quantified: false, repeatable: true };
  }

  private groupBody(open: string, start: number): Item {
    const saved = this.flags;
    const body = this.alternation(true);
    if (this.peek() !== ')') this.invalid('(', 'end pattern with unmatched parenthesis', start);
    this.pos++;
    this.flags = saved;
    return { text: `${open}${body})`, quantified: false, repeatable: true };
  }

  /** An escape outside a class. */
  private escape(): Item {
    const start = this.pos;
    const item = (text: string, repeatable = true): Item => ({ text, quantified: false, repeatable });
    const c = this.src[this.pos + 1];
    if (c === undefined) this.invalid('\\', 'end pattern at escape', start);
    switch (this.ecma && c !== 'b' && c !== 'B' ? '' : c) {
      case 'A':
        this.pos += 2;
        return item('\\A', false);
      case 'z':
        this.pos += 2;
        return item('\\z', false);
      case 'Z': {
        this.pos += 2;
        // Before a final '\n' too; only the end of the value can follow it when the whole value
        // must match, unless the pattern goes on to consume that '\n'.
        const next = this.peek();
        if (next !== '' && next !== ')' && next !== '|')
          this.unsupported('\\Z', 'an end-of-string anchor \\Z followed by more pattern', start);
        return item('\\z', false);
      }
      case 'b':
      case 'B':
        this.pos += 2;
        return item(`\\${c}`, false);
      case 'D':
      case 'W':
      case 'S':
      case 'H':
        this.pos += 2;
        return item(`[^${SHORT_CLASSES[c.toLowerCase()]}]`);
      default: {
        const inClass = this.classEscape();
        if (inClass.kind === 'char') return item(literal(inClass.cp));
        return item(inClass.negated ? `[^${inClass.text}]` : `[${inClass.text}]`);
      }
    }
  }

  /** An escape that stands for one character or a set of them (valid inside and outside classes). */
  private classEscape(): { kind: 'char'; cp: number } | { kind: 'set'; text: string; negated: boolean } {
    const start = this.pos;
    const c = this.src[this.pos + 1] ?? '';
    this.pos += 2;
    const char = (cp: number) => ({ kind: 'char' as const, cp });
    if (this.ecma) return this.ecmaEscape(c, start);
    const hexRun = (re: RegExp): string => {
      const m = re.exec(this.src.slice(this.pos));
      if (!m) this.invalid(`\\${c}`, 'invalid code point value', start);
      this.pos += m[0].length;
      return m[1] ?? m[0];
    };
    const checked = (cp: number, construct: string): number => {
      if (cp > 0x10ffff) this.invalid(construct, 'invalid code point value', start);
      return cp;
    };
    switch (c) {
      case 'd':
      case 'w':
      case 's':
      case 'h':
        return { kind: 'set', text: SHORT_CLASSES[c] ?? '', negated: false };
      case 'D':
      case 'W':
      case 'S':
      case 'H':
        return { kind: 'set', text: SHORT_CLASSES[c.toLowerCase()] ?? '', negated: true };
      case 'p':
      case 'P':
        return this.property(c === 'P', start);
      case 't':
        return char(9);
      case 'n':
        return char(10);
      case 'r':
        return char(13);
      case 'f':
        return char(12);
      case 'v':
        return char(11);
      case 'a':
        return char(7);
      case 'e':
        return char(27);
      case 'x':
        if (this.peek() === '{') return char(checked(parseInt(hexRun(/^\{([0-9a-fA-F]{1,8})\}/), 16), '\\x{'));
        return char(parseInt(hexRun(/^[0-9a-fA-F]{1,2}/), 16));
      case 'u':
        return char(parseInt(hexRun(/^[0-9a-fA-F]{4}/), 16));
      case 'o':
        return char(checked(parseInt(hexRun(/^\{([0-7]{1,11})\}/), 8), '\\o{'));
      case 'c': {
        const next = this.src.codePointAt(this.pos);
        if (next === undefined || next > 0x7f) this.invalid('\\c', 'invalid control-code syntax', start);
        this.pos++;
        return char(next & 0x1f);
      }
      case 'C':
      case 'M':
        this.unsupported(`\\${c}`, `a meta/control escape \\${c}-…`, start);
      // eslint-disable-next-line no-fallthrough
      case '0': {
        const m = /^[0-7]{0,2}/.exec(this.src.slice(this.pos));
        this.pos += m?.[0].length ?? 0;
        return char(parseInt(`0${m?.[0] ?? ''}`, 8));
      }
      default:
        break;
    }
    if (/[1-9]/.test(c)) {
      // `\1`…`\9` (and any number of an existing group) is a backreference; a longer octal number is a character.
      const m = /^[0-7]{1,2}/.exec(this.src.slice(this.pos));
      if (m && /[1-7]/.test(c)) {
        this.pos += m[0].length;
        return char(parseInt(`${c}${m[0]}`, 8));
      }
      this.unsupported(`\\${c}`, 'a backreference', start);
    }
    const escapeKind = UNSUPPORTED_ESCAPES[c];
    if (escapeKind) this.unsupported(`\\${c}`, escapeKind, start);
    // Oniguruma reads any other escaped character as itself (`\/`, `\-`, `\Q` → 'Q').
    const cp = this.src.codePointAt(start + 1) ?? 0;
    this.pos = start + 1 + (cp > 0xffff ? 2 : 1);
    return char(cp);
  }

  /** An ECMA-262 escape without the `u` flag: unknown letters stand for themselves. */
  private ecmaEscape(
    c: string,
    start: number,
  ): { kind: 'char'; cp: number } | { kind: 'set'; text: string; negated: boolean } {
    const char = (cp: number) => ({ kind: 'char' as const, cp });
    const lower = c.toLowerCase();
    const set = ECMA_CLASSES[lower];
    if (set !== undefined && (c === lower || 'DWS'.includes(c)))
      return { kind: 'set', text: set, negated: c !== lower };
    const simple: Record<string, number> = { t: 9, n: 10, v: 11, f: 12, r: 13 };
    if (simple[c] !== undefined) return char(simple[c]);
    const hex =
      c === 'x'
        ? /^[0-9a-fA-F]{2}/.exec(this.src.slice(this.pos))
        : c === 'u'
          ? /^[0-9a-fA-F]{4}/.exec(this.src.slice(this.pos))
          : null;
    if (hex) {
      this.pos += hex[0].length;
      return char(parseInt(hex[0], 16));
    }
    if (c === 'c' && /[a-zA-Z]/.test(this.peek())) {
      this.pos++;
      return char((this.src.codePointAt(this.pos - 1) ?? 0) & 0x1f);
    }
    if (c === '0' && !/[0-9]/.test(this.peek())) return char(0);
    if (/[0-9]/.test(c)) this.unsupported(`\\${c}`, 'a backreference or legacy octal escape', start);
    if (c === 'k' && /\(\?<[^=!]/.test(this.src)) this.unsupported('\\k', 'a named backreference \\k<…>', start);
    const cp = this.src.codePointAt(start + 1) ?? 0;
    this.pos = start + 1 + (cp > 0xffff ? 2 : 1);
    return char(cp);
  }

  private property(upper: boolean, start: number): { kind: 'set'; text: string; negated: boolean } {
    const m = /^\{(\^?)([^}]*)\}/.exec(this.src.slice(this.pos));
    if (!m) this.invalid(`\\${upper ? 'P' : 'p'}`, 'invalid character property name', start);
    this.pos += m[0].length;
    const negated = upper !== (m[1] === '^');
    return { kind: 'set', text: this.propertyClass(m[2] ?? '', m[0], start), negated };
  }

  /** Class contents for a property name, or an error naming it. */
  private propertyClass(name: string, construct: string, start: number): string {
    const key = name.toLowerCase().replace(/[\s_-]/g, '');
    const known = PROPERTY_CLASSES[key];
    if (known) return known;
    // General categories (L, Lu, Nd...) and scripts (Greek, Old_Italic...) as RE2 spells them.
    for (const spelled of [name, `${key.charAt(0).toUpperCase()}${key.slice(1)}`]) {
      if (/^\w+$/.test(spelled) && knownProperty(spelled)) return `\\p{${spelled}}`;
    }
    this.unsupported(construct, `a character property cutover does not know (${name})`, start);
  }

  /** A bracket class; returns RE2 text. */
  private charClass(): string {
    const start = this.pos;
    this.pos++; // [
    let negated = false;
    if (this.peek() === '^') {
      negated = true;
      this.pos++;
    }
    const parts: string[] = [];
    // Negated sets (`[:^alpha:]`, `\W`) kept apart: RE2 can negate only a whole class.
    const negatedSets: { text: string; construct: string }[] = [];
    let first = true;
    // The previous single character, for ranges.
    let prev: number | undefined;
    for (;;) {
      if (this.pos >= this.src.length) this.invalid('[', 'premature end of char-class', start);
      const c = this.peek();
      if (this.ecma && c === ']') {
        this.pos++;
        // ECMA's `[]` matches nothing and `[^]` anything.
        if (first) return negated ? `[${ANY}]` : `[^${ANY}]`;
        break;
      }
      if (this.ecma && c === '[') {
        this.pos++;
        parts.push('\\[');
        prev = 91;
        first = false;
        continue;
      }
      if (c === ']' && !first) {
        this.pos++;
        break;
      }
      first = false;
      if (!this.ecma && c === '&' && this.peek(1) === '&')
        this.unsupported('&&', 'a character class intersection', this.pos);
      if (c === '[') {
        const posix = /^\[:(\^?)([a-zA-Z]+):\]/.exec(this.src.slice(this.pos));
        if (posix) {
          const text = PROPERTY_CLASSES[(posix[2] ?? '').toLowerCase()];
          const name = (posix[2] ?? '').toLowerCase();
          if (name === 'graph' || name === 'print') this.unsupported(posix[0], `the POSIX class [:${name}:]`, this.pos);
          if (!text || name === 'any' || name === 'alphabetic' || name === 'whitespace')
            this.invalid(posix[0], 'invalid POSIX bracket type', this.pos);
          this.pos += posix[0].length;
          if (posix[1]) negatedSets.push({ text, construct: posix[0] });
          else parts.push(text);
          prev = undefined;
          continue;
        }
        // A nested class is a union: only a positive one can be inlined.
        const nested = this.charClass();
        if (nested.startsWith('[^')) this.unsupported(nested, 'a negated class nested in a class', this.pos);
        parts.push(nested.slice(1, -1));
        prev = undefined;
        continue;
      }
      if (c === '-' && prev !== undefined && this.peek(1) !== ']' && this.pos + 1 < this.src.length) {
        const rangeAt = this.pos;
        this.pos++;
        const to = this.classChar();
        if (to.kind !== 'char' && this.ecma) {
          // `[a-\d]` without the `u` flag: a literal '-' beside the set.
          parts.push('\\-');
          if (to.negated) negatedSets.push({ text: to.text, construct: this.src.slice(rangeAt, this.pos) });
          else parts.push(to.text);
          prev = undefined;
          continue;
        }
        if (to.kind !== 'char') this.invalid('-', 'unmatched range specifier in char-class', rangeAt);
        if (to.cp < prev) this.invalid(this.src.slice(rangeAt - 1, this.pos), 'empty range in char class', rangeAt);
        parts.push(`-${literal(to.cp)}`);
        prev = undefined;
        continue;
      }
      const at = this.pos;
      const item = this.classChar();
      if (item.kind === 'char') {
        parts.push(literal(item.cp));
        prev = item.cp;
      } else {
        if (!this.ecma && this.peek() === '-' && this.peek(1) !== ']')
          this.invalid(this.src.slice(at, this.pos + 1), 'unmatched range specifier in char-class', at);
        if (item.negated) negatedSets.push({ text: item.text, construct: this.src.slice(at, this.pos) });
        else parts.push(item.text);
        prev = undefined;
      }
    }
    const [only] = negatedSets;
    if (only && negatedSets.length === 1 && parts.length === 0) return `[${negated ? '' : '^'}${only.text}]`;
    for (const set of negatedSets) parts.push(this.negatedInClass(set.text, set.construct));
    return `[${negated ? '^' : ''}${parts.join('')}]`;
  }

  /** A negated set inside a class: RE2 has `\P{…}` for one category, nothing for a union. */
  private negatedInClass(text: string, construct: string): string {
    const single = /^\\p\{(\w+)\}$/.exec(text);
    if (single) return `\\P{${single[1]}}`;
    this.unsupported(construct, 'a negated multi-category set inside a class', this.pos);
  }

  private classChar(): { kind: 'char'; cp: number } | { kind: 'set'; text: string; negated: boolean } {
    if (this.peek() === '\\') {
      const c = this.src[this.pos + 1];
      if (c === 'b') {
        this.pos += 2;
        return { kind: 'char', cp: 8 };
      }
      return this.classEscape();
    }
    const cp = this.src.codePointAt(this.pos) ?? 0;
    this.pos += cp > 0xffff ? 2 : 1;
    return { kind: 'char', cp };
  }
}

/**
 * RE2 syntax for a Ruby/Oniguruma pattern; throws {@link RegexIssue}.
 *
 * @example
 * rubyToRe2('(?-mix:application\\/hal\\+json.*)') // '(?-is:application\\/hal\\+json.*)'
 */
export function rubyToRe2(source: string, options: { captures?: boolean } = {}): string {
  return new Translator(source, options.captures ?? false, false).translate();
}

/**
 * RE2 syntax for an ECMA-262 pattern without flags (JSON Schema's dialect), which must already
 * be known valid (`new RegExp` parses it); throws {@link RegexIssue} for what RE2 cannot run.
 */
export function ecmaToRe2(source: string): string {
  return new Translator(source, false, true).translate();
}
