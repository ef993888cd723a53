/**
 * An embedded, network-free embedder: no learned model, just hashed lexical features of code.
 * Each text becomes identifier sub-tokens (camelCase, PascalCase, snake_case and digits split,
 * lower-cased, lightly stemmed), the whole identifiers, and character 3/4-grams of the sub-tokens
 * (so "parse"/"parser"/"parsing" overlap). Features are hashed with FNV-1a into a fixed-size
 * vector with a sign bit (signed hashing keeps collisions from adding up), weighted by sublinear
 * term frequency, and L2-normalised. It is deterministic and fast, and the tokenizer is shared
 * with the lexical index so both sides of hybrid search see the same words.
 */
import type { Embedder } from "./types.ts";

/** Keywords and English function words: present everywhere, so they only blur similarity. */
const STOPWORDS = new Set(
  (
    "a an the and or not of to in on at by for from with as is are was were be been being it its this that " +
    "these those if else elif then than so do does did done can could should would will may might must " +
    "has have had into onto over under up out off all any each some no nor only own same such too very " +
    "which who whom what when where why how there here we you they he she i me my our your their them us " +
    "def self cls return returns none true false null undefined import export const let var function " +
    "pass lambda try except finally raise while yield async await new typeof instanceof void default " +
    "case break continue switch throw catch public private protected static readonly get set str int"
  ).split(" "),
);

/**
 * Crude suffix stripping, applied identically to queries and code, so "returns"/"return",
 * "disabled"/"disable" and "parsing"/"parse" meet: plural/-ing/-ed endings go, then a final "e".
 */
export function stem(word: string): string {
  let w = word;
  if (w.length > 4 && w.endsWith("ies")) w = `${w.slice(0, -3)}y`;
  else if (w.length > 5 && w.endsWith("ing")) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith("ed") && !w.endsWith("eed")) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith("s") && !w.endsWith("ss") && !w.endsWith("us")) w = w.slice(0, -1);
  return w.length > 3 && w.endsWith("e") ? w.slice(0, -1) : w;
}

const WORD = /[\p{L}_][\p{L}\p{N}_]*|\p{N}+/gu;
const SUBWORD = /\p{Lu}+(?!\p{Ll})|\p{Lu}?\p{Ll}+|\p{N}+/gu;

/** Sub-tokens of one identifier, lower-cased: "getHTTPResponse_2" → get, http, response, 2. */
export function splitIdentifier(identifier: string): string[] {
  return (identifier.match(SUBWORD) ?? []).map((t) => t.toLowerCase());
}

/**
 * Words of a text for indexing: for each identifier, its useful sub-tokens (stemmed) and, when it
 * has several, the whole identifier lower-cased. Stopwords and 1-letter parts are dropped.
 */
export function codeTokens(text: string): { parts: string[]; wholes: string[] } {
  const parts: string[] = [];
  const wholes: string[] = [];
  for (const word of text.match(WORD) ?? []) {
    const subs = splitIdentifier(word);
    for (const sub of subs) if (sub.length > 1 && !STOPWORDS.has(sub)) parts.push(stem(sub));
    if (subs.length > 1) wholes.push(word.toLowerCase());
  }
  return { parts, wholes };
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function fnv(s: string, seed: number, from = 0, to = s.length): number {
  let h = seed;
  for (let i = from; i < to; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}

/** Feature weights: whole words matter most; n-grams are a soft fallback for word variants. */
const WEIGHT = { part: 1, whole: 0.7, gram: 0.35 };
/** Distinct seeds keep a word and an n-gram with the same letters apart. */
const SEED = { part: FNV_OFFSET, whole: FNV_OFFSET ^ 0x5bd1e995, gram: FNV_OFFSET ^ 0x27d4eb2f };

export class HashedFeatureEmbedder implements Embedder {
  readonly model: string;

  constructor(readonly dimensions = 1024) {
    if (dimensions & (dimensions - 1)) throw new Error("dimensions must be a power of two");
    this.model = `aura-hashed-features-v1-${dimensions}`;
  }

  async embed(texts: string[], signal?: AbortSignal): Promise<number[][]> {
    const out: number[][] = [];
    for (const text of texts) {
      signal?.throwIfAborted();
      out.push(Array.from(this.embedOne(text)));
    }
    return out;
  }

  /** One text to a unit-length Float32Array (the hot path for bulk indexing). */
  embedOne(text: string): Float32Array {
    // Count features first (by hash) so term frequency can be made sublinear.
    const counts = new Map<number, number>();
    const weights = new Map<number, number>();
    const add = (h: number, w: number) => {
      counts.set(h, (counts.get(h) ?? 0) + 1);
      weights.set(h, w);
    };
    const { parts, wholes } = codeTokens(text);
    for (const p of parts) {
      add(fnv(p, SEED.part), WEIGHT.part);
      const padded = `<${p}>`;
      for (let n = 3; n <= 4; n++)
        for (let i = 0; i + n <= padded.length; i++) add(fnv(padded, SEED.gram, i, i + n), WEIGHT.gram);
    }
    for (const w of wholes) add(fnv(w, SEED.whole), WEIGHT.whole);
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
