import type { Storage } from '../storage/database.js';
import { now } from '../storage/pacticipants.js';
import type { HostAllowList } from './hosts.js';
import { maskHeaders, maskUrl, renderRequest, type Variables, type WebhookRequest } from './template.js';

export interface DeliveryOptions {
  /** Longest wait for a receiver's answer, in ms (default 10 s); a receiver that hangs is an attempt that failed. */
  timeoutMs?: number;
  /** Waits before the 2nd, 3rd, … attempt, in ms (default 10 s, 1 min, 5 min, 30 min, 2 h): six attempts in all. */
  retryDelaysMs?: number[];
  /** How often the queue is read when nothing wakes it (default 5 s). */
  pollIntervalMs?: number;
}

const DEFAULT_DELAYS = [10_000, 60_000, 300_000, 1_800_000, 7_200_000];
const BATCH = 20;
const KEEP_BODY = 4096;

const later = (ms: number) => new Date(Date.now() + ms).toISOString();

/**
 * Sends queued webhook deliveries. It reads the queue from the database, so deliveries survive a
 * restart; each is claimed with a lease before it is sent, so several brokers on one PostgreSQL
 * database never send the same delivery at once, and one that died mid-send leaves it to be
 * retried when the lease runs out.
 */
export class WebhookDispatcher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private readonly closing = new AbortController();
  private readonly timeoutMs: number;
  private readonly delays: number[];
  private readonly pollMs: number;

  constructor(
    private readonly storage: Storage,
    private readonly hosts: HostAllowList,
    options: DeliveryOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.delays = options.retryDelaysMs ?? DEFAULT_DELAYS;
    this.pollMs = options.pollIntervalMs ?? 5_000;
  }

  start(): void {
    this.kick();
  }

  /** Reads the queue now (after a write that may have queued something), else at the next poll. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = this.drain()
      .catch(() => {
        // A database hiccup must not stop delivery; the next poll tries again.
      })
      .finally(() => {
        this.running = undefined;
        if (this.stopped) return;
        if (this.again) {
          this.again = false;
          this.kick();
        } else this.timer = setTimeout(() => this.kick(), this.pollMs).unref();
      });
  }

  /** Stops reading the queue and abandons sends in flight; what they were sending stays queued. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.closing.abort();
    await this.running;
  }

  private async drain(): Promise<void> {
    for (;;) {
      const at = now();
      const due = await this.storage.db
        .selectFrom('webhook_deliveries')
        .select('id')
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', at)
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', at)]))
        .orderBy('id')
        .limit(BATCH)
        .execute();
      if (due.length === 0 || this.stopped) return;
      let claimedAny = false;
      await Promise.all(
        due.map(async ({ id }) => {
          if (await this.claim(id)) {
            claimedAny = true;
            await this.deliver(id);
          }
        }),
      );
      if (!claimedAny) return;
    }
  }

  private async claim(id: number): Promise<boolean> {
    const at = now();
    const result = await this.storage.db
      .updateTable('webhook_deliveries')
      .set({ locked_until: later(this.timeoutMs + 30_000) })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', at)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  private async deliver(id: number): Promise<void> {
    const { db } = this.storage;
    const delivery = await db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const webhook = await db
      .selectFrom('webhooks')
      .select('content')
      .where('uuid', '=', delivery.webhook_uuid)
      .executeTakeFirst();
    const attempt = delivery.attempts + 1;
    const startedAt = now();
    if (!webhook) return this.finish(id, attempt, 'failed', { startedAt, error: 'the webhook was deleted' });
    const request = (JSON.parse(webhook.content) as { request: WebhookRequest }).request;
    const rendered = renderRequest(request, JSON.parse(delivery.variables) as Variables);
    const shown = JSON.stringify({
      method: rendered.method,
      url: maskUrl(rendered.url),
      headers: maskHeaders(rendered.headers),
      ...(rendered.body !== undefined ? { body: rendered.body.slice(0, KEEP_BODY) } : {}),
    });
    let url: URL;
    try {
      url = new URL(rendered.url);
    } catch {
      return this.finish(id, attempt, 'failed', { startedAt, request: shown, error: 'the URL is not valid' });
    }
    // Checked again at send time: the operator may have narrowed the list since the webhook was made.
    const refusal = this.hosts.refusal(url);
    if (refusal) return this.finish(id, attempt, 'failed', { startedAt, request: shown, error: refusal });

    const started = performance.now();
    const timeout = AbortSignal.timeout(this.timeoutMs);
    let statusCode: number | undefined;
    let responseBody: string | undefined;
    let error: string | undefined;
    try {
      const response = await fetch(url, {
        method: rendered.method,
        headers: rendered.headers,
        ...(rendered.body !== undefined && !['GET', 'HEAD'].includes(rendered.method) ? { body: rendered.body } : {}),
        // A redirect could lead to a host the operator did not allow.
        redirect: 'manual',
        signal: AbortSignal.any([timeout, this.closing.signal]),
      });
      statusCode = response.status;
      responseBody = (await response.text()).slice(0, KEEP_BODY);
      if (statusCode < 200 || statusCode >= 300) error = `the receiver answered ${statusCode}`;
    } catch (e) {
      if (this.closing.signal.aborted) {
        // The broker is stopping: the delivery stays queued for the next start, this try not counted.
        await db.updateTable('webhook_deliveries').set({ locked_until: null }).where('id', '=', id).execute();
        return;
      }
      error = timeout.aborted ? `no answer within ${this.timeoutMs} ms` : `the request failed: ${describe(e)}`;
    }
    const durationMs = Math.round(performance.now() - started);
    const outcome = error === undefined ? 'succeeded' : attempt > this.delays.length ? 'failed' : 'pending';
    await this.finish(id, attempt, outcome, {
      startedAt,
      durationMs,
      request: shown,
      ...(statusCode !== undefined ? { statusCode } : {}),
      ...(responseBody !== undefined ? { responseBody } : {}),
      ...(error !== undefined ? { error } : {}),
    });
  }

  private async finish(
    id: number,
    attempt: number,
    status: 'succeeded' | 'failed' | 'pending',
    log: {
      startedAt: string;
      durationMs?: number;
      request?: string;
      statusCode?: number;
      responseBody?: string;
      error?: string;
    },
  ): Promise<void> {
    await this.storage.transaction(async (trx) => {
      await trx
        .insertInto('webhook_attempts')
        .values({
          delivery_id: id,
          attempt,
          started_at: log.startedAt,
          duration_ms: log.durationMs ?? 0,
          status_code: log.statusCode ?? null,
          error: log.error ?? null,
          request: log.request ?? '{}',
          response_body: log.responseBody ?? null,
        })
        .execute();
      await trx
        .updateTable('webhook_deliveries')
        .set({
          status,
          attempts: attempt,
          locked_until: null,
          updated_at: now(),
          ...(status === 'pending' ? { next_attempt_at: later(this.delays[attempt - 1] ?? 0) } : {}),
        })
        .where('id', '=', id)
        .execute();
    });
  }
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return `${cause.code}${cause.message ? ` (${cause.message})` : ''}`;
  return (error as Error).message ?? String(error);
}
