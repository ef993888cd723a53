/** A fence opening or closing a code block: up to three spaces, then three or more ` or ~. */
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * Cut a Markdown answer that arrives in pieces into blocks that are complete — ended by a blank
 * line outside a code fence, or by a fence's closing line — so each is rendered once as it
 * completes, while only the text after the last one (the tail) changes with every token.
 * Scans each line once. Do not use it for the final answer: blocks rendered one by one can
 * differ from the whole (a loose list is cut into several); render the whole text at the end.
 */
export class MarkdownBlocks {
  #text = "";
  /** Where the first line not yet scanned starts. */
  #line = 0;
  /** Where the text not yet handed out as blocks starts. */
  #cut = 0;
  /** The fence of the open code block, if one is open. */
  #fence: string | undefined;

  /** Add the next piece of the answer; answer the Markdown of the blocks it completed ("" if none). */
  push(piece: string): string {
    this.#text += piece;
    let end = this.#cut;
    for (let nl = this.#text.indexOf("\n", this.#line); nl >= 0; nl = this.#text.indexOf("\n", this.#line)) {
      const line = this.#text.slice(this.#line, nl);
      this.#line = nl + 1;
      const fence = FENCE.exec(line)?.[1];
      if (this.#fence) {
        const closes =
          fence !== undefined &&
          fence[0] === this.#fence[0] &&
          fence.length >= this.#fence.length &&
          line.trim() === fence;
        if (closes) {
          this.#fence = undefined;
          end = this.#line;
        }
      } else if (fence) this.#fence = fence;
      else if (line.trim() === "") end = this.#line;
    }
    const blocks = this.#text.slice(this.#cut, end);
    this.#cut = end;
    return blocks;
  }
}
