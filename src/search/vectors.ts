/**
 * An embedded, network-free embedder: no learned model, just hashed lexical features of code.
 * Each text becomes words (`codeTokens` in tokens.ts: identifier sub-tokens, run-together names
 * split into known words, Porter-stemmed, common abbreviations folded into one form), the whole
 * identifiers, and character 3/4-grams of the words (so "parse"/"parser"/"parsing" overlap). Features
 * are hashed with FNV-1a into a fixed-size vector with a sign bit (signed hashing keeps collisions
 * from adding up), weighted by sublinear term frequency, and L2-normalised. A document's vector
 * depends on its text alone; a query may weight its words (HybridSearch passes the keyword index's
 * inverse document frequencies, so rare words count for more). It is deterministic and fast, and
 * the tokenizer is shared with the lexical index so both sides of hybrid search see the same words.
 */
import { codeTokens } from "./tokens.ts";
import type { Embedder } from "./types.ts";

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function fnv(s: string, seed: number, from = 0, to = s.length): number {
  let h = seed;
  for (let i = from; i < to; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}

/**
 * Feature weights: words matter most; n-grams are a soft fallback for word variants; whole
 * identifiers add a little for exact names (more made them crowd out the words).
 */
const WEIGHT = { part: 1, whole: 0.3, gram: 0.35 };
/** Distinct seeds keep a word and an n-gram with the same letters apart. */
const SEED = { part: FNV_OFFSET, whole: FNV_OFFSET ^ 0x5bd1e995, gram: FNV_OFFSET ^ 0x27d4eb2f };

export class HashedFeatureEmbedder implements Embedder {
  readonly model: string;

  constructor(readonly dimensions = 1024) {
    if (dimensions & (dimensions - 1)) throw new Error("dimensions must be a power of two");
    // v2: Porter stems, folded abbreviations, split run-together names, lighter whole identifiers.
    this.model = `aura-hashed-features-v2-${dimensions}`;
  }

  async embed(texts: string[], signal?: AbortSignal): Promise<number[][]> {
    const out: number[][] = [];
    for (const text of texts) {
      signal?.throwIfAborted();
      out.push(Array.from(this.embedOne(text)));
    }
    return out;
  }

  /**
   * A search query's vector: like `embedOne`, but each word (and its n-grams) weighted by
   * `weightOf(word)` — HybridSearch passes √IDF from the keyword index, so the rare words of a
   * question count for more than the common ones. Documents stay unweighted (their vectors
   * depend on their own text only), so the cosine is a TF·IDF-like match.
   */
  embedQuery(text: string, weightOf: (word: string) => number): Float32Array {
    return this.embedOne(text, weightOf);
  }

  /** One text to a unit-length Float32Array (the hot path for bulk indexing). */
  embedOne(text: string, weightOf?: (word: string) => number): Float32Array {
    // Count features first (by hash) so term frequency can be made sublinear.
    const counts = new Map<number, number>();
    const weights = new Map<number, number>();
    const add = (h: number, w: number) => {
      counts.set(h, (counts.get(h) ?? 0) + 1);
      weights.set(h, w);
    };
    const { parts, wholes } = codeTokens(text);
    for (const p of parts) {
      const w = weightOf ? weightOf(p) : 1;
      add(fnv(p, SEED.part), WEIGHT.part * w);
      const padded = `<${p}>`;
      for (let n = 3; n <= 4; n++)
        for (let i = 0; i + n <= padded.length; i++) add(fnv(padded, SEED.gram, i, i + n), WEIGHT.gram * w);
    }
    for (const whole of wholes) add(fnv(whole, SEED.whole), WEIGHT.whole * (weightOf ? weightOf(whole) : 1));
    if (counts.size === 0) add(SEED.part, 1); // a text with no words still gets a unit vector
    const vec = new Float32Array(this.dimensions);
    const mask = this.dimensions - 1;
    for (const [h, tf] of counts) {
      const sign = h & 0x80000000 ? -1 : 1;
      vec[(h >>> 1) & mask]! += sign * weights.get(h)! * (1 + Math.log(tf));
    }
    let norm = 0;
    for (const v of vec) norm += v * v;
    norm = Math.sqrt(norm);
    if (norm > 0) for (let i = 0; i < vec.length; i++) vec[i]! /= norm;
    return vec;
  }
}
