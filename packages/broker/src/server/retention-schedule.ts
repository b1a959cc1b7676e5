import type { Storage } from '../storage/database.js';
import { cleanStorage, type CleanReport, type RetentionRules } from '../storage/retention.js';

export interface RetentionSchedule extends RetentionRules {
  /** Time between two cleans, in milliseconds; the first runs when the broker starts. */
  everyMs: number;
  /** Told after each clean (the CLI prints a line). */
  onClean?: (report: CleanReport) => void;
  /** Told when a clean fails; nothing was deleted (one transaction) and the next one runs on time. */
  onError?: (error: unknown) => void;
}

// setTimeout fires at once for delays over 2^31-1 ms (about 24.8 days); longer waits are chained.
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Runs `cleanStorage` on a timer that never keeps the process alive. */
export class RetentionScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly storage: Storage,
    private readonly schedule: RetentionSchedule,
  ) {}

  start(): void {
    this.wait(0);
  }

  private wait(ms: number): void {
    if (this.stopped) return;
    const step = Math.min(ms, MAX_TIMER_MS);
    this.timer = setTimeout(() => (ms > step ? this.wait(ms - step) : this.run()), step);
    this.timer.unref();
  }

  private run(): void {
    this.running = cleanStorage(this.storage, this.schedule)
      .then(
        (report) => this.schedule.onClean?.(report),
        (error: unknown) => this.schedule.onError?.(error),
      )
      .finally(() => {
        this.running = undefined;
        this.wait(this.schedule.everyMs);
      });
  }

  /** Stops the timer and waits for a clean in progress, so the database can be closed after it. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }
}
