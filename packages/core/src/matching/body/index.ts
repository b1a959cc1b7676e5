import { LimitExceededError } from '../../errors.js';
import type { HttpBody, Mismatch } from '../../model.js';
import { applyRuleList, contentFamily, failureMessage, sniffContentType } from '../matchers/apply.js';
import type { CompiledRules } from '../matchers/types.js';
import { describeBytes } from '../binary.js';
import { describeValue, mismatch, show, showBody } from '../mismatch.js';
import { selectRules } from '../rules.js';
import { parseFormOrQuery } from './form.js';
import { compareJson } from './json.js';
import { parseJsonKeepingNumbers } from './numbers.js';
import { compareMultiValues } from '../multi.js';
import { compareXml, parseXml, XmlParseError } from './xml.js';

export interface BodyPart {
  body: HttpBody;
  headers: Record<string, string[]>;
}

/** The Content-Type header of a part (first value), if any. */
export function headerContentType(headers: Record<string, string[]>): string | undefined {
  // Called for both sides of every match: no entry arrays, and no lower-casing of names that cannot match.
  for (const name in headers) {
    if (name.length !== 12 || !Object.hasOwn(headers, name) || name.toLowerCase() !== 'content-type') continue;
    const values = headers[name];
    if (values && values.length > 0 && values[0]) return values[0];
  }
  return undefined;
}

type State = 'missing' | 'null' | 'empty' | 'present';

function state(body: HttpBody): State {
  if (body.kind === 'absent') return 'missing';
  if (body.content === null || body.content === undefined) return 'null';
  if (body.content === '') return 'empty';
  return 'present';
}

/** The content type of a request/response: its header, the body's declared type, or a sniff of the body. */
export function partContentType(part: BodyPart): string | undefined {
  const header = headerContentType(part.headers);
  if (header) return header;
  const body = part.body;
  if (body.kind === 'absent') return undefined;
  if (body.contentType) return body.contentType;
  if (body.content === null || body.content === '' || body.content === undefined) return undefined;
  if (body.encoded === 'base64') return undefined;
  if (typeof body.content !== 'string' || body.encoded === 'json') return 'application/json';
  return sniffContentType(body.content);
}

/** The body as text (JSON values are serialised, base64 is decoded). */
export function bodyText(body: HttpBody): string {
  if (body.kind === 'absent' || body.content === null || body.content === undefined) return '';
  if (body.encoded === 'base64' && typeof body.content === 'string')
    return Buffer.from(body.content, 'base64').toString('utf8');
  return typeof body.content === 'string' ? body.content : JSON.stringify(body.content);
}

class JsonBodyError extends Error {}

/** A JSON body's value: parsed already, or JSON text (`encoded: 'json'`) / base64 to parse now. */
function bodyJson(body: HttpBody): unknown {
  if (body.kind === 'absent') return undefined;
  if (body.encoded === 'json' || body.encoded === 'base64') {
    const text = bodyText(body);
    try {
      return parseJsonKeepingNumbers(text);
    } catch (e) {
      if (e instanceof LimitExceededError) throw e;
      throw new JsonBodyError((e as Error).message);
    }
  }
  return body.content;
}

/**
 * Compares two bodies with pact-reference's rules: an expected body that is absent matches
 * anything; an expected empty/null body matches only an empty one; otherwise the content type
 * decides how to compare (JSON, XML, form, text, else bytes).
 */
export function matchBody(
  expected: BodyPart,
  actual: BodyPart,
  rules: CompiledRules,
  allowUnexpectedKeys: boolean,
): Mismatch[] {
  const mismatches: Mismatch[] = [];
  const expectedType = partContentType(expected);
  const actualType = partContentType(actual);
  const es = state(expected.body);
  const as = state(actual.body);
  if (expectedType && actualType && contentFamily(expectedType) !== contentFamily(actualType)) {
    if (es === 'present') {
      mismatches.push(
        mismatch(
          'body-type',
          '$',
          expectedType,
          actualType,
          `Expected a body of type ${expectedType}, but got one of type ${actualType}`,
        ),
      );
    }
    return mismatches;
  }
  if (es === 'missing') return mismatches;
  if (es === 'null' || es === 'empty') {
    if (as === 'present') {
      mismatches.push(
        mismatch(
          'body',
          '$',
          es === 'null' ? null : '',
          actual.body.kind === 'present' ? actual.body.content : undefined,
          `Expected an empty body, but got ${describeBody(actual.body)}`,
        ),
      );
    }
    return mismatches;
  }
  if (as === 'missing' || as === 'empty') {
    mismatches.push(
      mismatch(
        'body',
        '$',
        expected.body.kind === 'present' ? expected.body.content : undefined,
        undefined,
        `Expected the body ${showBody(expected.body)}, but ${as === 'missing' ? 'there was no body' : 'the body was empty'}`,
      ),
    );
    return mismatches;
  }
  const family = contentFamily(expectedType ?? actualType ?? 'text/plain');
  if (family === 'json') {
    let e: unknown;
    let a: unknown;
    try {
      e = bodyJson(expected.body);
    } catch (err) {
      mismatches.push(
        mismatch(
          'body',
          '$',
          bodyText(expected.body),
          bodyText(actual.body),
          `The expected body is not valid JSON: ${(err as Error).message}`,
        ),
      );
      return mismatches;
    }
    try {
      a = as === 'null' ? null : bodyJson(actual.body);
    } catch (err) {
      mismatches.push(
        mismatch(
          'body',
          '$',
          e,
          bodyText(actual.body),
          `Expected a JSON body, but the body could not be parsed as JSON: ${(err as Error).message}`,
        ),
      );
      return mismatches;
    }
    compareJson(['$'], e, a, { rules, allowUnexpectedKeys, mismatches });
    return mismatches;
  }
  if (family === 'xml') {
    let e;
    let a;
    try {
      e = parseXml(bodyText(expected.body));
    } catch (err) {
      if (err instanceof LimitExceededError) throw err;
      mismatches.push(
        mismatch(
          'body',
          '$',
          bodyText(expected.body),
          bodyText(actual.body),
          `The expected body is not valid XML: ${(err as Error).message}`,
        ),
      );
      return mismatches;
    }
    try {
      a = parseXml(bodyText(actual.body));
    } catch (err) {
      if (!(err instanceof XmlParseError)) throw err;
      mismatches.push(
        mismatch(
          'body',
          '$',
          bodyText(expected.body),
          bodyText(actual.body),
          `Expected an XML body, but the body could not be parsed as XML: ${err.message}`,
        ),
      );
      return mismatches;
    }
    compareXml(e, a, { rules, allowUnexpectedKeys, mismatches });
    return mismatches;
  }
  if (family === 'application/x-www-form-urlencoded') {
    compareMultiValues(parseFormOrQuery(bodyText(expected.body)), parseFormOrQuery(bodyText(actual.body)), {
      kind: 'body',
      noun: 'form field',
      rules,
      allowUnexpected: allowUnexpectedKeys,
      mismatches,
    });
    return mismatches;
  }
  const e = bodyText(expected.body);
  const a = bodyText(actual.body);
  const selected = rules.rules.length > 0 ? selectRules(rules, ['$']) : undefined;
  if (selected) {
    // Binary bodies reach the matchers as bytes (contentType sniffs their magic number), never as lossy text.
    const binary = isBase64(expected.body) || isBase64(actual.body);
    const ev = binary ? bodyBytes(expected.body) : e;
    const av = binary ? bodyBytes(actual.body) : a;
    for (const f of applyRuleList(selected.list, ev, av, false, 'text')) {
      const [me, ma] = binary
        ? [bodyBytes(expected.body).toString('base64'), bodyBytes(actual.body).toString('base64')]
        : [e, a];
      mismatches.push(mismatch('body', '$', me, ma, failureMessage('the body', f, av)));
    }
  } else if (isBase64(expected.body) || isBase64(actual.body)) {
    // Binary: compare bytes, not a lossy text rendering.
    const eb = bodyBytes(expected.body);
    const ab = bodyBytes(actual.body);
    if (!eb.equals(ab)) {
      mismatches.push(
        mismatch(
          'body',
          '$',
          eb.toString('base64'),
          ab.toString('base64'),
          `Expected the body to equal the pact's ${describeBytes(eb, expectedType)}, but got ${describeBytes(ab, actualType)}`,
        ),
      );
    }
  } else if (e !== a) {
    mismatches.push(mismatch('body', '$', e, a, `Expected the body to be ${show(e)}, but got ${show(a)}`));
  }
  return mismatches;
}

function isBase64(body: HttpBody): boolean {
  return body.kind === 'present' && body.encoded === 'base64';
}

function bodyBytes(body: HttpBody): Buffer {
  if (body.kind === 'present' && body.encoded === 'base64' && typeof body.content === 'string')
    return Buffer.from(body.content, 'base64');
  return Buffer.from(bodyText(body), 'utf8');
}

function describeBody(body: HttpBody): string {
  if (body.kind === 'absent') return 'no body';
  return typeof body.content === 'string' ? `the text ${show(body.content)}` : describeValue(body.content);
}
