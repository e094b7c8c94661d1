/**
 * Turns callbacks into an async iterable: node-llama-cpp reports generated text through `onTextChunk`, a stream
 * consumer pulls with `for await`. Items pushed before the consumer asks are buffered (at most one response's
 * text, which the engine's token cap bounds).
 */
export class Channel<T> implements AsyncIterable<T> {
  readonly #buffer: T[] = [];
  #ended = false;
  #failure: { reason: unknown } | undefined;
  #wake: (() => void) | undefined;

  push(item: T): void {
    if (this.#ended) return;
    this.#buffer.push(item);
    this.#notify();
  }

  close(): void {
    this.#ended = true;
    this.#notify();
  }

  /** Ends the channel with an error the consumer sees after the items already pushed. */
  fail(reason: unknown): void {
    if (this.#ended) return;
    this.#failure = { reason };
    this.close();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      if (this.#buffer.length > 0) {
        yield this.#buffer.shift() as T;
        continue;
      }
      if (this.#ended) {
        if (this.#failure) throw this.#failure.reason;
        return;
      }
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}
