/**
 * Second stage of hybrid search: the fused candidates (at most both retrievers' depth, ≤ 100) are
 * re-scored with a few cheap features of how the query meets the chunk's name and declaration
 * line, which neither BM25 nor the hashed vectors see as such:
 *
 * - name: the share of the function name's words that the query uses (`clear` for "Clear some
 *   cookies" is fully named by it, `clear_session_cookies` only in part);
 * - verb: the query's first word is a word of the name ("Send data…" → `send`);
 * - declaration: the IDF-weighted share of the query's words found in the declaration line, so
 *   parameter names count ("…until ``separator`` is found" → `readuntil(self, separator=…)`);
 * - predicate: a query about truth ("Return True if…", "whether…") and an `is_`/`has_`/`can_`…
 *   name, the convention for functions answering yes or no;
 * - constructor: a query about making something ("Construct…", "Create…", "Initialize…") and a
 *   constructor (`__init__`, `__new__`, `constructor`), plus how much of its class name the query
 *   says ("Create an IncrementalDecoder instance").
 *
 * The score is the fused score plus the weighted features, divided by the largest possible sum so
 * it stays in 0..1. The weights were chosen on half A of the stdlib eval's queries only
 * (test/bench/context.ts) and checked on half B.
 */

import { codeTokens } from "./tokens.ts";
import type { ChunkNames, Scored } from "./types.ts";

const WEIGHTS = {
  name: 0.05,
  verb: 0.05,
  declaration: 0.05,
  predicate: 0.3,
  constructor: 0.2,
  constructorClass: 0.05,
};
const MAX_BONUS = Object.values(WEIGHTS).reduce((a, b) => a + b, 0);

const TRUTH = /\b(?:true|false|whether)\b/i;
const PREDICATE_NAME = /^_*(?:is|has|can|should|supports|contains|was|will|needs?)(?:_|[A-Z]|$)/;
const MAKING = /\b(?:construct(?:s|or)?|creates?|initiali[sz](?:e|es|ed)|init|instantiates?|new)\b/i;
const CONSTRUCTORS = new Set(["__init__", "__new__", "constructor"]);

const words = (text: string) => [...new Set(codeTokens(text).parts)];

/** The share of `names` that `query` contains (0 when there are none). */
const cover = (names: string[], query: Set<string>) =>
  names.length ? names.filter((w) => query.has(w)).length / names.length : 0;

/**
 * Re-score `fused` (best first, scores 0..1) for `query`, best first, at most `limit`. `describe`
 * gives a candidate's names and declaration line (candidates it does not know keep their fused
 * score, scaled like the rest); `idf` weights the query's words.
 */
export function rerank(
  query: string,
  fused: Scored[],
  describe: (id: string) => ChunkNames | undefined,
  idf: (word: string) => number,
  limit: number,
): Scored[] {
  const asked = words(query);
  const askedSet = new Set(asked);
  const weights = asked.map(idf);
  const total = weights.reduce((a, b) => a + b, 0) || 1;
  const verb = words(query.match(/[\p{L}_][\p{L}\p{N}_]*/u)?.[0] ?? "")[0];
  const truth = TRUTH.test(query);
  const making = MAKING.test(query);
  return fused
    .map(({ id, score }) => {
      const chunk = describe(id);
      if (!chunk) return { id, score: score / (1 + MAX_BONUS) };
      const fn = chunk.functionName ?? "";
      const named = words(fn);
      const declared = new Set(words(chunk.signature));
      let bonus = WEIGHTS.name * cover(named, askedSet);
      if (verb !== undefined && named.includes(verb)) bonus += WEIGHTS.verb;
      let found = 0;
      asked.forEach((w, i) => {
        if (declared.has(w)) found += weights[i]!;
      });
      bonus += (WEIGHTS.declaration * found) / total;
      if (truth && PREDICATE_NAME.test(fn)) bonus += WEIGHTS.predicate;
      if (CONSTRUCTORS.has(fn)) {
        if (making) bonus += WEIGHTS.constructor;
        bonus += WEIGHTS.constructorClass * cover(words(chunk.className ?? ""), askedSet);
      }
      return { id, score: (score + bonus) / (1 + MAX_BONUS) };
    })
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .slice(0, limit);
}
