/**
 * The last `capacity` bytes a terminal printed, kept as the chunks they arrived in (the oldest
 * one cut at the front when it straddles the limit). A socket that attaches gets `snapshot()`
 * and, from the same tick on, every new chunk: nothing twice, nothing missed.
 */
export class OutputLog {
  #chunks: Uint8Array[] = [];
  #bytes = 0;

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.#bytes;
  }

  push(chunk: Uint8Array): void {
    if (chunk.byteLength === 0) return;
    // The PTY reuses nothing we are given, but keep a copy of our own to be safe from callers.
    const own =
      chunk.byteLength > this.capacity ? chunk.slice(chunk.byteLength - this.capacity) : chunk.slice();
    this.#chunks.push(own);
    this.#bytes += own.byteLength;
    while (this.#bytes > this.capacity) {
      const first = this.#chunks[0]!;
      const over = this.#bytes - this.capacity;
      if (first.byteLength <= over) {
        this.#chunks.shift();
        this.#bytes -= first.byteLength;
      } else {
        this.#chunks[0] = first.subarray(over);
        this.#bytes -= over;
      }
    }
  }

  /** Everything retained, in order, as one buffer. */
  snapshot(): Uint8Array {
    const out = new Uint8Array(this.#bytes);
    let at = 0;
    for (const chunk of this.#chunks) {
      out.set(chunk, at);
      at += chunk.byteLength;
    }
    return out;
  }
}
