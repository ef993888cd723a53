/**
 * Hybrid retrieval: keyword (BM25) and vector results merged by reciprocal rank fusion. RRF only
 * looks at ranks, so it needs no calibration between BM25 scores and cosine similarities, and a
 * chunk that both retrievers rank well beats one that only a single retriever likes.
 */
import type { LexicalIndex, Scored } from "./lexical.ts";
import type { Chunk, Embedder } from "./types.ts";

export type { Scored } from "./lexical.ts";

/**
 * Fuse ranked lists: score(d) = Σ 1/(k + rank) over the lists that contain d (rank from 1),
 * divided by the best possible sum (rank 1 in every list), so 1 means "first everywhere".
 */
export function fuse(lists: Scored[][], opts: { k?: number; limit: number }): Scored[] {
  const k = opts.k ?? 60;
  const sums = new Map<string, number>();
  for (const list of lists) {
    const seen = new Set<string>();
    list.forEach((hit, i) => {
      if (seen.has(hit.id)) return; // a duplicate in one list must not count twice
      seen.add(hit.id);
      sums.set(hit.id, (sums.get(hit.id) ?? 0) + 1 / (k + i + 1));
    });
  }
  const max = lists.length / (k + 1);
  return [...sums]
    .map(([id, sum]) => ({ id, score: max > 0 ? sum / max : 0 }))
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .slice(0, opts.limit);
}

export type VectorSearch = (vector: number[], limit: number) => Promise<Scored[]>;

/**
 * The text a chunk is embedded as: where it lives, what it is named (twice: a name says more about
 * a chunk than any single line of its body), then its code.
 */
export function embeddingText(chunk: Chunk): string {
  const names = `${chunk.className ?? ""} ${chunk.functionName ?? ""}`;
  return [chunk.path, names, names, chunk.content].join("\n");
}

export class HybridSearch {
  constructor(
    private readonly lexical: LexicalIndex,
    private readonly embedder: Embedder,
    private readonly vectors: VectorSearch,
    /** How many candidates each retriever contributes before fusion. */
    private readonly depth = 50,
  ) {}

  async search(query: string, limit: number, signal?: AbortSignal): Promise<Scored[]> {
    const [vector] = await this.embedder.embed([query], signal);
    const [semantic, keyword] = await Promise.all([
      vector ? this.vectors(vector, this.depth) : Promise.resolve([]),
      Promise.resolve(this.lexical.search(query, this.depth)),
    ]);
    return fuse([keyword, semantic], { limit });
  }
}
