/**
 * An embedded, network-free embedder: no learned model, just hashed lexical features of code.
 * Each text becomes words (see `codeTokens`: identifier sub-tokens, run-together lower-case names
 * split into known words, Porter-stemmed, common abbreviations folded into one form), the whole
 * identifiers, and character 3/4-grams of the words (so "parse"/"parser"/"parsing" overlap). Features
 * are hashed with FNV-1a into a fixed-size vector with a sign bit (signed hashing keeps collisions
 * from adding up), weighted by sublinear term frequency, and L2-normalised. A document's vector
 * depends on its text alone; a query may weight its words (HybridSearch passes the keyword index's
 * inverse document frequencies, so rare words count for more). It is deterministic and fast, and
 * the tokenizer is shared with the lexical index so both sides of hybrid search see the same words.
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

// ---- Porter stemmer (M. F. Porter, "An algorithm for suffix stripping", 1980) ----

function isConsonant(w: string, i: number): boolean {
  const c = w[i];
  if (c === "a" || c === "e" || c === "i" || c === "o" || c === "u") return false;
  return c !== "y" || i === 0 || !isConsonant(w, i - 1);
}

/** Porter's m: the number of vowel-consonant sequences in w[0, end). */
function measure(w: string, end: number): number {
  let m = 0;
  let i = 0;
  while (i < end && isConsonant(w, i)) i++;
  while (i < end) {
    while (i < end && !isConsonant(w, i)) i++;
    if (i >= end) break;
    m++;
    while (i < end && isConsonant(w, i)) i++;
  }
  return m;
}

function hasVowel(w: string, end: number): boolean {
  for (let i = 0; i < end; i++) if (!isConsonant(w, i)) return true;
  return false;
}

function endsDoubleConsonant(w: string): boolean {
  const n = w.length;
  return n >= 2 && w[n - 1] === w[n - 2] && isConsonant(w, n - 1);
}

/** Consonant-vowel-consonant before `end`, the last not w, x or y ("hop", not "snow"). */
function endsCvc(w: string, end: number): boolean {
  if (end < 3 || !isConsonant(w, end - 1) || isConsonant(w, end - 2) || !isConsonant(w, end - 3))
    return false;
  const c = w[end - 1];
  return c !== "w" && c !== "x" && c !== "y";
}

/** Replace the first matching suffix when the stem before it has m > 0. */
function replaceSuffix(w: string, rules: readonly (readonly [string, string])[]): string {
  for (const [suffix, by] of rules)
    if (w.endsWith(suffix)) {
      const end = w.length - suffix.length;
      return measure(w, end) > 0 ? w.slice(0, end) + by : w;
    }
  return w;
}

const STEP2 = [
  ["ational", "ate"],
  ["tional", "tion"],
  ["enci", "ence"],
  ["anci", "ance"],
  ["izer", "ize"],
  ["bli", "ble"],
  ["alli", "al"],
  ["entli", "ent"],
  ["eli", "e"],
  ["ousli", "ous"],
  ["ization", "ize"],
  ["ation", "ate"],
  ["ator", "ate"],
  ["alism", "al"],
  ["iveness", "ive"],
  ["fulness", "ful"],
  ["ousness", "ous"],
  ["aliti", "al"],
  ["iviti", "ive"],
  ["biliti", "ble"],
  ["logi", "log"],
] as const;
const STEP3 = [
  ["icate", "ic"],
  ["ative", ""],
  ["alize", "al"],
  ["iciti", "ic"],
  ["ical", "ic"],
  ["ful", ""],
  ["ness", ""],
] as const;
const STEP4 = "al ance ence er ic able ible ant ement ment ent ion ou ism ate iti ous ive ize".split(" ");

/** The Porter stem of a lower-case word: "initialize"/"initialization" → "initi", "equality" → "equal". */
export function porterStem(word: string): string {
  let w = word;
  if (w.length <= 2) return w;
  // Step 1a: plurals.
  if (w.endsWith("sses") || w.endsWith("ies")) w = w.slice(0, -2);
  else if (w.endsWith("s") && !w.endsWith("ss")) w = w.slice(0, -1);
  // Step 1b: -eed, -ed, -ing.
  let trimmed = false;
  if (w.endsWith("eed")) {
    if (measure(w, w.length - 3) > 0) w = w.slice(0, -1);
  } else if (w.endsWith("ed") && hasVowel(w, w.length - 2)) {
    w = w.slice(0, -2);
    trimmed = true;
  } else if (w.endsWith("ing") && hasVowel(w, w.length - 3)) {
    w = w.slice(0, -3);
    trimmed = true;
  }
  if (trimmed) {
    if (w.endsWith("at") || w.endsWith("bl") || w.endsWith("iz")) w += "e";
    else if (endsDoubleConsonant(w) && !/[lsz]$/.test(w)) w = w.slice(0, -1);
    else if (measure(w, w.length) === 1 && endsCvc(w, w.length)) w += "e";
  }
  // Step 1c: y → i after a vowel.
  if (w.endsWith("y") && hasVowel(w, w.length - 1)) w = `${w.slice(0, -1)}i`;
  // Steps 2 and 3: double and derivational suffixes.
  w = replaceSuffix(w, STEP2);
  w = replaceSuffix(w, STEP3);
  // Step 4: drop a suffix when m > 1.
  for (const suffix of STEP4)
    if (w.endsWith(suffix)) {
      const end = w.length - suffix.length;
      if (measure(w, end) > 1 && (suffix !== "ion" || /[st]$/.test(w.slice(0, end)))) w = w.slice(0, end);
      break;
    }
  // Step 5: a final -e, and -ll → -l.
  if (w.endsWith("e")) {
    const m = measure(w, w.length - 1);
    if (m > 1 || (m === 1 && !endsCvc(w, w.length - 1))) w = w.slice(0, -1);
  }
  if (w.endsWith("ll") && measure(w, w.length) > 1) w = w.slice(0, -1);
  return w;
}

/** Memo for the hot path: a code base repeats a few thousand words millions of times. */
const stems = new Map<string, string>();
const MEMO_LIMIT = 200_000;

/** Porter stem, memoised: applied identically to queries and code, so "returns"/"return" meet. */
export function stem(word: string): string {
  let s = stems.get(word);
  if (s === undefined) {
    s = porterStem(word);
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
/** Rank of each known word, most frequent first (see VOCABULARY below). */
const WORD_RANK = new Map<string, number>();
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

/**
 * Known words for `segmentWord`, most frequent first. A fitted table, made once from code none of
 * which is Python or the eval corpus: the JavaScript/TypeScript sources under this repository's
 * node_modules (9,044 files of ~150 packages, minified lines and gpt-tokenizer's and dayjs's
 * locale tables left out). Counted were the sub-tokens of identifiers whose word boundaries are
 * marked (camelCase, snake_case) and the words of comments; kept were alphabetic words of 3+
 * letters with a vowel, seen ≥ 5 times in ≥ 2 packages (6,315 words). Two-letter pieces come from
 * TWO_LETTER_WORDS instead.
 */
const VOCABULARY = `
the type error for options get and value response name from event request object set string array
key with file this param api map that path data index create property call schema code not field
node source stream message import text query has url result default function input tool base
output cache list line own buffer client start new max item are config params content json env
number web length table when all will socket parse open end token last int session headers context
size can prop only values agent used state generated class store column status napi zod kind view
uint builder model async fetch search link read names next header returns use types return mapping
resolve any format module method user timeout add check server keys true null update ast time run
private body entity mode range current image char descriptor enum before bytes resource define
const completion build audio after sync fields tokens example promise def handle which invalid
optional like ignore single connection write process await entry docs element tag beta custom
version project big wasi log properties one count may org auth must responses callback select
listener handler abort page undefined first delete each binary close was byte block given offset
group then usage chat since option global should ref snapshot com info desc order normalize
internal argument description target case local arg thread common pos old exports selection
command reference items empty created validate its copy root child original export false raw
document memory non details instance match literal template scope iterator collection make service
opts script spec level date access into prefix parsed encoding without flag gel more tools change
proto parser remove proxy allow does limit dom but protobuf auto same events position chunk stale
boolean connect unique uri have openai role lite using returned calls google alias readable signal
errors cursor expression err point record equal vector part init identity environment integer
assistant props disable strict provided valid external where realtime parent symbol len min
streaming turn worker developers queue unknown arguments errno pending files identifier
attribute filter find full clear delta safe insert keyword transport you parameter shared scalar
provider doc called organization payload additional decode sequence entries specified reasoning
test required points available send than hook exp form reg supported sandbox origin messages
syntax feature metadata heap lru utf encode assert runtime console selected transform cached fast
pattern color maximum specific join secret step shell timestamp see done seconds stack side
support union policy character tree other keep editor decoder binding objects inner language
prompt plugin endpoint deprecated include eslint throw directory args browser requests native
lower obj buf resolved initial runner wasm diff allowed ids action admin prototype escape
information retry apply added instead never active system always columns statement drizzle
extension style them comment expect inline right trace java gen validation computer while provides
characters prepared final been dispatch driver previous users scroll completed under exception
require emitted per channel storage transaction tslib parameters sent try need address iterable
utils still definition failed constructor progress guides rate results float star passed top
configuration container protocol operation out control retries refresh merge load methods skip
reason closed edit caller guard package left patch existing including workload duration weak
starts rights paths database label their finalize whether batch location catch either would res
space grouped public indent once hash ready contains port emitter emit generator about prettier
through meta retrieve void certificate interpreter wait found choice strings models encoded
multiple also elements relative github background credential relation present extract history
typed wrap val expected partial generate stop network cookie mini deleted enabled lines span
supplied idempotency controller mapped maybe registry structured already features ensure defined
height authentication declaration there produced typescript bearer logger running behavior being
live our numeric credentials explicit they dir between otherwise sources flags settings variable
configured redis double bit operator replace mark based cannot compile nodes generation execution
failure rule loop core force listeners nullable signature uses brand util frame defaults main
foreign such aborted tags trigger section break clone redirect your real nested until within exit
standard finish matching both changes pool rows these every regex via semantic associated width
two limiter foo prepare shard bound glob issue over absolute now total whatwg waiting algorithm
pair agents flush append component dispose complete multi branch stringify buffered host removed
effects sessions except dispatcher interceptor stored effect work idx unsafe calling functions
because enable placeholder dialect eval diagnostic developer hint timer compare exact whitespace
permissions here changed wire omitted fine returning serialized distributed mappings off instances
trailing codes resources primary exists interface parts hosted zero remote age follow warning
clause some summary ecma mime children updated received overrides steps strategy typedef
performance aggregated lib pass static oxlint following deep tuple prev quote undici move segment
throws blob second attributes consumer annotation operations mapper contain normalized written
milliseconds known elysia tier word parsing dot matches authorization term delay canonical
containing predicate dynamic named checks includes destination descriptors post remaining tables
extends expires var means moz long cleanup outputs migration sqlite contents unit shape decision
edition resolves window func region retention tuning fail factory selector row exclusive built
modules extra readonly codegen namespace connector breakpoint joins reader execute diagnostics
threads accumulator random repeated reserved iso assembly continue noop platform newline depth
across unary safety back swap account cluster orm minimum wrapper closing actual assign push job
bucket mozilla referrer accept writing validator writable regexp alive asn win resolution digit
slash instruction operators implementation mask domain short legacy unused fragment anchor
snapshots interval relational unless hex whose stat boundary high timing synthesize missing
compression started reject reply padding aliased could chunks processed score compiler ordered
program voice team media fixed scan slice serialize bun transcript resolver most application
override bedrock down prevent category incomplete completions flow limits explicitly useful ranges
even helper comma extensions requested commands streams rest during consumed cancel versioning
scheme pointer immediately reset reconnect git doesn automatically another volume automation vars
possible sorted how definitions clients walk watch convert member just notification incoming
intersect regular enumerable pipe idle stats directives runs inside filename handlers attached
report bigint special tab tokenizer needed course distance upper tar kit above least windows expr
aws finalizer supports validated strip counter versions reflect callbacks latest elt serializer
sign applicable times applied num immediate memo ends arrays drain images let don cur ignored
serialization owner simple universal alert representation esbuild refs filesystem abstract
requires readdir encoder vendor provide standalone optimize pairs plain negative different stores
threshold terminal want avoid sets many envd low setting sha oneof chars preserve allows records
col needs req rules nodejs less forward self registered upload aliases highlight bits made speech
references impl marker projects captured owns bar imports starting pipeline distinct sel year exec
look issues bind decimal yargs fill crypto debug exclude lazy opaque locale tsconfig later zip
separator track creating relations extended green tracing exist permission compose head processor
specify peer resume implicit directly trailer referenced those assignment effort leading lifecycle
drop below timers hooks members accepted best replicas backend reduce comments escaped redact
instructions generic vacuum box consume focus rename dep widget were connected release sampling
bool take capture lookup budget socks implied free owned print experimental subscribers licenses
ansi finite detection currently multipart actions sub invocation split processing bracket destroy
positions words amount levels express positive fold task preview yield scale condition fetching
party destructuring greater fallback else constraint display device decoded creation rejected
matched month obtain websocket yaml none seen relevant increment help dict sort too accepts remain
modified workspace subquery compatibility logs software cancelled what queries invoking tooltip
fails limitations cause ietf primitive brace thrown destroyed slot chain border tail small spread
might law endregion codegenv keywords customer early refusal cross brotli retain sym arrow queued
compliance indexed margin spawn stdout cli sibling represents rejection compatible apache agreed
governing visible older longer reconnecting collect eat numbers expired factor translation
visibility composite roles zlib effective measure guide constant suffix video finished quoted
conditional lint disabled itself documents mutate ext materialized cases inputs subject family
detail formats bin fully promises underlying independent evaluation assistants setup archive
enforce prepend und snippet tile azure getter title rect gutter switch upgrade labels mod pino
sample parseable patterns iter verify reduction groups inherited tick way indicating evaluated
respond rather attempt metrics omit javascript yet tests calculation included extend fork plus opt
webidl magic migrations conflict well combine attr accumulated quantity authority large checked
exceeded unicode uuid hello net attrs dependencies malformed ipv orders leaf discriminator nothing
esm symbols mac computed turns clean poll direct against reading passing begin anti password
equals recommended protected webkit stable compact deferred medium duplicate costs corresponding
slow encrypted directive terms uniform schemas secure runtimes deleting engine recently iteration
connections expiration sensitive comparison recursive segments unwrap converter percentage reuse
disk detect conditions presence delimited manager install openapi question recording trim outer
pre show future loaded intersection declared success annotations replacement getters pages
equivalent oauth viewport profile bootstrap warn posix iterate expressions inspect etc workers
register creates determine rejects helpers expire generating fix calculated subscriber merged
coerce excluded wrapped retained higher circuit compute metric audit postgres ambiguous applies
classes sec weight unchanged gap subsequent trailers repeat inserted indicates bench signed commit
priority lowercase basic probability font offsets caching stopped capability uploaded inheriting
arbitrary writer compress assertion half scopes branches originating tracking faster stdin
wildcard plugins unsigned matrix better dest vectors noise unsupported documentation handshake
pagination place typeof digest invoke infinity consumers modifier filters lock delimiter product
mangle seq lifetime infer assigned serial red symlink treated related submit successful
representing handles variables installed inclusive day scurry specifier cancellation man symbolic
route trusted leader allocated environments library perform mismatch invoked anything targets
reads something bad argv compiled loading failures fuzzy heading exactly synchronous inject sonic
tap initialize stderr checkpoint marked click mysql appended concurrent visitor jose takes
separate share constants placeholders varint shards outside answer peek again hostname arr macro
intrinsic frames composition exchange readlink backward resulting screenshot secrets hover
followed decoding tracer attach abortable email alerts three flat reverse security hit shift
conversion coords super receive envelope ascii render navigation tok digits reached handling unset
app compressed serializers loc customers did whole packages insertion unevaluated bottom parallel
ordering sparse actually mutable ahead maps rendering boost dashboard markup around sure sending
observer deployment shutdown finalized states identify continuation semicolon asynchronous
changing opening visit sint panel site mtime dispatches entire searching preserves contract
specifying far overflow directories lstat layer gain refer edits satisfy exported alloc storing
vary entities utc normal adding prefer converted structure folder scheduled occurs blocking latin
white boom outgoing alternative unavailable domains direction certificates transition
temporary percent orig telemetry isn stdio executed origins recorder adapter testing emscripten
accessor forks animation realpath general opened four dev save beginning paren decoration managed
camel listen overridden consistency bundle appropriate endian slots cors markdown precision glite
potentially querying replaced necessary bidi ownership filtered upstream imported detected python
enables colon raise writes temp pad counts artifact sales derived individual finalization
statistics cycle discarded reusable successfully decompress buffers perf bright protocols
separated automatic ascending breakpoints deflate preserved immutable virtual embedding diag
blocks similar attempts bounded appear indexes grouping builders baz marks minute isolated
bindings uploads savepoint precedence components major fragments identifiers pause providers
fetches considered sentinel transfer descending controls severity programmatic deco very defer
past finally servers happen period describe searches makes works signals hour blocked atom toolset
specification specifies working accumulate literals tty strong nest streamed autovacuum matcher
keeps becomes represented aria declarations constraints author put alpha recoverable feed rewrite
ident persisted enter earlier blank expansion backoff previously flex capacity skipped traces
expects anonymous world restore why setter microtask performed handled draft due activate
describing modifiers inferred runnable temperature mixin unix ended verification resp health
unicorn implement note arraybuffer username triggered unexpected octal cloned theme adds identical
enough bounds manually round tid little schedule arm approved builtin decorator typebox gzip
paused cost produce truncated tracker structural excluding syscall wrapping nulls reported
recorded shorthand pick minutes sanitize blue ffi struct dropped water leave formatted established
unref manual dictionary stage abs hidden preferred certain renderer letter recursion pull
indentation saw consider candidate usually registration detailed cast dependency graph receives
configure human addresses statements deletion draw endpoints absent terminate interceptors cuid
indices millis singlestore filtering scoped thus concat terminated lambda timezone recovery prisma
construct annotated dependent activity middleware qualified logical phase serverless inlay
collections variant fresh ending authenticated casing quotes permanent criteria wrappers
closes parsers backwards jump singular purge toggle defs insensitive having black inherits expose
serve bounding observe attempted optimization discard preceding tasks delegate capabilities
locations inflight along download styles alg formatting dimension unshared semantics deadline sink
detached batches merging mouse shallow uncached sse indicate mean grant oob flatten spaces
replaces remains brackets closest cpu scores replacements nanos packed synchronously regardless
equality preserving ordinary revert categories globals uncaught extracting esc fall speed listed
vertex hierarchy artifacts currency shadow resolving optionally hard router overwrite preload
balanced desired replay needle stay pack metafile pipelining updates allowlist deprecations
management indicator defines majority joined prefixed identifies interrupt accounts filenames
align simply hand receiving completes hints webpack overload ensures potential routes had exceeds
reasons atomic conversations abc linkcode challenge payloads cert disconnect moved dynamically
overlap repl grid contexts checksum startup master turbo identities delivered embeddings generates
subprocess though know increase sockets unlink inst channels linux callers follows purpose zone
cleared playback rotate issuer series logic collector addr watcher sizes further extglob links
allocate treat consistent settle removes manage debugger prod naming spy cipher stays ping
retrieved week revalidation usv trustworthy conforms adjacent bare edge exposed recover keepalive
tunnel fatal quality deprecation browsers recommend workflow dist rounded isomorphic slashes
freeze decl published copied collected affected evaluate decompression upon boot systems ongoing
analyze reconnection inflate asc instantiate signatures emphasis typedarray inherit invalidate
emoji embedded fire disposable surrogate epoch typings decrypt overhead implements tagged dump
kinds selects datatracker copies sequences algorithms completely informational safely
asynchronously fit flare truncate guidance spans utility downstream implementations overriding
expand concept minus views wide historical hot ajv connecting scripts callable belongs profiler
markers away positional cased likely reload yielding minimal deactivate redirections calculate
unparsed validates flattened connectors gets hide subscribed truncation fewer dots covered jobs
pglite facet keymap basename larger beyond life confirmation online much versioned become pure won
depending braces combined candidates clamped replica macaddr alphabet ratio dark symlinks tracked
passes meaning traffic aborts inspected div externally stacks tell observation contained nonce
recent dirty coverage aggregate updating queried entirely wrong favor inference greatest emits
receiver combination dangerously recognized cell intended approve proc refers modes together
enqueued charset transformer spent gaps bail hold colors walker improve correct rel held drive
mkdir duplicates committed pseudo enc suite persistent caused everything quick escapes raised
truthy logging making initialized bitwise warnings speaking prime represent miss reports prefixes
debugging intent implemented unnecessary integration adjust indented pop traversal mutex globstar
machine services sourcemap angle normalization parenthesized bias owners supplies circular flight
subset production extracted predefined layout realm occurrence saved executable limited described
transient portion providing ephemeral unchecked thing neither replacer checking retaining cookies
postcss substitution occur notice localhost carry aren tainting particular dec unpack geometry
tenant strength operating independently intermediate leaves linked license assume garbage
redirects sends adjusted examples lexical typing complexity stripped dirs quickly inverted
prevents curr seg observed nesting visual anchors protect echo minimatch folding gradient hashes
platforms determined concise meter readline throwing happens unhandled forbidden propagation
resizable radix ops parents integers vocabulary refactor prior populate uid difference advance
mixed unbounded newlines observers bracketed tuned deps backslash stops exhausted chmod packet
latency observable sri interpreted combining assignable curve inf enums claims possibly exposing
loose rendered loader choices coordinate suppressed react cardinality sep encrypt morph various
restrictions avoids caught usable forms tabs templates contextual smaller yields advanced pretty
breaks recurse patched attachment delegated portable reused ever signing modify publish reporter
sleep confirm delivery wall unsent material strongly suppress visitors people affect validators
allowing settled nullish internals revalidate expiry international clock hours delayed punctuation
calc commentary inspection sanitized remember broken urls shim bro singleton duplex removing idl
dont pixel routing issued comparator going apiv derive outcome guaranteed snake newer getting
encodings occurred parens setters locales radius chained nor nano eof avg identifying moves iam
mirror generally separately substring membership internally looks optimized intercept canceled
formatter reserve transparent conflicts released excludes sharedarraybuffer replacing tokenize
wiki periodic revocation folded sock verbatim able accessible parses shut serializable exponent
verbose labeled recognize attributed typically endings probably asymmetric alphanumeric whenever
days dialog accuracy floating similarity queuing identified kill acl upsert shorter respectively
listening minor journal retains rank arn haystack stopping silently removal gid holds assumed
deduplication enqueue decompressed ones fetched imply indexing begins resize hop untrusted polling
coordinator egress pid chown atx permitted reaches trimmed integrity minify third performs alt
revoke preparation unspecified acquire prepended varchar rsa sys inverse subscriptions
transformations notify properly sections multipage executing prompting art suggest webhooks
istanbul horizontal attribution accessors dirname buckets walked uppercase compilation busy
discriminated comes discouraged others disturbed middle replies exceed matchers uni consecutive
cut visited swagger subscribe decrease nearest unified attrib vertical precise branded cloud
suitable appears compared embed care initializer initially lengths restricted modification extras
siblings offline chooses outbound cron longest produces recursively converts websockets initiated
newly overwritten units intentionally iterating resets collapse adopt verified fingerprint plan
succeeded assoc censor resolvers falls lists come depends awaited encryption according
instantiated sum considers samples initializers href setext semver fetcher valkey highlighter
postgre central enclosing touch important topic processes uncompressed easily dispatched byob
wikipedia listing drag claim tiny kebab selections remainder depend explanation transforming specs
prototypes consuming enumeration provisional optimizations nil utilization oracle chalk applying
instanceof accepting hmac transformed cancels rely unrecognized normally expanded doctype robin
correctly contributors prompts debounce decompressor dual finds prec booleans clip voices
timed unescape acknowledgement ecdsa vscode triggers overloads skips assuming composed fired
forwards locked inc offer cond inserts conjunction carries builds invocations soon bom seed frozen
transformation serializing opcode indicated play initialization inheritdoc square grammar seek
concurrency construction frontend subschema submission programs languageserver several taken
escaping legal supply bag datetime uncloneable sliced good inconsistent math monitor near
classification archived gauge textarea environ screen carriage encountered therefore yes
highlighting determining purposes waits fraction patches reconnected backlog tuples enforced
rewritten redacted principal archives expo umask mutated unreachable alignment atime bodies
negotiate suspense refused fires cap pauses sampled emitting toplevel satisfies reordered
underscore book skills envs pointers review acknowledged synthetic daemon things problem finishes
subpath transforms errored negotiation alpn got especially asterisk translate del reasonable
evaluating delegations requesting mass lang usages vals probe caches shouldn determines exceptions
sinclair creator timeline plural detach focused registrations deltas ranking measured mounts
fulfilled looking responsible behind belong describes decorate designed disconnected connectrpc
negotiated acceptable asset exits paste partially unusable feedback segmenter selecting backed
vision interrupted astral dockerfile refactoring jsonb complement sharp evenly reviver roots
converting pathname denied policies simulate controlled subtle subclass sizing presentation
nonempty unfinished lag vocabularies histogram nocase unc organize gate accessed permanently
declare separators stringified coercions doing interact timeouts narrow guess announce threw
addition suggestions isolate often lens cidr encodable callsite dataview argon allocation exposes
propagate decorators backpressure delegator languages shown notation conditionally however etag
ows collecting opens postfix extensible broadcast caption datagram estimate adopted natural
physical tee filling causes bullet sasl pascal hist ctor userland goes soft strictly loss
modifying reporting retried schemes growth renames removals thinking configs hole mutation interim
variants interpreting modifies approximate friendly excl repo unfold android grow front serving
didn ignores finalizers sometimes hexadecimal suggestion exponential sentence maintain light
restart guarantees isolation resumed accumulation enabling creat underline lazily lived graceful
chaining decide trying ports suspended formed entrypoint printed negate dimensions pem exited goal
aes syntactic lets onto distinguish mutating ctime keeping give chosen primitives hasn flagged
webappsec filled fact assertions technically contiguous inserting inert webgl sheet clipboard
quota variation stages reflected offered repository logically dgram infinite locally falsy gives
biome splitting customize cid unregister opensource easy readers dropping sorting fuzz idb overlay
unbound compiling oid replication magical walking building skipping copying importer globally
selectors coarsened searched jitter raws detector projection intact brands positives mem readwrite
multicast threadpool fixture deterministic reach please implementing disables face improving
routed chromium eventually norm understanding abuse mounted collapsed submitted constructing
attaches unlimited breakdown piece bundler caret constructed forced impact apis duplicated
transports ulid who navigate pub dash mangled framebuffer fenced coordinates urn silent surface
authenticate mutually acquisition clashes reusing retrieves forces astra unauthorized crash
playwright fulfill salt consists bug entrypoints unsubscribe themselves breaking microsoft
resuming ice frequency generators safari lead negated cdata preferences choose overwrites promoted
reducing decryption terminating transactions cat decorated failing ancestor shapes anyway almost
insensitively convenience differs checker networking iterators darwin intersections bundled
debuglog eligible comparing subtype printable obsolete tries extending dead button gpu frag
monotonic belonging trip implicitly practices backgrounds memfs heights kept backing significant
exiting portions paired served consumes happened trust codec idempotent buffering padded treats
taking neutral subscription incremental confidential escapable flexible todo categorizer leak
picked carried hosts cloudflare deduplicate preflight giving yourself nanoid obs proper few
preference coarsen traversable diffs eliminate undo omits causing home prefetch variadic coercion
gte translations recipient oxc multixact fstat stateful octet rare aware rewrites birthtime
cleaner libraries deserialized killed lost associate attacks navigable gateway functionality
evicted eager incrementally coerced products staged clauses existence lezer postgresql pivot rotr
interpolate survive deal mechanism wellknown penalty initiator iframe statuses amazon
canonicalized flushing rects enrolled mid concurrently replicate concatenated monitoring managing
answered flushed codemirror resident naughty packets throttle foreground wal secp fsync fullpath
httpbis covers bypass keyed rethrow arrives linear populated dollar complicated interfaces catches
configurable refine udp jest sender subprotocol phrase assignments executes memberof boundaries
redundant guarded keyboard desktop learning editing gif keypress room statics rollback inet alone
trap taps seeded closure convenient authorized serializes uuidv forwarded requiring acknowledgment
largest interaction instantiation behaviour average renamed surrounding places omitting icon east
disjoint bearing consumption containers replayed retrieval introduced passphrase nums lodash goto
bytecode trunc implies builtins wins configurations whatever oldest commas unions applications
documented conn inspecting questions untouched hostnames speak preventing complex slower continued
wake shader area baseline requeue mutations unreserved inheritance interacting semantically deny
cover overwriting significantly breadth formatters really iterated expensive infos gracefully
decodes discards card freshness warned appearing essence resend cleaning hashing afterwards
disposed treating ret behaves extremely funcs touches planning flattening rejections dense
aborting counting hybrid pricing descendants euclidean expressed bitset placed tarball geo
vertically advise modulus deserialize palette walks importing redo multiline development sense
stackoverflow querystring tested assumes leaving defaulting says unescaped weekday weird releases
attempting late cancelling webp interactions workflows timestamps act lexer mount catalog trees
spaced indicators understand basis corresponds dangerous internet polyfill promised localize
spawned accordingly pools ignoring discarding useless dates deletions tells oct optimizers zoom
interpolation asian untyped accessing exceeding correspond price continues hub inflated ios
rectangle pipelines pinojs modifiable falling pong appending appends wraps punycode responds
chance credit individually vchar prune htab loads frequently differ impossible descriptions
defining hoist navigator rand publicly sees finalizing balance evict chrome opera manipulate chart
dynamo mixins promisify barrel definitelytyped optimizer malloc stroke restriction tracks simplify
millisecond queues displayed generics moving octets transmit mimesniff backup met reproduce
overlapping conf braced orientation unencoded oversized temporarily producer transitions tolerance
noisy atomically logged unrestricted commander atoms transformers spki effectively specifiers
memoized race interpret slightly attaching notifications raises awaiting verifies facing asserts
gmail alter unprocessable dedupe ipc blog comprehension opposite terminator figure eol producing
descendant exclamation picture audience arithmetic permits validating observations masks shows
powered refreshing locate shake strtok deflated keyof quantifier recv empties openssl clamp
alternate reachable pointing deliberately ambient excess encodes notes curl verb issuecomment
prints efficient classic said dispatching somehow registers representable codepoints fallthrough
exclusion moment twice acceptance qux comp bubble unlike violation keyframes yellow paint
forwarding matters enters relationship estimated city mpeg plaintext ins ucs integral lua unstable
unverified widgets dig ring authoritative substitute drained affects meaningful stuff detects
granted rmdir inlined bigger enclosed establish months partition chunked ago wants ran definitely
unquoted interpretation matter destinations negation lone constructs capturing subtract attribs
justify compound folders clears presumed unintended mongo frac deprecating enoent enhanced bis
alternatives allocating loops draining compat yielded disallowed formdata analysis promote leap
remix cumulative ways practice sites nanosecond catchall snippets simd infra fragmented
subresource disposition login offers meant intl overlaps scanning proxied hack translated
talk launch incr flip characteristics inset mismatched edges smart trimming somewhat workdir
autolink distribution magenta cyan aspect outline succeeds iterations curly hits located cloning
rejecting apart worth captures commits programming lacks counted letters divisor strongest
scenario converters restrictive interceptable grows apple contact fun outcomes swapped quadratic
parentheses pressure scrollbar restores namespaced classifications sigma verbosity heard expiring
subarray unsorted subcommand margins ecdh profiles ten drops natively repeatedly copyright deno
precondition dangling executor differences linking cacheable imf dashes piped minimize computing
refreshed incompatible reversed conflicting keyframe manipulation validity prevented elapsed
videos browse billing capable responded migrate referencing grep prometheus elts libuv retrigger
addrs decay nlink newest fifo involved easier transmitted helps stripping scenarios xid anywhere
haven obtained requirements touching userinfo iana delimiters decompressors restored uniquely
increases traverse traversed entered subclasses extent denote demand passthrough incorrect flowing
terminates comparisons subscripts provably canvas calculator digital rev tiles stamp credentialed
correlation sole continuing business authoring recognizes namespaces fixes abrupt unpacked
nanoseconds globs brute thumbprint dlopen isolates blur utilities unqualified undeclared ternary
stub compiles person permit disallow ask concatenates situation unixlike activated bash corrupt
power connects payloadlength consisting finale lowercased particularly imprecise years busboy
triggering assigns fractional stubs quite insertions additions switches simpler broad popped
innermost respect sectioned blend ampersand axis paragraph arch pressed editable fonts widening
unrelated constructors settles precisely degrade weather tiers musl watching semi unmatched
aggregation hashed ary utimes caa compartment watched throttled minipass appropriately spacing
shrink arrive sides turned proxies forever opposed behave urlencoded center catching caps mux
outdir mostly holding permessage blink lies floor lexicographical lookups reflecting deeply
relevance originally positionals menu calendar wheel snap animations interactive band kernel
unnamed armed peers highest underscores delivers tiff rowid renumber chownr usual invariant
declares compares bundles decides performing capitalize cryptographic shall pieces concrete pushes
somewhere meet riscv loong shaking canary persist losing disabling encounter switching
miscellaneous sequentially subtree structures scoring surrogates mobile stretch bridge replaying
instruct prediction fef abcdef stuck simultaneously scalars prelude corge collation spacer
ftruncate appendix existed subpaths burst shortcut iterates benchmark parenthesis obtaining
limitation autocomplete lenient commonly helpful abstraction invokes printing jit notified
servername heuristically annoying propagated viewed bandwidth critical incremented discourage
forget retrying lookahead marking remarks dataset elsewhere evt targeted proposed supporting nice
anon rewind phone blockquote animated coalesced inactivity upcoming adapt sig weakly binds aligned
proof sums reorder increasing classify edited jpeg versus outstanding country leg masked
multiplier recipients wronly transpile transpiled scanned posts convention sourceless twos
refreshes keying ticket decorations mkdtemp enforcement swaps merger situations sharing say fits
bucketing wildcards wasn backslashes prettify serves availability necessarily official confirmed
optimal skew unvalidated decrement intercepts indefinitely rarely texts violating notably merges
rgba photo design highlights srcset reliable loggers detaches adoption observes vendored
termination acts rewriter unaffected ilike responsive emails renders research applicator bogus
kludge acc subscript lchown optionals fulfills uui uncomment dequeue handed tried recompute pushed
jsdoc ino straight answers megabytes arrived sequential widely yarn registries blobs delays saves
uniq limiting htmlparser callee visiting lift animate modal ruby scrolling deployments masking
discovery separation assets resolutions fusion rewriting supplying los angeles reservation grants
six provisioning libc ticks decoders firefox strange primarily sup percentile odd printer nan dry
beforeinput chdir subdomain wrote among concatenating owning cold concatenation folds surfaced
couldn consistently negotiates crashes concatenate knows forgiving windowbits pipes safelisted
resumes gunzip solely illegal payment deduplicated lowest continuously weighted hyphen
specifically finding reliably quoting electron cgi accessibility cube playing radial runners five
trusting disposal unwrapped uncollected likelihood actively cosine launched durable strips
nofollow dereference delim opentelemetry bitmask incorporate respective cleartext neg triple
eagain sublanguage acorn pwrite crashed coalescing alphabetic letting enumerations hierarchical
arrows came missed retired demux fastify splits highly unpkg clicking customization preset
installing decreasing superset transferred specially shot pointless unterminated maintained
classnames closer mandatory suffixes conservative perspective hangul mute mat polygon glyph
dedicated predicted signaling classifies asks eai branding accounting refinement textual lte
subtracts reciprocal unencrypted summarizing synchronize proj seemingly decrypts capped expanding
mirroring gnu volumes extraction scanner messaging usr lab reducer barrier breakage preemptively
pruning midnight enotdir visually modifications hrtime revealed suites ifmt unresolved allocations
someone trivial scheduling pathological pulled reaching reduced caution tentative compliant
identification cookbook charge woff unable layers coded comply counterpart mips rebuild
pictographic learn kitajs heuristic unsolicited comprised sufficient additionally insecure
infrastructure relatively prematurely overloaded approach leaks destruction cryptographically
distances subqueries operand tweak lot succeed delegates whichever inconsistencies deprecate
regexps modern sorts hoisted statically standby midi orient muted circle sheets portal reflection
hardware harmful authorize boxed regional carrying delims overridable abandoned cooldown covering
restoring releasing towards tripped approximation showing bundlers glibc umd mercado quantities
forcing disclaimer fractions objective ioredis invalidated stylesheet closures sized spelling
intend deeper rounding rotation leaking proofing flushes typical downloaded architectures
assigning refuse understood disallows performant bugs whatpr cleanly consist tao unregistered
opdef truth eviction till subsequently tokenized negatively combinations reduces referred
stringifier thresholds accurate presented normalise jridgewell terminators measures areas invoker
injected uiv unpause redaction lives classified ceiling placement timezones protection forming
preceded awareness unshift streamable wise deref strikethrough futimes zeroes complains turning
generalized grown manner rotl microseconds exporter huffman undirectional esnext webworker sched
divide explain scans accesses alongside narrowing huge proceed seeing traverses smooth derivative
upgraded pings seems honor specifications think purely interested efficiently relay localized
differently unmodified regexes introduce survives disappear activation privileged deviates
advances advancing rdonly nonblock seem relies combinator occurrences recreate unnecessarily
appeared lack possibility pixels popup fence teardown symmetric observing confusing eagerly
genuine divisible retrieving eligibility prebuilt technology operates representations inclusion
resetting instrumentation everywhere presigned listens graphql atrule feff highlighters toast
lchmod prevention expense certainly numerical micros scoping dotted grey sniff touched clang
fastest decrypted digests unwraps kid dirent sloppy opacity took aliasing rebuilt collapses
filesystems allocates unconditionally elysiajs substantial cork compressor adapters problematic
footer efficiency augmentation crafted altname redirected considerations caveats modulo
controllers collision asd loaders influence dispatchers establishes zeros stemming scored deciding
casts rebase hangs coming tricky problems iife adapted backspace cubic contributing presenting
overlays absence settling responsibility awaits enumerated intentional establishing recovered sea
forked flac charged destructive premature vite confused evaluates relaxed trips gzipped certs
improved adjustments tear extglobs elem zscan mmap fixtures watchers spawning strike hoisting
asynciterable weakref ieee outdated hyperscript teleport hyp thickness tip stands cheap
precomputed pushing disambiguate lowercases identically flips framework reconcile worry
mathiasbynens whom restarting typescriptlang unlikely deletes hang extraneous stash killing
behaviors expands workaround interop suspend revalidating linefeeds intercepted dummy excessive
recordings pragma families borrowed affecting mob hypothetical fed costly intervals requirement
paper ensuring defaulted introducer looked destructure motion ellipse bidirectional devtools
instanced drawing realms exhaust defensive snapshotted reconstruct normalizing normalizes hyper
smallest reconstruction watermark overview carefully graphic fidelity increments instructs
authorities hitting consult eql pooled terminals bufbuild alpine teams rem unclosed precedences
leftover headings unfiltered fchown theoretically onabort amp correctness upto rolled bugzil
interior styling sensitivity styler nibble durability constrained weeks renegotiation
compositionend sticky transferable proposal invert distinguishes bookkeeping latter mirrors
pollute trail inlining composer distribute handbook rethrown mcollina heuristics apparent anymore
graphics substeps inherently grace subsequence tokenizers joiner tokenizing indication approaches
deserialization weights advice scaling mismatches similarly diacritic cont gesture smoothing wave
recognition indirect hanging addon press discriminators planned holes impose crosses canceling
interpolated doubles factories drift substituting lie readiness phrases declined lineage forking
combines ogg originate advertises lex invalidation nonexistent deploy databases duck mailto
closers scheduler threading dramatically tend decimals gather rid xyz affine cyclic getaddrinfo
setgid transfers granularity pasted denotes childs dsa notebook writeable pread absolutes backdrop
brightness resolvable spreading pays substituted displace queueing narrows prepends unambiguously
told faithful vice versa gist hereby sublicense sell persons furnished integrations perfectly
worst serious unimplemented compressing negotiating banner throughput supposed maxage calculating
webappapis fashion fin unidirectional iterables simplified transmission expectation deviate
encapsulate loosely encapsulated guarantee cleans batching mistakes deserializing variations
executions architecture formula considering diacritics knowing unambiguous falsey commonjs
abcdefghijklmnopqrstuvwxyz rope estree detecting incorrectly asked signaled hyphens cue displays
descent additive manifest manufacturer numbering sweep bases chains promptly shifts associative
constrain addressed subschemas gone batched balances rerun rerunning gov trunk resulted uploading
rough roughly adjustment hosting unpublished sso mutates graphs elapses reserves sit reboots
healthy nist endlessly heads circumstances btree knex getuid ridiculous brutal incur inadvertently
minimally involve inferring exhausting outlined rooted clash unparseable respecting bugzilla img
exe lose programmatically pin webcrypto ares setuid crude announcement middlewares naive ajax
emitters unbind textdocument hue fan rebuilds iff reentrant picks symlinked benefit rdev blksize
prologue avoiding freed visits separates freely agnostic eden happening topics basically
corruption mind stringifies configures jonschlinkert sidebar misbehaving pipelined indirectly
metcoder etags mix readablestream eventsource reestablish eafa notations wouldn andreubotella
preamble epilogue bodyinit outlive violations codings ecmascript signedness varying despite
replays multiply acquiring encounters corrupted cleaned gradually extracts approximately massage
implications technical ambiguity closely lookbehind piping terser cons degraded incrementing
conversions ish ordinal unordered authenticator splitter favorite backface arc lighting biguint
verifying fallbacks profiling uppercased land regions valued stricter minted surfaces interrupts
growing holder installs contributes forbid advertise precedes company ban deterministically
promotes dog unconditional participants webm rotates abandon downloads observability secured
ciphertext resumable splice alternating pat preprocess permissive unstaged intern communication
continuous fills ancestors hydrated upserts timestamptz fchmod merely packing bigints relates
rolls roll mess engines onerror infers myapp injection unsubscribed declaring logarithm cgroup
subprocesses scrollable nonmatching editors extender redactor malicious grand reactive
stringifying memlevel disconnecting perl ent filemap threaded standardized invalidating triples
lands traversals wired careful openapis oas selective reloading outermost bypassing compresses
decompressing truly microsecond disregarded oriented persists tmpdir prioritize suggests icu
randomly nonzero maximize reclaimed asserted enqueuing chapter exhaustion aka whitelist
autodetection communications instantiating deepest invisible mechanisms relying strategies
excessively saturation shortest worse imposed illustrates sake sensible essentially arbitrarily
quirk legitimately firing collisions ancestry semicolons minification bunch quit corner
attestation dragging flood turbulence discrete inactive charging timings enumerate apps
intersecting uninstall instant contribute shutting delimit suppresses shares stalled slices
topology coalesce slight destructured disappears remapped normalizer unconsumed staging
unserializable thought communicate looping augmented aud completing checkpointed differing loses
entra cloneable gated constituents assumption autolinks reflink broker phantom hops launder
amazonaws coerces identifiable clusters docker libre pago toolkit colored lutimes polyfills
durations remap compilers literally materials denoted caveat confusion modeled numbered surprising
stubbed aeh ryp tov rlpi fze trades attacker cycles assemble ignorable rgi ing concerns csi mylib
tabular expecting measurement grapheme loopback headless unlinks linker technique interesting
legitimate interleave refactorings disposables eqeqeq diacritical uname fdatasync kita obey west
contrast camelcase erroring regression scratch wording stability hands entering overall sits
asserting today sugar disagree tolerate balancing risk prefixing torn spin entirety sometime
deliberate frameworks privacy launching hotwire increased tunneling vulnerability originated
revalidated micro bodyused destroying distinction khafra receipt stronger minimizing delivering
lol lesser requestinfo requestinit converttoint integerpart cal satisfiable teapot enhance calm
misdirected unofficial insufficient syntaxes nonblocking delegating tends fairly emission
automated tripping tokenization lookbehinds okay substitutions involves bother whereas undef
switched reuses collide declarator wider encloses uninitialized cascade nonstandard binop uniforms
explorer pane ink attachments devices appearance nearby morphology xor ver evaluator enforces
dominant receivers intersects restoration microphone picker displaying negatives materialize
interruption aarch generous accommodate speeds participate promotion contradictory submitting
issuing invalidates million efforts opted allowlisted secrecy asking nova signify confirms freshly
anchored unsuccessful advertised actionable improves asterisks bring pinned briefly cores slug
ability rust vim board bulk broke simulated otel locks quantiles stddev subtraction naturally
deferring honoring endorse glossary redeclare guidelines conventions placing locator junk
prepending comparable thousands eaten bundling tech gray encase articles bypasses vulnerable
solidus hset survived footprint peak bold manages validations healthcheck chainable substrings
evil unwrapping maintains sigint denoting tagging manipulated spoofed traced lax mistake monorepo
swallowed spill passive propagates sitting aligns churn guards filepath tuplify dperini demo
safaribooksonline luff miguelmota abruptly bzip evanw corrected although feels processors
targeting idea eventual hacky anticipate nature entred authen redirectable divides comprise
takeover einaros heartbeat inheritable wicg wish embedder srcdoc potentialle tspecials
opaqueredirect tainted toward coding urllib choosing indutny dav parental occured railgun messes
saving respons tolerates fragmentation fif noscript posting controlling battle edu diagram
wherever awkward genuinely extendable forcibly prefinish readability splicing foobar satisfied
keygen specular spot shortcuts congestion cells redraw entropy unlock clicked highlighted payer
spliced temporal unread risks joining derives synchronizing obscure inspects abnormal refuses
interpolates stacktrace minting probes duplication ourselves reclaims canonicalize isolating
throughout submissions divided dictates simultaneous english capital enforcing workloads
implementors summaries nickname recreated computation exchanges kubernetes replayable becoming
staying solve dies advisory retriable discover trade clearing resized jumping operate initializing
labs modeling quant ros arith readme paragraphs percentiles quot apos landed specials unequal
subtracted obvious relied disregarding sanitizing tristate preferable benefits comparators
dimensional positioned scaled teamcity atob maximal narrowed reloads successive functional
preconnect unfulfilled licensed widths passwords kitty onmessage cursors prominently deadlock
exuberant unwatch sigusr regarding dsync benchmarking auxiliary cooked accent memoization memoize
reassign benchmarks pay meaningfully dos mentioned volatile nodebuffer interrupting needing
honored decompresses dangle cheaply experience unzip outfile coloring deployed unresolvable
whitespaces doctypes injecting standardize occurring bet redirecting referring liberal websites
enqueues encouraged air decremented reschedules recreating encountering factors delaying
aggressive reopen aid ugly consecutively ideally prose halves puts creations mysteriously dumb
descend opener syntactically labelled consideration pruned fell community lexically domstring ime
mail news legend iir inuse reveal diffuse positioning unscheduled directions selectable menus
improvement gecko gender inter repetition sound elide subprotocols drains oven contribution
relaxing broader blowing fifth occupy shaped conventional structurally polls lightweight began
facility ties deriving lossless fixing facilitate rounds enterprise diverge noted banned integrate
enablement allowable multiplexed multiplexing disconnects preparing abandoning abbreviated putting
pow pins initializes tunneled compilations protects handing loudly reachability downloading
communicating squares reflects operational repositories feeds guided pinning customizing aspects
popping unfortunately adjusts isaacs concepts measurements ceil cloak nests desirable counterparts
emulates ill ghi depended developing restricting intending randomized recurses maintaining forth
partitioning programmer banana pony degree ffe gave repeats mathematical counters studio btoa
synced exclusively bus stick greyscale coord swapping regard pooling dylib existent cancelable
shortly italic truncating fault perfect spawns voluntary damaged progressive keydown rle drawn
inequality stamps permissible pseudorandom subsets selectively clobbering mult jsperf partway die
bump quirks noctty noatime fourth rethrowing weren bell
`;
for (const word of VOCABULARY.split(/\s+/))
  if (word && !WORD_RANK.has(word)) WORD_RANK.set(word, WORD_RANK.size);
