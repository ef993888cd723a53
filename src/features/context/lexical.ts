/**
 * BM25 keyword search over chunks with MiniSearch. Identifiers are indexed both split
 * ("getUserById" → get, user, id) and whole ("getuserbyid"), with the same tokenizer the hashed
 * embedder uses (stems, folded abbreviations, run-together names split), so "user by id" finds
 * getUserById and an exact name still ranks first. Names are fields of their own, each with its
 * own BM25 statistics and boost: a word in a function's name or signature is a strong statement of
 * what the chunk is about, and a rare word there is rarer still.
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
  /** In how many chunks' code a (tokenized) word occurs; an estimate after removals. */
  documentFrequency?(word: string): number;
}

interface Doc {
  id: string;
  content: string;
  functionName: string;
  className: string;
  path: string;
  signature: string;
}

/** Tokens for MiniSearch: already lower-cased, stemmed and stopword-free. */
export function lexicalTokens(text: string): string[] {
  const { parts, wholes } = codeTokens(text);
  return wholes.length ? parts.concat(wholes) : parts;
}

/**
 * The line that declares the chunk's function (or class): its name with its parameters
 * ("def parse(path, *, strict=False):", "export async function load(url: string) {").
 */
export function signatureOf(chunk: Pick<Chunk, "content" | "functionName" | "className">): string {
  const name = chunk.functionName ?? chunk.className;
  if (!name) return "";
  for (const line of chunk.content.split("\n", 20)) if (line.includes(name)) return line.trim();
  return "";
}

/**
 * Field boosts and BM25 parameters, chosen on one half of the stdlib eval's queries and checked on
 * the other (test/bench/context.ts). b = 0.9 normalises field length strongly (a short name that
 * matches beats a long one that also matches); d = 0 is plain BM25 rather than BM25+, whose floor
 * per matched word favoured long chunks that mention many query words in passing.
 */
const BOOST = { functionName: 5, className: 2, path: 1.2, signature: 1, content: 1 };
const BM25 = { k: 1.2, b: 0.9, d: 0 };

export function createLexicalIndex(): LexicalIndex {
  // Chunks per content word, counted as MiniSearch tokenizes. Removals are not subtracted (the
  // text is gone by then), so a count can only overstate.
  const df = new Map<string, number>();
  const ms = new MiniSearch<Doc>({
    fields: ["content", "functionName", "className", "path", "signature"],
    storeFields: [],
    tokenize: (text, field) => {
      const terms = lexicalTokens(text);
      if (field === "content") for (const t of new Set(terms)) df.set(t, (df.get(t) ?? 0) + 1);
      return terms;
    },
    processTerm: (term) => term, // the tokenizer already normalised every term
    searchOptions: {
      boost: BOOST,
      bm25: BM25,
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
        signature: signatureOf(chunk),
      });
    },
    remove(id) {
      if (ms.has(id)) ms.discard(id);
    },
    has: (id) => ms.has(id),
    get size() {
      return ms.documentCount;
    },
    documentFrequency: (word) => df.get(word) ?? 0,
    search(query, limit) {
      const terms = [...new Set(lexicalTokens(query))].sort((a, b) => (df.get(a) ?? 0) - (df.get(b) ?? 0));
      const cap = +(process.env.MAXDF ?? 1) * ms.documentCount;
      const kept = terms.filter((t, i) => i < +(process.env.MINTERMS ?? 2) || (df.get(t) ?? 0) <= cap);
      if (!kept.length) return [];
      return ms
        .search(kept.join(" "))
        .slice(0, limit)
        .map((r) => ({ id: String(r.id), score: r.score }));
    },
  };
}
