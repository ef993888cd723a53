/**
 * Hybrid retrieval: keyword (BM25) and vector results merged into one ranking with a 0..1
 * relevance score. The default fusion is a weighted sum of each retriever's scores divided by its
 * best score for the query (`fuseScores`); it keeps how far apart the candidates are, which rank
 * fusion throws away, and beat reciprocal rank fusion (`fuse`, still available) by about 0.02
 * MRR@10 on the stdlib eval (test/bench/context.ts). Either way a chunk that both retrievers like
 * beats one that only a single retriever likes. `HybridSearch` then re-ranks the fused candidates
 * by how the query meets each one's name and declaration line (`rerank`, +0.014 MRR@10).
 */
import { type LexicalIndex, signatureOf } from "./lexical.ts";
import { rerank } from "./rerank.ts";
import type { Chunk, Embedder, Scored } from "./types.ts";

/**
 * Reciprocal rank fusion: score(d) = Σ 1/(k + rank) over the lists that contain d (rank from 1),
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
  return ranked(sums, max, opts.limit);
}

/**
 * Score fusion: score(d) = Σ wᵢ · scoreᵢ(d) / bestᵢ over the lists that contain d, where bestᵢ is
 * list i's top score (each list best first, scores ≥ 0 — BM25 and hashed-feature cosines are),
 * divided by Σ wᵢ so 1 means "the best in every list". Ties go to the smaller id.
 */
export function fuseScores(lists: Scored[][], opts: { weights?: number[]; limit: number }): Scored[] {
  const sums = new Map<string, number>();
  let total = 0;
  lists.forEach((list, i) => {
    const weight = opts.weights?.[i] ?? 1;
    total += weight;
    const best = list[0]?.score ?? 0;
    if (!(best > 0)) return; // nothing to scale by: this list only adds ties at zero
    const seen = new Set<string>();
    for (const hit of list) {
      if (seen.has(hit.id)) continue; // a duplicate in one list must not count twice
      seen.add(hit.id);
      sums.set(hit.id, (sums.get(hit.id) ?? 0) + (weight * Math.max(0, hit.score)) / best);
    }
  });
  return ranked(sums, total, opts.limit);
}

function ranked(sums: Map<string, number>, max: number, limit: number): Scored[] {
  return [...sums]
    .map(([id, sum]) => ({ id, score: max > 0 ? sum / max : 0 }))
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .slice(0, limit);
}

export type VectorSearch = (vector: number[], limit: number) => Promise<Scored[]>;

/**
 * The text a chunk is embedded as: where it lives, what it is named (three times) and its
 * declaration line (twice: a name and signature say more about a chunk than any line of its body),
 * then its code.
 */
export function embeddingText(chunk: Chunk): string {
  const names = `${chunk.className ?? ""} ${chunk.functionName ?? ""}`;
  const signature = signatureOf(chunk);
  return [chunk.path, names, names, names, signature, signature, chunk.content].join("\n");
}

/** An embedder that can weight a query's words (the embedded HashedFeatureEmbedder). */
interface WeightingEmbedder extends Embedder {
  embedQuery(text: string, weightOf: (word: string) => number): ArrayLike<number>;
}

const weighting = (e: Embedder): e is WeightingEmbedder =>
  typeof (e as Partial<WeightingEmbedder>).embedQuery === "function";

/**
 * Hits scoring under this share of the best one are dropped: in a small project every chunk
 * shares a letter n-gram or two with any query, and a list of such near-zero matches under the
 * one that fits is noise in the search panel and wasted tokens in the AI's context.
 */
const RELEVANCE_FLOOR = 0.05;

/** Keyword scores count 1.5× the vector's (chosen on half of the eval's queries). */
const WEIGHTS = [1.5, 1];

export class HybridSearch {
  constructor(
    private readonly lexical: LexicalIndex,
    private readonly embedder: Embedder,
    private readonly vectors: VectorSearch,
    /** How many candidates each retriever contributes before fusion. */
    private readonly depth = 50,
  ) {}

  /**
   * The query's vector. An embedder that weights words gets √IDF from the keyword index (BM25's
   * IDF), so "socket" outweighs "object" in "return the socket object"; others embed it as is.
   */
  async queryVector(query: string, signal?: AbortSignal): Promise<number[] | undefined> {
    const documentFrequency = this.lexical.documentFrequency?.bind(this.lexical);
    if (weighting(this.embedder) && documentFrequency) {
      signal?.throwIfAborted();
      const vector = this.embedder.embedQuery(query, (word) => Math.sqrt(this.idf(word)));
      return Array.from(vector);
    }
    const [vector] = await this.embedder.embed([query], signal);
    return vector;
  }

  /** Fuse one query's keyword and vector hits (each best first), without re-ranking. */
  static combine(keyword: Scored[], semantic: Scored[], limit: number): Scored[] {
    return fuseScores([keyword, semantic], { weights: WEIGHTS, limit });
  }

  /**
   * The hybrid ranking of one query's keyword and vector hits (each best first): fused, then every
   * candidate re-ranked by how the query meets its name and declaration line (`rerank`), when the
   * keyword index can name its chunks.
   */
  rank(query: string, keyword: Scored[], semantic: Scored[], limit: number): Scored[] {
    const names = this.lexical.names?.bind(this.lexical);
    const ranked = names
      ? rerank(
          query,
          HybridSearch.combine(keyword, semantic, keyword.length + semantic.length),
          names,
          (word) => this.idf(word),
          limit,
        )
      : HybridSearch.combine(keyword, semantic, limit);
    const floor = (ranked[0]?.score ?? 0) * RELEVANCE_FLOOR;
    return ranked.filter((hit) => hit.score > floor);
  }

  /** BM25's inverse document frequency of a (tokenized) word in the keyword index; 1 without one. */
  private idf(word: string): number {
    const df = this.lexical.documentFrequency?.(word);
    if (df === undefined) return 1;
    const n = this.lexical.size;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  async search(query: string, limit: number, signal?: AbortSignal): Promise<Scored[]> {
    const vector = await this.queryVector(query, signal);
    const [semantic, keyword] = await Promise.all([
      vector ? this.vectors(vector, this.depth) : Promise.resolve([]),
      Promise.resolve(this.lexical.search(query, this.depth)),
    ]);
    return this.rank(query, keyword, semantic, limit);
  }
}
