/**
 * BM25 keyword search over chunks with MiniSearch (BM25+ ranking). Identifiers are indexed both
 * split ("getUserById" → get, user, id) and whole ("getuserbyid"), with the same tokenizer the
 * hashed embedder uses, so "user by id" finds getUserById and an exact name still ranks first.
 * Function and class names are boosted: a name is a strong statement of what a chunk is about.
 */
import MiniSearch from "minisearch";
import { codeTokens } from "./local-embedder.ts";
import type { Chunk } from "./types.ts";

export interface Scored {
  id: string;
  score: number;
}

export interface LexicalIndex {
  add(id: string, chunk: Chunk): void;
  remove(id: string): void;
  has(id: string): boolean;
  readonly size: number;
  search(query: string, limit: number): Scored[];
}

interface Doc {
  id: string;
  content: string;
  functionName: string;
  className: string;
  path: string;
}

/** Tokens for MiniSearch: already lower-cased, stemmed and stopword-free. */
export function lexicalTokens(text: string): string[] {
  const { parts, wholes } = codeTokens(text);
  return wholes.length ? parts.concat(wholes) : parts;
}

export const LTUNE: Record<string, any> = { boost: { functionName: 3, className: 1.5, path: 1.2, content: 1 }, bm25: { k: 1.2, b: 0.7, d: 0.5 }, maxDf: 0.05, minTerms: 2 };
/**
 * Query terms found in more than this share of chunks are dropped (keeping at least the rarest
 * MIN_TERMS): their BM25 weight is small, yet scoring their long posting lists is most of a query's
 * cost on a large index.
 */
const MAX_DF_SHARE = 0.05;
const MIN_TERMS = 2;

export function createLexicalIndex(): LexicalIndex {
  // Chunks per content term, counted as MiniSearch tokenizes. Removals are not subtracted (the
  // text is gone by then), so a count can only overstate: at worst a term is pruned a bit early.
  const df = new Map<string, number>();
  const ms = new MiniSearch<Doc>({
    fields: ["content", "functionName", "className", "path"],
    storeFields: [],
    tokenize: (text, field) => {
      const terms = lexicalTokens(text);
      if (field === "content") for (const t of new Set(terms)) df.set(t, (df.get(t) ?? 0) + 1);
      return terms;
    },
    processTerm: (term) => term, // the tokenizer already normalised every term
    searchOptions: {
      boost: LTUNE.boost,
      bm25: LTUNE.bm25,
      combineWith: "OR",
      prefix: false,
      fuzzy: false,
      tokenize: (query) => query.split(" "), // search() passes terms it already tokenized
    },
  });
  return {
    add(id, chunk) {
      if (ms.has(id)) ms.discard(id);
      ms.add({
        id,
        content: chunk.content,
        functionName: chunk.functionName ?? "",
        className: chunk.className ?? "",
        path: chunk.path,
      });
    },
    remove(id) {
      if (ms.has(id)) ms.discard(id);
    },
    has: (id) => ms.has(id),
    get size() {
      return ms.documentCount;
    },
    search(query, limit) {
      const terms = [...new Set(lexicalTokens(query))].sort((a, b) => (df.get(a) ?? 0) - (df.get(b) ?? 0));
      const cap = LTUNE.maxDf * ms.documentCount;
      const kept = terms.filter((t, i) => i < LTUNE.minTerms || (df.get(t) ?? 0) <= cap);
      if (!kept.length) return [];
      return ms
        .search(kept.join(" "), { boost: LTUNE.boost, bm25: LTUNE.bm25 })
        .slice(0, limit)
        .map((r) => ({ id: String(r.id), score: r.score }));
    },
  };
}
