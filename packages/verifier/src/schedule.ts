/** Runs tasks with at most `limit` in flight, in the order they were queued. */
export function limiter(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  // A queue with a moving head: tens of thousands of waiters without O(n) shifts.
  const waiting: (() => void)[] = [];
  let head = 0;
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else active++;
    try {
      return await task();
    } finally {
      if (head < waiting.length) {
        const next = waiting[head]!;
        waiting[head++] = undefined as unknown as () => void;
        if (head > 1024 && head * 2 > waiting.length) {
          waiting.splice(0, head);
          head = 0;
        }
        next();
      } else active--;
    }
  };
}

/** Runs tasks one at a time, in the order they were queued. */
export function lane(): <T>(task: () => Promise<T>) => Promise<T> {
  return limiter(1);
}
