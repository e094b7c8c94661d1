/**
 * A fixed set of resources handed out one request at a time, first come first served. The engine keeps its
 * context sequences here: a sequence holds one conversation's KV cache and is not safe to share, so a request
 * waits for a free one; a waiting request whose client gives up leaves the queue at once.
 */
export class Pool<T> {
  readonly #free: T[];
  readonly #waiting: { resolve: (item: T) => void; reject: (reason: unknown) => void; signal: AbortSignal | undefined; onAbort: () => void }[] = [];

  constructor(items: readonly T[]) {
    this.#free = [...items];
  }

  /** Number of requests queued for an item. */
  get waiting(): number {
    return this.#waiting.length;
  }

  acquire(signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const item = this.#free.pop();
    if (item !== undefined) return Promise.resolve(item);
    return new Promise<T>((resolve, reject) => {
      const waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          this.#waiting.splice(this.#waiting.indexOf(waiter), 1);
          reject(signal?.reason);
        },
      };
      signal?.addEventListener("abort", waiter.onAbort, { once: true });
      this.#waiting.push(waiter);
    });
  }

  release(item: T): void {
    const next = this.#waiting.shift();
    if (next === undefined) {
      this.#free.push(item);
      return;
    }
    next.signal?.removeEventListener("abort", next.onAbort);
    next.resolve(item);
  }

  /** Runs `work` with an item, returning it to the pool however `work` ends. */
  async use<R>(signal: AbortSignal | undefined, work: (item: T) => Promise<R>): Promise<R> {
    const item = await this.acquire(signal);
    try {
      return await work(item);
    } finally {
      this.release(item);
    }
  }
}
