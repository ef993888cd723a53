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
export const TUNE: Record<string, any> = { stem: "crude", abbrev: false, stopTypes: true, gram: 0.35, whole: 0.7, bigram: 0, grams: [3, 4] };
const VOWELS = new Set(["a", "e", "i", "o", "u"]);
function cons(w: string, i: number): boolean {
  const c = w[i]!;
  if (VOWELS.has(c)) return false;
  if (c === "y") return i === 0 || !cons(w, i - 1);
  return true;
}
/** m(): number of VC sequences in w[0..j). */
function measure(w: string, j: number): number {
  let n = 0;
  let i = 0;
  while (i < j && cons(w, i)) i++;
  while (i < j) {
    while (i < j && !cons(w, i)) i++;
    if (i >= j) break;
    n++;
    while (i < j && cons(w, i)) i++;
  }
  return n;
}
function hasVowel(w: string, j: number): boolean {
  for (let i = 0; i < j; i++) if (!cons(w, i)) return true;
  return false;
}
function doubleCons(w: string, j: number): boolean {
  return j >= 2 && w[j - 1] === w[j - 2] && cons(w, j - 1);
}
/** cvc at the end of w[0..j), second c not w, x or y. */
function cvc(w: string, j: number): boolean {
  if (j < 3 || !cons(w, j - 1) || cons(w, j - 2) || !cons(w, j - 3)) return false;
  const c = w[j - 1]!;
  return c !== "w" && c !== "x" && c !== "y";
}
function replace(w: string, suffixes: [string, string][], minM: number): string {
  for (const [s, r] of suffixes) {
    if (w.endsWith(s)) {
      const j = w.length - s.length;
      return measure(w, j) > minM ? w.slice(0, j) + r : w;
    }
  }
  return w;
}
const STEP2: [string, string][] = [
  ["ational", "ate"], ["tional", "tion"], ["enci", "ence"], ["anci", "ance"], ["izer", "ize"],
  ["bli", "ble"], ["alli", "al"], ["entli", "ent"], ["eli", "e"], ["ousli", "ous"],
  ["ization", "ize"], ["ation", "ate"], ["ator", "ate"], ["alism", "al"], ["iveness", "ive"],
  ["fulness", "ful"], ["ousness", "ous"], ["aliti", "al"], ["iviti", "ive"], ["biliti", "ble"], ["logi", "log"],
];
const STEP3: [string, string][] = [
  ["icate", "ic"], ["ative", ""], ["alize", "al"], ["iciti", "ic"], ["ical", "ic"], ["ful", ""], ["ness", ""],
];
const STEP4 = [
  "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion", "ou", "ism",
  "ate", "iti", "ous", "ive", "ize",
];
export function porter(word: string): string {
  let w = word;
  if (w.length <= 2) return w;
  // 1a
  if (w.endsWith("sses")) w = w.slice(0, -2);
  else if (w.endsWith("ies")) w = w.slice(0, -2);
  else if (w.endsWith("s") && !w.endsWith("ss")) w = w.slice(0, -1);
  // 1b
  let extra = false;
  if (w.endsWith("eed")) {
    if (measure(w, w.length - 3) > 0) w = w.slice(0, -1);
  } else if (w.endsWith("ed") && hasVowel(w, w.length - 2)) {
    w = w.slice(0, -2);
    extra = true;
  } else if (w.endsWith("ing") && hasVowel(w, w.length - 3)) {
    w = w.slice(0, -3);
    extra = true;
  }
  if (extra) {
    if (w.endsWith("at") || w.endsWith("bl") || w.endsWith("iz")) w += "e";
    else if (doubleCons(w, w.length) && !/[lsz]$/.test(w)) w = w.slice(0, -1);
    else if (measure(w, w.length) === 1 && cvc(w, w.length)) w += "e";
  }
  // 1c
  if (w.endsWith("y") && hasVowel(w, w.length - 1)) w = `${w.slice(0, -1)}i`;
  // 2, 3
  w = replace(w, STEP2, 0);
  w = replace(w, STEP3, 0);
  // 4
  for (const s of STEP4) {
    if (w.endsWith(s)) {
      const j = w.length - s.length;
      if (measure(w, j) > 1 && (s !== "ion" || /[st]$/.test(w.slice(0, j)))) w = w.slice(0, j);
      break;
    }
  }
  // 5
  if (w.endsWith("e")) {
    const m = measure(w, w.length - 1);
    if (m > 1 || (m === 1 && !cvc(w, w.length - 1))) w = w.slice(0, -1);
  }
  if (measure(w, w.length) > 1 && doubleCons(w, w.length) && w.endsWith("l")) w = w.slice(0, -1);
  return w;
}

const stemCache = new Map<string, string>();
export function stem(word: string): string {
  if (TUNE.stem === "porter") {
    let s = stemCache.get(word);
    if (s === undefined) { s = porter(word); if (stemCache.size < 200000) stemCache.set(word, s); }
    return s;
  }
  return crudeStem(word);
}
export function crudeStem(word: string): string {
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
    for (const sub of subs) if (sub.length > 1 && !(STOPWORDS.has(sub) && (TUNE.stopTypes || (sub !== "str" && sub !== "int")))) parts.push(norm(sub));
    if (subs.length > 1) wholes.push(word.toLowerCase());
  }
  return { parts, wholes };
}

export function norm(sub: string): string {
  const s = stem(sub);
  if (!TUNE.abbrev) return s;
  return ABBREV.get(s) ?? s;
}
const ABBREV_GROUPS = [
  "str string", "dict dictionary", "num number", "len length", "dir directory", "arg argument",
  "func fn function", "obj object", "msg message", "buf buffer", "idx index", "cfg conf config configuration",
  "env environment", "err error", "init initialize initialization", "attr attribute", "param parameter",
  "val value", "var variable", "ref reference", "req request", "resp response", "ctx context", "db database",
  "elem element", "char character", "int integer", "pos position", "prev previous", "cur curr current",
  "src source", "dst dest destination", "tmp temp temporary", "max maximum", "min minimum", "calc calculate",
  "del delete", "seq sequence", "exc exception", "lib library", "pkg package", "mod module", "proc process",
  "addr address", "alloc allocate", "btn button", "col column", "doc document", "sep separator",
  "ns namespace", "abs absolute", "rel relative", "norm normalize", "auth authenticate authentication",
  "info information", "spec specification", "decl declaration", "expr expression", "stmt statement",
  "cmd command", "util utility", "repr representation", "eq equal", "fmt format", "iter iterate iterator",
  "impl implementation", "lang language", "loc location", "ptr pointer", "recv receive", "sync synchronize",
  "tbl table", "txt text", "usr user", "opt option", "cnt count",
  "ext extension", "img image", "lst list", "prop property", "ver version", "bool boolean", "nav navigate navigation", "hdr header",
  "mgr manager", "svc service", "conn connection", "sock socket", "dbg debug", "evt event", "cb callback",
  "rnd random", "rand random",
];
const ABBREV = new Map<string, string>();
export function rebuild() {
  ABBREV.clear();
  stemCache.clear();
  for (const group of ABBREV_GROUPS) {
    const [canon, ...rest] = group.split(" ");
    for (const w of rest) ABBREV.set(stem(w), canon!);
  }
}
rebuild();

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
const SEED = { part: FNV_OFFSET, whole: FNV_OFFSET ^ 0x5bd1e995, gram: FNV_OFFSET ^ 0x27d4eb2f, bigram: FNV_OFFSET ^ 0x165667b1 };

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
    const [g0, g1] = TUNE.grams as number[];
    for (const p of parts) {
      add(fnv(p, SEED.part), WEIGHT.part);
      const padded = `<${p}>`;
      for (let n = g0!; n <= g1!; n++)
        for (let i = 0; i + n <= padded.length; i++) add(fnv(padded, SEED.gram, i, i + n), TUNE.gram);
    }
    if (TUNE.bigram) for (let i = 1; i < parts.length; i++) add(fnv(`${parts[i - 1]} ${parts[i]}`, SEED.bigram), TUNE.bigram);
    for (const w of wholes) add(fnv(w, SEED.whole), TUNE.whole);
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
