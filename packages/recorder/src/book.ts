import { createHash } from 'node:crypto';
import { pathPatternRegex, type MatcherDefinition, type RuleList } from '@cutover/core';
import { parseBody, type ParsedBody } from './body.js';
import type { Exchange } from './exchange.js';
import { templatePath } from './infer/path.js';
import { inferBody, shapeOf, stringMatcher } from './infer/values.js';
import { createRedactor, redactExchange, REDACTED, type RedactionOptions, type Redactor } from './redact.js';

/** How observations become interactions. */
export interface BookOptions {
  /** The provider every pact names. */
  provider: string;
  /** Path templates (`/orders/{id}`), e.g. an OpenAPI document's paths; otherwise templates are inferred. */
  pathTemplates?: readonly string[];
  /** Distinct shapes kept per group (method + path template + status); default 5. */
  maxShapesPerGroup?: number;
  /** Observations of one shape used to infer its matchers; default 20 (later ones are counted). */
  samplesPerShape?: number;
  /** Interactions per consumer, all groups together; default 500. */
  maxInteractionsPerConsumer?: number;
  /** Response headers written into the pact (lower case); default `['content-type']`. */
  responseHeaders?: readonly string[];
  redaction?: RedactionOptions;
}

/** Request headers that describe the connection, the client software or the trace, not the API call. */
const TRANSPORT_HEADERS = new Set([
  'host',
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
  'content-length',
  'accept-encoding',
  'user-agent',
  'expect',
  'date',
  'via',
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-forwarded-port',
  'x-real-ip',
  'x-request-id',
  'x-correlation-id',
  'traceparent',
  'tracestate',
  'baggage',
  'b3',
  'x-amzn-trace-id',
  'x-cloud-trace-context',
  'cache-control',
  'pragma',
  'if-none-match',
  'if-modified-since',
  'if-match',
  'if-unmodified-since',
]);

const isTransportHeader = (name: string) =>
  TRANSPORT_HEADERS.has(name) || name.startsWith('x-b3-') || name.startsWith('sec-') || name.startsWith(':');

/** The outcome of adding one observation. */
export type AddOutcome =
  | { recorded: true; consumer: string; group: string; newInteraction: boolean }
  | { recorded: false; consumer: string; group: string; reason: 'group-capped' | 'consumer-capped' };

interface Sample {
  exchange: Exchange;
  request?: ParsedBody | undefined;
  response?: ParsedBody | undefined;
}

interface Shape {
  group: string;
  template: string;
  ordinal: number;
  samples: Sample[];
  observed: number;
}

interface ConsumerBook {
  shapes: Map<string, Shape>;
  groups: Map<string, number>;
  revision: number;
}

/** Per group: how many observations in a row taught nothing new (no new shape, no new sample). */
interface GroupActivity {
  quiet: number;
  skipped: number;
}

/** After this many quiet observations, a group is analysed once per {@link SAMPLE_EVERY}. */
const QUIET_AFTER = 100;
const SAMPLE_EVERY = 16;

/** A V4 pact as written to disk. */
export interface PactDocument {
  consumer: { name: string };
  provider: { name: string };
  interactions: Record<string, unknown>[];
  metadata: Record<string, unknown>;
}

/**
 * Collects observations and turns them into V4 pacts: one per consumer, interactions grouped by
 * method + path template + status, one interaction per distinct shape (query names, request and
 * response body shapes) up to a cap per group, matchers inferred over every kept sample of a shape.
 * Secrets are redacted before anything is kept.
 *
 * @example
 * const book = new PactBook({ provider: 'logistics' });
 * book.add(exchange, 'mobile-app');
 * for (const pact of book.pacts()) console.log(pact.consumer.name, pact.interactions.length);
 */
export class PactBook {
  private readonly consumers = new Map<string, ConsumerBook>();
  private readonly activity = new Map<string, GroupActivity>();
  private readonly redactor: Redactor;
  private readonly options: Required<Omit<BookOptions, 'redaction'>>;

  constructor(options: BookOptions) {
    this.redactor = createRedactor(options.redaction);
    this.options = {
      provider: options.provider,
      pathTemplates: options.pathTemplates ?? [],
      maxShapesPerGroup: options.maxShapesPerGroup ?? 5,
      samplesPerShape: options.samplesPerShape ?? 20,
      maxInteractionsPerConsumer: options.maxInteractionsPerConsumer ?? 500,
      responseHeaders: (options.responseHeaders ?? ['content-type']).map((h) => h.toLowerCase()),
    };
  }

  /**
   * Adds one observation for a consumer. A group that has taught nothing new for 100 observations
   * in a row (no new shape, every shape's samples full) is analysed once in 16 observations from
   * then on, so steady traffic costs little; the first new shape seen brings it back to every one.
   */
  add(raw: Exchange, consumer: string): AddOutcome {
    const method = raw.method.toUpperCase();
    const template = templatePath(raw.path, this.options.pathTemplates);
    const group = `${method} ${template} ${raw.status}`;
    const activityKey = `${consumer}\n${group}`;
    let activity = this.activity.get(activityKey);
    if (!activity) this.activity.set(activityKey, (activity = { quiet: 0, skipped: 0 }));
    if (activity.quiet >= QUIET_AFTER && ++activity.skipped % SAMPLE_EVERY !== 0)
      return { recorded: true, consumer, group, newInteraction: false };
    const outcome = this.analyse(raw, consumer, method, template, group);
    const learned = outcome.recorded && (outcome.newInteraction || outcome.newSample);
    activity.quiet = learned ? 0 : activity.quiet + 1;
    const { newSample: _, ...result } = outcome as AddOutcome & { newSample?: boolean };
    return result;
  }

  private analyse(
    raw: Exchange,
    consumer: string,
    method: string,
    template: string,
    group: string,
  ): AddOutcome & { newSample?: boolean } {
    const exchange = redactExchange(raw, this.redactor);
    const request = this.redactBody(parseBody(exchange.requestBody, exchange.requestHeaders));
    const response = this.redactBody(parseBody(exchange.responseBody, exchange.responseHeaders));
    const key = [group, Object.keys(exchange.query).sort().join('&'), bodyShape(request), bodyShape(response)].join(
      '|',
    );

    let book = this.consumers.get(consumer);
    if (!book) {
      book = { shapes: new Map(), groups: new Map(), revision: 0 };
      this.consumers.set(consumer, book);
    }
    const shape = book.shapes.get(key);
    if (shape) {
      shape.observed++;
      if (shape.samples.length >= this.options.samplesPerShape)
        return { recorded: true, consumer, group, newInteraction: false, newSample: false };
      shape.samples.push({ exchange, request, response });
      book.revision++;
      return { recorded: true, consumer, group, newInteraction: false, newSample: true };
    }
    const inGroup = book.groups.get(group) ?? 0;
    if (inGroup >= this.options.maxShapesPerGroup) return { recorded: false, consumer, group, reason: 'group-capped' };
    if (book.shapes.size >= this.options.maxInteractionsPerConsumer)
      return { recorded: false, consumer, group, reason: 'consumer-capped' };
    book.groups.set(group, inGroup + 1);
    book.shapes.set(key, {
      group,
      template,
      ordinal: inGroup + 1,
      samples: [{ exchange, request, response }],
      observed: 1,
    });
    book.revision++;
    return { recorded: true, consumer, group, newInteraction: true };
  }

  /** The consumers seen so far, each with a revision that changes whenever its pact would. */
  revisions(): Map<string, number> {
    return new Map([...this.consumers].map(([name, book]) => [name, book.revision]));
  }

  /** The pact of one consumer. */
  pact(consumer: string): PactDocument {
    const book = this.consumers.get(consumer);
    const interactions = [...(book?.shapes.values() ?? [])]
      .map((shape) => this.interaction(consumer, shape))
      .sort((a, b) => String(a.description).localeCompare(String(b.description)));
    return {
      consumer: { name: consumer },
      provider: { name: this.options.provider },
      interactions,
      metadata: { pactSpecification: { version: '4.0' }, cutover: { source: 'cutover record' } },
    };
  }

  /** Every consumer's pact. */
  pacts(): PactDocument[] {
    return [...this.consumers.keys()].sort().map((c) => this.pact(c));
  }

  private redactBody(body: ParsedBody | undefined): ParsedBody | undefined {
    if (body?.kind === 'json') return { ...body, value: this.redactor.json(body.value) };
    if (body?.kind === 'text' && body.contentType.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
      const form = new URLSearchParams(body.text);
      for (const name of new Set(form.keys())) if (this.redactor.key(name)) form.set(name, REDACTED);
      return { ...body, text: form.toString() };
    }
    return body;
  }

  private interaction(consumer: string, shape: Shape): Record<string, unknown> {
    const first = shape.samples[0]!;
    const { exchange } = first;
    const names = Object.keys(exchange.query);
    const description = `${shape.group.replace(/ (\d{3})$/, names.length > 0 ? `?${names.join('&')} → $1` : ' → $1')}${shape.ordinal > 1 ? ` (shape ${shape.ordinal})` : ''}`;

    const requestRules: Record<string, Record<string, RuleList>> = {};
    if (shape.template !== exchange.path && shape.template.includes('{'))
      requestRules.path = { '': rule({ match: 'regex', regex: pathPatternRegex(shape.template) }) };
    if (names.length > 0)
      requestRules.query = Object.fromEntries(
        names.map((n) => [n, rule(stringMatcher(shape.samples.map((s) => s.exchange.query[n]?.[0] ?? '')))]),
      );
    const requestHeaders = pickHeaders(exchange.requestHeaders, (n) => !isTransportHeader(n));
    const headerRules = redactedHeaderRules(requestHeaders, this.redactor);
    if (headerRules) requestRules.header = headerRules;
    const request: Record<string, unknown> = { method: exchange.method.toUpperCase(), path: exchange.path };
    if (names.length > 0) request.query = exchange.query;
    if (Object.keys(requestHeaders).length > 0) request.headers = requestHeaders;
    const comments: string[] = [
      `Recorded by cutover record from ${shape.observed} analysed observation${shape.observed === 1 ? '' : 's'} of ${shape.group}.`,
    ];
    addBody(
      request,
      requestRules,
      shape.samples.map((s) => s.request),
      'request',
      comments,
    );

    const responseRules: Record<string, Record<string, RuleList>> = {};
    const allowed = new Set(this.options.responseHeaders);
    const responseHeaders = pickHeaders(exchange.responseHeaders, (n) => allowed.has(n));
    const responseHeaderRules = redactedHeaderRules(responseHeaders, this.redactor);
    if (responseHeaderRules) responseRules.header = responseHeaderRules;
    const response: Record<string, unknown> = { status: exchange.status };
    if (Object.keys(responseHeaders).length > 0) response.headers = responseHeaders;
    addBody(
      response,
      responseRules,
      shape.samples.map((s) => s.response),
      'response',
      comments,
    );

    if (Object.keys(requestRules).length > 0) request.matchingRules = requestRules;
    if (Object.keys(responseRules).length > 0) response.matchingRules = responseRules;
    return {
      type: 'Synchronous/HTTP',
      key: createHash('sha256').update(`${consumer}\n${description}`).digest('hex').slice(0, 16),
      description,
      pending: false,
      providerStates: [],
      request,
      response,
      comments: { text: comments },
    };
  }
}

const rule = (matcher: MatcherDefinition): RuleList => ({ combine: 'AND', matchers: [matcher] });

function bodyShape(body: ParsedBody | undefined): string {
  if (body === undefined) return '-';
  return body.kind === 'json' ? `json:${shapeOf(body.value)}` : body.kind;
}

/** Headers with their names as first written (`Content-Type`), lower-case input kept otherwise. */
function pickHeaders(headers: Record<string, string[]>, keep: (name: string) => boolean): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(headers)) if (keep(name)) out[canonicalName(name)] = values;
  return out;
}

function canonicalName(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());
}

function redactedHeaderRules(
  headers: Record<string, string[]>,
  redactor: Redactor,
): Record<string, RuleList> | undefined {
  const names = Object.keys(headers).filter((n) => redactor.header(n));
  return names.length > 0 ? Object.fromEntries(names.map((n) => [n, rule({ match: 'type' })])) : undefined;
}

function addBody(
  target: Record<string, unknown>,
  rules: Record<string, Record<string, RuleList>>,
  bodies: (ParsedBody | undefined)[],
  side: 'request' | 'response',
  comments: string[],
): void {
  const first = bodies[0];
  if (first === undefined) return;
  if (first.kind === 'json') {
    const { example, rules: bodyRules } = inferBody(bodies.map((b) => (b as { value: unknown }).value));
    target.body = { content: example, contentType: first.contentType, encoded: false };
    if (Object.keys(bodyRules).length > 0) rules.body = bodyRules;
  } else if (first.kind === 'text') {
    target.body = { content: first.text, contentType: first.contentType, encoded: false };
  } else {
    comments.push(
      `The ${side} body (${first.contentType}, ${first.size} bytes) is binary and was not recorded; only its content type is.`,
    );
  }
}
