/**
 * The words of code and of questions about it, as both retrievers see them. A text becomes the
 * sub-tokens of its identifiers ("getHTTPResponse" → get, http, response), run-together lower-case
 * names split into known words ("isdir" → is, dir), stopwords dropped, each word Porter-stemmed
 * (the `stemmer` package) and common programming abbreviations folded into one form ("directory"
 * and `dir` meet), plus each multi-part identifier whole. The same words go to the keyword index
 * (lexical.ts), the hashed vectors (vectors.ts) and the re-ranker (rerank.ts).
 */
import { stemmer } from "stemmer";
import vocabulary from "./vocabulary.txt" with { type: "text" };

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

/** Memo for the hot path: a code base repeats a few thousand words millions of times. */
const stems = new Map<string, string>();
const MEMO_LIMIT = 200_000;

/**
 * The Porter stem of a lower-case word ("initialize"/"initialization" → "initi", "equality" →
 * "equal"), memoised: applied identically to queries and code, so "returns"/"return" meet.
 */
export function stem(word: string): string {
  let s = stems.get(word);
  if (s === undefined) {
    s = stemmer(word);
    if (stems.size < MEMO_LIMIT) stems.set(word, s);
  }
  return s;
}

// ---- Abbreviations ----

/**
 * Abbreviations programmers use for common words, each group folded into its first (short) form
 * after stemming, on both sides: a query saying "directory" finds `dir`, one saying "cfg" finds
 * `config`, "initializes" finds `__init__`. Only abbreviations that mean one thing in most code are
 * listed (not "gen", "stat", "sig", "win", "fd": each means several).
 */
const ABBREVIATIONS = [
  "str string",
  "dict dictionary",
  "num number",
  "len length",
  "dir directory",
  "arg argument",
  "func fn function",
  "obj object",
  "msg message",
  "buf buffer",
  "idx index",
  "cfg conf config configuration",
  "env environment",
  "err error",
  "init initialize initialization",
  "attr attribute",
  "param parameter",
  "val value",
  "var variable",
  "ref reference",
  "req request",
  "resp response",
  "ctx context",
  "db database",
  "elem element",
  "char character",
  "int integer",
  "pos position",
  "prev previous",
  "cur curr current",
  "src source",
  "dst dest destination",
  "tmp temp temporary",
  "max maximum",
  "min minimum",
  "calc calculate",
  "del delete",
  "seq sequence",
  "exc exception",
  "lib library",
  "pkg package",
  "mod module",
  "proc process",
  "addr address",
  "alloc allocate",
  "btn button",
  "col column",
  "doc document",
  "sep separator",
  "ns namespace",
  "abs absolute",
  "rel relative",
  "norm normalize",
  "auth authenticate authentication",
  "info information",
  "spec specification",
  "decl declaration",
  "expr expression",
  "stmt statement",
  "cmd command",
  "util utility",
  "repr representation",
  "eq equal",
  "fmt format",
  "iter iterate iterator",
  "impl implementation",
  "lang language",
  "loc location",
  "ptr pointer",
  "recv receive",
  "sync synchronize",
  "tbl table",
  "txt text",
  "usr user",
  "opt option",
  "cnt count",
  "ext extension",
  "img image",
  "lst list",
  "prop property",
  "ver version",
  "bool boolean",
  "nav navigate navigation",
  "hdr header",
  "mgr manager",
  "svc service",
  "conn connection",
  "sock socket",
  "dbg debug",
  "evt event",
  "cb callback",
  "rnd rand random",
];
/** Stem of every listed form → the group's short form. */
const ABBREVIATION = new Map<string, string>();
for (const group of ABBREVIATIONS) {
  const [short, ...forms] = group.split(" ");
  for (const form of [short!, ...forms]) ABBREVIATION.set(stem(form), short!);
}

/** A lower-case word as it is indexed: stemmed, then an abbreviation's forms folded into one. */
export function normalizeWord(word: string): string {
  const s = stem(word);
  return ABBREVIATION.get(s) ?? s;
}

// ---- Splitting identifiers ----

const WORD = /[\p{L}_][\p{L}\p{N}_]*|\p{N}+/gu;
const SUBWORD = /\p{Lu}+(?!\p{Ll})|\p{Lu}?\p{Ll}+|\p{N}+/gu;

/** Sub-tokens of one identifier, lower-cased: "getHTTPResponse_2" → get, http, response, 2. */
export function splitIdentifier(identifier: string): string[] {
  return (identifier.match(SUBWORD) ?? []).map((t) => t.toLowerCase());
}

/** Two-letter words a run-together name may contain ("isdir", "toarray"); other pieces need 3+. */
const TWO_LETTER_WORDS = new Set(
  "is to on of at in by no or as if do go up id io fs db ui os js ts fn op re ws".split(" "),
);
/**
 * Known words for `segmentWord`, most frequent first: vocabulary.txt, words separated by spaces
 * and line breaks (a text import, so it is inside the compiled binary too). A fitted table, made
 * once from code none of which is Python or the eval corpus: the JavaScript/TypeScript sources
 * under this repository's node_modules (9,044 files of ~150 packages, minified lines and
 * gpt-tokenizer's and dayjs's locale tables left out). Counted were the sub-tokens of identifiers
 * whose word boundaries are marked (camelCase, snake_case) and the words of comments; kept were
 * alphabetic words of 3+ letters with a vowel, seen ≥ 5 times in ≥ 2 packages. Two-letter pieces
 * come from TWO_LETTER_WORDS instead. Word → rank.
 */
const WORD_RANK = new Map<string, number>();
for (const word of vocabulary.split(/\s+/))
  if (word && !WORD_RANK.has(word)) WORD_RANK.set(word, WORD_RANK.size);
const SEGMENT_MIN = 5;
const SEGMENT_MAX_PIECES = 4;
const segments = new Map<string, string[] | null>();

/**
 * Split a run-together lower-case name into known words — "getwelcome" → get, welcome; "isdir" →
 * is, dir; "readmailcapfile" → read, mail, cap, file — or null when it is a word itself or does
 * not split into 2 to 4 known words. Among the splits, the likeliest under a Zipf model of word
 * frequency wins (cost log(rank), as in common word-segmentation tools).
 */
export function segmentWord(word: string): string[] | null {
  if (word.length < SEGMENT_MIN || WORD_RANK.has(word) || !/^[a-z]+$/.test(word)) return null;
  const memo = segments.get(word);
  if (memo !== undefined) return memo;
  const n = word.length;
  const cost = new Array<number>(n + 1).fill(Number.POSITIVE_INFINITY);
  const from = new Array<number>(n + 1).fill(-1);
  cost[0] = 0;
  const logSize = Math.log(WORD_RANK.size + 2);
  for (let end = 1; end <= n; end++)
    for (let start = Math.max(0, end - 20); start < end; start++) {
      if (cost[start] === Number.POSITIVE_INFINITY) continue;
      const piece = word.slice(start, end);
      let c: number;
      if (piece.length === 2 && TWO_LETTER_WORDS.has(piece)) c = Math.log(3 * logSize);
      else if (piece.length >= 3 && WORD_RANK.has(piece)) c = Math.log((WORD_RANK.get(piece)! + 2) * logSize);
      else continue;
      if (cost[start]! + c < cost[end]!) {
        cost[end] = cost[start]! + c;
        from[end] = start;
      }
    }
  let pieces: string[] | null = null;
  if (cost[n] !== Number.POSITIVE_INFINITY) {
    pieces = [];
    for (let end = n; end > 0; end = from[end]!) pieces.unshift(word.slice(from[end]!, end));
    if (pieces.length < 2 || pieces.length > SEGMENT_MAX_PIECES) pieces = null;
  }
  if (segments.size < MEMO_LIMIT) segments.set(word, pieces);
  return pieces;
}

/**
 * Words of a text for indexing: for each identifier, its useful sub-tokens (run-together names
 * split into known words, then normalised) and, when it has several, the whole identifier
 * lower-cased. Stopwords and 1-letter parts are dropped.
 */
export function codeTokens(text: string): { parts: string[]; wholes: string[] } {
  const parts: string[] = [];
  const wholes: string[] = [];
  for (const word of text.match(WORD) ?? []) {
    const subs = splitIdentifier(word);
    let count = 0;
    for (const sub of subs) {
      const pieces = segmentWord(sub);
      for (const piece of pieces ?? [sub]) {
        count++;
        if (piece.length > 1 && !STOPWORDS.has(piece)) parts.push(normalizeWord(piece));
      }
    }
    if (count > 1) wholes.push(word.toLowerCase());
  }
  return { parts, wholes };
}
