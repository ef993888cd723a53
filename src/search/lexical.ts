/**
 * BM25 keyword search over chunks with MiniSearch. Identifiers are indexed both split
 * ("getUserById" → get, user, id) and whole ("getuserbyid"), with the same tokenizer the hashed
 * embedder uses (tokens.ts: stems, folded abbreviations, run-together names split), so "user by id"
 * finds getUserById and an exact name still ranks first. Names are fields of their own, each with its
 * own BM25 statistics and boost: a word in a function's name or signature is a strong statement of
 * what the chunk is about, and a rare word there is rarer still.
 */
import MiniSearch, { type SearchResult } from "minisearch";
import { codeTokens } from "./tokens.ts";
import type { Chunk, ChunkNames, Scored } from "./types.ts";

export interface LexicalIndex {
  add(id: string, chunk: Chunk): void;
  remove(id: string): void;
  has(id: string): boolean;
  readonly size: number;
  search(query: string, limit: number): Scored[];
  /** In how many chunks' code a (tokenized) word occurs; an estimate after removals. */
  documentFrequency?(word: string): number;
  /** An indexed chunk's function and class names and declaration line (for re-ranking). */
  names?(id: string): ChunkNames | undefined;
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
/**
 * Query words found in the code of more than this share of chunks (and more than COMMON_MIN
 * chunks) are "common": they only add to the scores of chunks that a rarer word matched — always
 * at least the LEADING rarest words of the query that occur at all. It is what keeps a query fast
 * with 100k+ chunks, where common words' posting lists are long. On the stdlib eval: hybrid
 * MRR@10 0.386 against 0.390 with full BM25, whose keyword search took about 4× as long with
 * 118k chunks (p50 ≈ 60 ms against 15 ms); a share of 0.05 gave 0.390 at about twice the time.
 */
const COMMON_SHARE = 0.02;
const COMMON_MIN = 500;
const LEADING = 2;

interface Doc {
  id: number;
  content: string;
  functionName: string;
  className: string;
  path: string;
  signature: string;
}

export function createLexicalIndex(): LexicalIndex {
  // Chunks per content word, counted as MiniSearch tokenizes. Removals are not subtracted (the
  // text is gone by then), so a count can only overstate.
  const df = new Map<string, number>();
  // MiniSearch documents get small integer numbers, so a query can mark candidates in an array.
  const numberOf = new Map<string, number>();
  const idOf: string[] = [];
  // Numbers of removed chunks, given to the next new ones (ids are content hashes, so every edit
  // brings new ids and retires old ones).
  const free: number[] = [];
  // Names and declaration line per chunk number, for the re-ranker (a few dozen bytes a chunk).
  const named: (ChunkNames | undefined)[] = [];
  let stamps = new Uint32Array(1024);
  let stamp = 0;
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
  /** A chunk id's number, the same for as long as the chunk is in the index (so a re-add replaces). */
  const numberFor = (id: string) => {
    let n = numberOf.get(id);
    if (n === undefined) {
      n = free.pop() ?? idOf.length;
      idOf[n] = id;
      numberOf.set(id, n);
    }
    return n;
  };
  const frequency = (word: string) => df.get(word) ?? 0;
  return {
    add(id, chunk) {
      const n = numberFor(id);
      if (ms.has(n)) ms.discard(n);
      const signature = signatureOf(chunk);
      ms.add({
        id: n,
        content: chunk.content,
        functionName: chunk.functionName ?? "",
        className: chunk.className ?? "",
        path: chunk.path,
        signature,
      });
      named[n] = { functionName: chunk.functionName, className: chunk.className, signature };
    },
    remove(id) {
      const n = numberOf.get(id);
      if (n === undefined) return;
      if (ms.has(n)) ms.discard(n);
      named[n] = undefined;
      numberOf.delete(id);
      free.push(n);
    },
    has(id) {
      const n = numberOf.get(id);
      return n !== undefined && ms.has(n);
    },
    get size() {
      return ms.documentCount;
    },
    documentFrequency: frequency,
    names(id) {
      const n = numberOf.get(id);
      return n === undefined ? undefined : named[n];
    },
    search(query, limit) {
      const words = [...new Set(lexicalTokens(query))].sort((a, b) => frequency(a) - frequency(b));
      if (!words.length) return [];
      const cap = Math.max(COMMON_MIN, COMMON_SHARE * ms.documentCount);
      let leading = 0;
      for (let found = 0; leading < words.length; leading++) {
        const f = frequency(words[leading]!);
        if (f > cap && found >= LEADING) break;
        if (f > 0) found++;
      }
      let results: SearchResult[];
      if (leading === words.length) results = ms.search(words.join(" "));
      else {
        // Exact BM25 for every chunk that a rarer word matches; the common words' long posting
        // lists only add to those chunks. MiniSearch scores the words in the order given and skips
        // a posting whose document boost is 0 before scoring it: the rarer words go first and mark
        // their chunks, then a common word's posting counts only for a marked chunk. Chunks that
        // match nothing but common words are left out: they would rank low, and scoring them would
        // be most of a query's cost on a large index.
        if (stamps.length < idOf.length) stamps = new Uint32Array(idOf.length * 2);
        if (++stamp === 0xffffffff) {
          stamps.fill(0);
          stamp = 1;
        }
        const rarer = new Set(words.slice(0, leading));
        let current = "";
        let marking = true;
        results = ms.search(words.join(" "), {
          boostDocument: (n: number, word) => {
            if (word !== current) {
              current = word;
              marking = rarer.has(word);
            }
            if (marking) stamps[n] = stamp;
            return stamps[n] === stamp ? 1 : 0;
          },
        });
      }
      return results.slice(0, limit).map((r) => ({ id: idOf[r.id as number]!, score: r.score }));
    },
  };
}
