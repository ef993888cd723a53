/**
 * Live-documents benchmark: Aura's y-websocket relay (`GET /api/v1/collab/:projectId/*path`,
 * `bun src/index.ts` as a process, embedded PGlite in a temp DATA_DIR, or a fresh database on
 * DATABASE_URL's server) against the reference server of y-websocket 1.5.4 (its
 * bin/server.js and bin/utils.js, with `ws`, under Node — REFERENCE_RUNTIME=bun runs it under
 * Bun), both on loopback, measured the same way in the same run, in rounds that alternate which
 * server goes first:
 *
 * 1. Relay latency: CLIENTS (10) real clients — y-websocket 3.1's WebsocketProvider on yjs
 *    13.6, each holding the whole document — type into one ~2 KB document at their own cursors,
 *    TYPING_HZ (10) keystrokes a second each, for RELAY_SECONDS (15) after a 2 s warm-up. A
 *    keystroke's latency to a client is from just before the insert on the typist to the
 *    character's arrival in that client's document (the end of the transaction that applied it
 *    there); every keystroke counts once for each of the other 9 clients. Target: p95 ≤ 25 ms.
 * 2. Memory: DOCS (1,000) documents of ~2 KB, each opened by its own client (a
 *    WebsocketProvider with presence, as the editor opens one), on a server started for this;
 *    its VmRSS (/proc/<pid>/status, threads included) before — after boot, sign-in and one
 *    document opened and closed — and 5 s after the last document synced; the difference.
 *    The reference server starts every document empty, so each of its documents is filled by
 *    its client with the same text that Aura loads from the file. Target: ≤ 100 MB added.
 * 3. Throughput: edits into one document with CLIENTS clients at an offered rate stepped up
 *    through STEPS for STEP_SECONDS (5) each (after a 1 s warm-up at that rate); the highest
 *    rate at which p95 stays ≤ 50 ms with nothing lost, no client dropped and the rate kept (a
 *    step that misses is tried once more, on a new document: other work on the machine can
 *    spoil one).
 *    These clients speak the protocol themselves (sync steps, updates, yjs for their own
 *    edits) and identify arrivals from the update's header without applying it: ten full
 *    documents applying every edit in this one process would measure this process. Each
 *    relayed edit is delivered to 9 clients, so deliveries/s are 9× the edits/s.
 *
 * Aura's documents are files of one project (10 users, the owner and 9 editors), created
 * through the JSON API by a first server process that is then stopped; every measurement
 * starts a fresh server on that data directory (and a fresh reference server), so no
 * measurement inherits another's rooms or heap. Each round uses files never opened before.
 *
 * The machine should be otherwise idle: each measurement first waits (QUIET_WAIT_S, 120 s at
 * most) for a second in which at most QUIET_BUSY_PCT (15) % of all cores were busy, and records
 * the CPU that other processes used while it ran (otherCpuPct); a relay measurement during which
 * they used more than NOISY_PCT (25) % of a core is repeated, 3 attempts at most.
 *
 * Run: `bun test/bench/collab.ts`. RUNS (3) rounds, medians reported; COLLAB_SERVERS=aura or
 * =reference measures one; COLLAB_PARTS=relay,memory,throughput picks parts; COLLAB_KEEP=1
 * keeps the temp dir (the servers' logs). Writes test/bench/results/collab.json
 * (COLLAB_OUT=<path> elsewhere).
 */
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { Subprocess } from "bun";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import * as sync from "y-protocols/sync";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { createTestPostgresDatabase } from "../helpers/db.ts";
import { type ServerProcess, spawnServer } from "../helpers/server-process.ts";
import { cleanEnv, freePort, median, peakMb, rssMb, stop, waitForStatus } from "./helpers.ts";

const ROOT = join(import.meta.dir, "..", "..");
const RUNS = Number(process.env.RUNS ?? 3);
const CLIENTS = 10;
const TYPING_HZ = Number(process.env.TYPING_HZ ?? 10);
const RELAY_SECONDS = Number(process.env.RELAY_SECONDS ?? 15);
const RELAY_WARMUP_SECONDS = 2;
const DOCS = Number(process.env.DOCS ?? 1_000);
const OPEN_CONCURRENCY = 25;
const SETTLE_MS = 5_000;
const STEPS = (process.env.STEPS ?? "50,100,150,250,400,600,1000,1500,2500,4000,6000,10000,15000")
  .split(",")
  .map(Number);
const STEP_SECONDS = Number(process.env.STEP_SECONDS ?? 5);
const STEP_WARMUP_SECONDS = 1;
/** How long after the last edit its deliveries may still arrive before they count as lost. */
const DRAIN_MS = 5_000;
const CONNECT_TIMEOUT_MS = 20_000;
/** The size of every benchmark file (a small source file). */
const FILE_BYTES = 2_048;
const PASSWORD = "correct horse battery";
/** A relay measurement during which other processes used more CPU than this (% of a core) is repeated… */
const NOISY_PCT = 25;
/** …up to this many times in all. */
const RELAY_ATTEMPTS = 3;
const QUIET_WAIT_S = Number(process.env.QUIET_WAIT_S ?? 120);
const QUIET_BUSY_PCT = Number(process.env.QUIET_BUSY_PCT ?? 15);
const TARGETS = { relayP95Ms: 25, docsRssMb: 100, throughputP95Ms: 50 };

const SERVER_NAMES = ["aura", "reference"] as const;
type ServerName = (typeof SERVER_NAMES)[number];
const SERVERS = (process.env.COLLAB_SERVERS ?? SERVER_NAMES.join(","))
  .split(",")
  .map((s) => s.trim()) as ServerName[];
const PARTS = new Set(
  (process.env.COLLAB_PARTS ?? "relay,memory,throughput").split(",").map((s) => s.trim()),
);
const REFERENCE_RUNTIME = process.env.REFERENCE_RUNTIME ?? (Bun.which("node") ? "node" : "bun");
const REFERENCE_SERVER = join(ROOT, "node_modules", "y-websocket-reference", "bin", "server.js");

const round1 = (n: number) => Math.round(n * 10) / 10;
const round2 = (n: number) => Math.round(n * 100) / 100;

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** CPU seconds a process has used so far (user + system, threads included). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  // utime and stime are fields 14 and 15 of the line, 12 and 13 after the command.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Busy and total CPU time of the whole machine so far, in seconds (all cores). */
function machineCpu(): { busy: number; total: number } {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = line.reduce((a, b) => a + b, 0);
  // idle and iowait are the 4th and 5th numbers.
  return { busy: (total - line[3]! - line[4]!) / 100, total: total / 100 };
}

/**
 * Wait until the machine is mostly idle (other work — a test suite — skews every figure):
 * at most QUIET_WAIT_S seconds for a second with ≤ QUIET_BUSY_PCT % of all cores busy.
 * Resolves with the busy percentage of the last second seen.
 */
async function quiet(): Promise<number> {
  const deadline = performance.now() + QUIET_WAIT_S * 1000;
  for (;;) {
    const a = machineCpu();
    await Bun.sleep(1_000);
    const b = machineCpu();
    const busyPct = ((b.busy - a.busy) / (b.total - a.total)) * 100;
    if (busyPct <= QUIET_BUSY_PCT || performance.now() > deadline) return round1(busyPct);
  }
}

/** Text of a benchmark file: a small JavaScript module of about FILE_BYTES bytes. */
function fileContent(path: string): string {
  let text = `// ${path}: a file of the live-documents benchmark\n`;
  for (let i = 0; text.length < FILE_BYTES; i++)
    text += `\nexport function step${i}(value) {\n  return value * ${i} + ${i % 7};\n}\n`;
  return text;
}

/** Run `work` over `items`, at most `limit` at a time; results in order. */
async function pool<T, R>(items: T[], limit: number, work: (item: T, index: number) => Promise<R>) {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await work(items[i]!, i);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Reject with `what` after `ms` unless `promise` settles first. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: Timer | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// --- Servers ---------------------------------------------------------------------------------------

/** A server under test, as the clients see it. */
interface Server {
  name: ServerName;
  pid: number;
  /** The WebsocketProvider's serverUrl: a room's socket is `${wsBase}/${room}`. */
  wsBase: string;
  /** The room of a benchmark file. */
  room(path: string): string;
  /** Query parameters of client `i` (its access token on Aura). */
  params(i: number): Record<string, string>;
  /** Does a document start with its file's text (Aura), or empty (the reference)? */
  loadsFiles: boolean;
  stop(): Promise<void>;
}

/** Aura's data: users (the first owns the projects), the live project and the documents' project. */
interface AuraFixture {
  emails: string[];
  liveProject: string;
  docsProject: string;
}

/** Paths of the files one round uses. */
const paths = {
  warm: (r: number) => `live/r${r}/warm.js`,
  warmDocs: (r: number) => `docs/r${r}/warm.js`,
  relay: (r: number, attempt: number) => `live/r${r}/relay-${attempt}.js`,
  step: (r: number, rate: number, attempt: number) => `live/r${r}/step-${rate}-${attempt}.js`,
  doc: (r: number, i: number) => `docs/r${r}/doc-${String(i).padStart(4, "0")}.js`,
};
const isDocPath = (path: string) => path.startsWith("docs/");

/** Aura's environment: rate limits no benchmark client reaches, and the database to use. */
function auraEnv(databaseUrl: string | undefined): Record<string, string> {
  return {
    // As deployed.
    NODE_ENV: "production",
    JWT_SECRET: crypto.randomUUID() + crypto.randomUUID(),
    RATE_LIMIT_API: "100000000/1m",
    RATE_LIMIT_EDITOR: "100000000/1m",
    RATE_LIMIT_LOGIN: "100000/1m",
    RATE_LIMIT_LOGIN_IP: "100000/1m",
    RATE_LIMIT_REGISTER: "100000/1m",
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  };
}

async function expectOk(res: Response, what: string): Promise<Response> {
  if (res.status < 200 || res.status > 299)
    throw new Error(`${what} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return res;
}

async function postJson(url: string, body: unknown, token?: string): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
}

/** Create Aura's users, projects and every round's files through the JSON API. */
async function createFixture(base: string): Promise<AuraFixture> {
  const tag = crypto.randomUUID().slice(0, 8);
  const emails = Array.from({ length: CLIENTS }, (_, i) => `collab-${tag}-${i}@example.com`);
  const tokens: string[] = [];
  for (const [i, email] of emails.entries()) {
    const res = await postJson(`${base}/api/v1/auth/register`, {
      email,
      password: PASSWORD,
      firstName: "Typist",
      lastName: String(i),
    });
    tokens.push(((await (await expectOk(res, "register")).json()) as { token: string }).token);
  }
  const owner = tokens[0]!;
  const project = async (name: string) => {
    const res = await postJson(`${base}/api/v1/projects`, { name, language: "javascript" }, owner);
    return ((await (await expectOk(res, "create project")).json()) as { id: string }).id;
  };
  const liveProject = await project("Live");
  const docsProject = await project("Documents");
  for (const email of emails.slice(1))
    await expectOk(
      await postJson(`${base}/api/v1/projects/${liveProject}/members`, { email, role: "editor" }, owner),
      "add member",
    );
  const files: { project: string; path: string }[] = [];
  for (let r = 0; r < RUNS; r++) {
    const steps = STEPS.flatMap((rate) => [paths.step(r, rate, 0), paths.step(r, rate, 1)]);
    const relays = Array.from({ length: RELAY_ATTEMPTS }, (_, attempt) => paths.relay(r, attempt));
    for (const path of [paths.warm(r), ...relays, ...steps]) files.push({ project: liveProject, path });
    for (const path of [paths.warmDocs(r), ...Array.from({ length: DOCS }, (_, i) => paths.doc(r, i))])
      files.push({ project: docsProject, path });
  }
  let done = 0;
  await pool(files, 8, async ({ project, path }) => {
    const res = await fetch(`${base}/api/v1/projects/${project}/files/${path}`, {
      method: "PUT",
      headers: { "content-type": "application/json", authorization: `Bearer ${owner}` },
      body: JSON.stringify({ content: fileContent(path) }),
    });
    await expectOk(res, `create ${path}`);
    if (++done % 200 === 0) process.stdout.write(`files ${done}/${files.length}\r`);
  });
  return { emails, liveProject, docsProject };
}

/** A fresh Aura process on `dataDir`, its users signed in. */
async function startAura(fixture: AuraFixture, dataDir: string, env: Record<string, string>, log: string) {
  const proc: ServerProcess = spawnServer({ dataDir, env, logFile: log });
  try {
    await proc.ready();
    const tokens = await Promise.all(
      fixture.emails.map(async (email) => {
        const res = await postJson(`${proc.base}/api/v1/auth/login`, { email, password: PASSWORD });
        return ((await (await expectOk(res, "login")).json()) as { token: string }).token;
      }),
    );
    const server: Server = {
      name: "aura",
      pid: proc.pid,
      wsBase: `ws://127.0.0.1:${proc.port}/api/v1/collab`,
      room: (path) => `${isDocPath(path) ? fixture.docsProject : fixture.liveProject}/${path}`,
      // The documents' project has only its owner, client 0.
      params: (i) => ({ token: tokens[i % tokens.length]! }),
      loadsFiles: true,
      stop: async () => {
        await proc.stop();
      },
    };
    return server;
  } catch (error) {
    await proc.stop();
    throw error;
  }
}

/** A fresh reference server (y-websocket 1.5.4's bin/server.js, no persistence). */
async function startReference(log: string): Promise<Server> {
  const port = freePort();
  const runtime = REFERENCE_RUNTIME === "bun" ? process.execPath : Bun.which("node")!;
  const fd = openSync(log, "a");
  let proc: Subprocess;
  try {
    proc = Bun.spawn([runtime, REFERENCE_SERVER], {
      cwd: ROOT,
      env: cleanEnv({ HOST: "127.0.0.1", PORT: String(port) }),
      stdin: "ignore",
      stdout: fd,
      stderr: fd,
    });
  } finally {
    closeSync(fd);
  }
  try {
    await waitForStatus(`http://127.0.0.1:${port}/`, { since: performance.now(), timeoutMs: 15_000, proc });
  } catch (error) {
    await stop(proc);
    throw error;
  }
  return {
    name: "reference",
    pid: proc.pid,
    wsBase: `ws://127.0.0.1:${port}`,
    room: (path) => `reference/${path}`,
    params: () => ({}),
    loadsFiles: false,
    stop: async () => {
      await stop(proc);
    },
  };
}

// --- Clients ---------------------------------------------------------------------------------------

/** An edit on its way: when it was made, which clients still have to see it. */
interface Pending {
  at: number;
  /** Bit i set once client i has it. */
  seen: number;
  left: number;
  recorded: boolean;
}

/** Matches each edit (its yjs id: client id and clock) to its arrivals at the other clients. */
class Tracker {
  readonly latencies: number[] = [];
  recording = false;
  /** Recorded edits and how many of them reached everyone. */
  sent = 0;
  completed = 0;
  #pending = new Map<number, Map<number, Pending>>();
  #open = 0;

  constructor(private readonly receivers: number) {}

  /** Client `from` is about to make edit (client, clock). */
  edit(client: number, clock: number, from: number): void {
    let byClock = this.#pending.get(client);
    if (!byClock) {
      byClock = new Map();
      this.#pending.set(client, byClock);
    }
    byClock.set(clock, {
      at: performance.now(),
      seen: 1 << from,
      left: this.receivers - 1,
      recorded: this.recording,
    });
    this.#open++;
    if (this.recording) this.sent++;
  }

  /** Client `to` has edit (client, clock) at `now`. */
  arrived(client: number, clock: number, to: number, now: number): void {
    const byClock = this.#pending.get(client);
    const pending = byClock?.get(clock);
    if (!pending || pending.seen & (1 << to)) return;
    pending.seen |= 1 << to;
    if (pending.recorded) this.latencies.push(now - pending.at);
    if (--pending.left > 0) return;
    byClock!.delete(clock);
    this.#open--;
    if (pending.recorded) this.completed++;
  }

  /** Edits not yet everywhere. */
  get open(): number {
    return this.#open;
  }

  /** Recorded deliveries still missing. */
  lost(): number {
    let lost = 0;
    for (const byClock of this.#pending.values())
      for (const pending of byClock.values()) if (pending.recorded) lost += pending.left;
    return lost;
  }
}

/** A client that types into a document and reports what reaches it. */
interface Typist {
  /** Resolves once the client has the server's document. */
  readonly synced: Promise<void>;
  /** The document's text as this client has it (empty for a protocol client). */
  text(): string;
  /** Type one character. */
  type(char: string): void;
  /** Times the connection dropped. */
  readonly drops: number;
  close(): void;
}

/** The y-websocket client an editor uses: a whole copy of the document, presence, reconnects. */
class ProviderTypist implements Typist {
  readonly synced: Promise<void>;
  drops = 0;
  readonly #doc = new Y.Doc();
  readonly #text = this.#doc.getText("content");
  readonly #provider: WebsocketProvider;
  #cursor: Y.RelativePosition | undefined;
  #closing = false;

  constructor(
    server: Server,
    room: string,
    private readonly index: number,
    private readonly tracker?: Tracker,
  ) {
    this.#provider = new WebsocketProvider(server.wsBase, room, this.#doc, {
      params: server.params(index),
      WebSocketPolyfill: WebSocket,
      disableBc: true,
    });
    this.#provider.on("status", ({ status }) => {
      if (status === "disconnected" && !this.#closing) this.drops++;
    });
    this.synced = new Promise((resolve) => {
      const onSync = (synced: boolean) => {
        if (!synced) return;
        this.#provider.off("sync", onSync);
        resolve();
      };
      this.#provider.on("sync", onSync);
    });
    // A transaction applied from the server carries the ids it added: every clock between its
    // state before and after, for each client (a text event lists no added items).
    if (tracker)
      this.#doc.on("afterTransaction", (transaction: Y.Transaction) => {
        if (transaction.local) return;
        const now = performance.now();
        for (const [client, after] of transaction.afterState)
          for (let clock = transaction.beforeState.get(client) ?? 0; clock < after; clock++)
            tracker.arrived(client, clock, index, now);
      });
  }

  text(): string {
    return this.#text.toString();
  }

  /** Insert `text` as one edit (a document the reference server starts empty). */
  fill(text: string): void {
    this.#text.insert(0, text);
  }

  type(char: string): void {
    // Each typist starts at its own place in the text and types on from there.
    const at = this.#cursor
      ? (Y.createAbsolutePositionFromRelativePosition(this.#cursor, this.#doc)?.index ?? 0)
      : Math.floor(((this.index + 0.5) / CLIENTS) * this.#text.length);
    this.tracker?.edit(this.#doc.clientID, Y.getState(this.#doc.store, this.#doc.clientID), this.index);
    this.#text.insert(at, char);
    this.#cursor = Y.createRelativePositionFromTypeIndex(this.#text, at + 1, -1);
  }

  close(): void {
    this.#closing = true;
    this.#provider.destroy();
    this.#doc.destroy();
  }
}

/**
 * A load generator's client: the y-websocket protocol without a copy of the document. It syncs
 * as a client does (answers the server's sync step 1, asks for step 2), makes real yjs edits in a
 * document of its own edits only, and reads the id range of a relayed update from its header
 * (Y.parseUpdateMeta) instead of applying it.
 */
class WireTypist implements Typist {
  readonly synced: Promise<void>;
  drops = 0;
  readonly #doc = new Y.Doc();
  readonly #text = this.#doc.getText("content");
  readonly #ws: WebSocket;
  readonly #syncedNow: () => void;
  #closing = false;

  constructor(
    server: Server,
    room: string,
    private readonly index: number,
    private readonly tracker: Tracker,
  ) {
    const query = new URLSearchParams(server.params(index)).toString();
    this.#ws = new WebSocket(`${server.wsBase}/${room}${query ? `?${query}` : ""}`);
    this.#ws.binaryType = "arraybuffer";
    const { promise, resolve, reject } = Promise.withResolvers<void>();
    this.synced = promise;
    this.#syncedNow = resolve;
    this.#ws.onopen = () => this.#send((e) => sync.writeSyncStep1(e, this.#doc));
    this.#ws.onmessage = (event) => this.#receive(new Uint8Array(event.data as ArrayBuffer));
    this.#ws.onclose = (event) => {
      if (!this.#closing) this.drops++;
      reject(new Error(`socket closed: ${event.code} ${event.reason}`));
    };
    this.#doc.on("update", (update: Uint8Array) => this.#send((e) => sync.writeUpdate(e, update)));
  }

  #send(write: (encoder: encoding.Encoder) => void): void {
    if (this.#ws.readyState !== WebSocket.OPEN) return;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    write(encoder);
    this.#ws.send(encoding.toUint8Array(encoder));
  }

  #receive(data: Uint8Array): void {
    const now = performance.now();
    const decoder = decoding.createDecoder(data);
    if (decoding.readVarUint(decoder) !== 0) return; // presence
    const step = decoding.readVarUint(decoder);
    const payload = decoding.readVarUint8Array(decoder);
    if (step === sync.messageYjsSyncStep1) {
      this.#send((e) => sync.writeSyncStep2(e, this.#doc, payload));
      return;
    }
    if (step === sync.messageYjsSyncStep2) this.#syncedNow();
    const { from, to } = Y.parseUpdateMeta(payload);
    for (const [client, end] of to) {
      if (client === this.#doc.clientID) continue;
      for (let clock = from.get(client) ?? 0; clock < end; clock++)
        this.tracker.arrived(client, clock, this.index, now);
    }
  }

  text(): string {
    return "";
  }

  type(char: string): void {
    this.tracker.edit(this.#doc.clientID, Y.getState(this.#doc.store, this.#doc.clientID), this.index);
    this.#text.insert(this.#text.length, char);
  }

  close(): void {
    this.#closing = true;
    this.#ws.close();
    this.#doc.destroy();
  }
}

/**
 * Open `path` with one client and wait until it has the document; on the reference server the
 * client then fills the empty document with the file's text, as Aura loads it from the file.
 */
async function openDocument(server: Server, path: string, index = 0): Promise<ProviderTypist> {
  const client = new ProviderTypist(server, server.room(path), index);
  try {
    await within(client.synced, CONNECT_TIMEOUT_MS, `open ${path} on ${server.name}`);
    if (!server.loadsFiles) client.fill(fileContent(path));
    else if (client.text() !== fileContent(path))
      throw new Error(`${path} did not open with its file's text`);
    return client;
  } catch (error) {
    client.close();
    throw error;
  }
}

/** Make sure the server holds `path`'s document with its text before typists join. */
async function prepareDocument(server: Server, path: string): Promise<void> {
  if (server.loadsFiles) return;
  const filler = await openDocument(server, path);
  try {
    // The reference server sends no receipt: a second client seeing the text is the proof.
    const deadline = performance.now() + CONNECT_TIMEOUT_MS;
    for (;;) {
      const check = new ProviderTypist(server, server.room(path), 1);
      try {
        await within(check.synced, CONNECT_TIMEOUT_MS, `check ${path}`);
        if (check.text() === fileContent(path)) return;
      } finally {
        check.close();
      }
      if (performance.now() > deadline) throw new Error(`${path} was not filled on ${server.name}`);
      await Bun.sleep(50);
    }
  } finally {
    filler.close();
  }
}

// --- Measurements ----------------------------------------------------------------------------------

interface RelayResult {
  kind: "provider" | "wire";
  offeredPerSec: number;
  /** Edits made per second in the measured window. */
  sentPerSec: number;
  deliveries: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Deliveries that had not arrived DRAIN_MS after the last edit. */
  lost: number;
  drops: number;
  /** p95 of the load loop's 1 ms sleeps: how late this process ran its own schedule. */
  loopP95Ms: number;
  /**
   * CPU use in the measured window, % of one core: the server's, this process's (the clients)
   * and everything else on the machine (noise).
   */
  serverCpuPct: number;
  clientCpuPct: number;
  otherCpuPct: number;
  /** The machine's busy share (all cores) in the second before, when the run waited for quiet. */
  busyBeforePct: number;
}

/**
 * CLIENTS clients of `kind` in `path`'s document make `rate` edits a second between them (edit
 * n by client n mod CLIENTS, on an open-loop schedule) for `warmup` then `seconds` seconds;
 * the edits of the second period are measured.
 */
async function relay(
  server: Server,
  path: string,
  kind: RelayResult["kind"],
  rate: number,
  seconds: number,
  warmup: number,
): Promise<RelayResult> {
  await prepareDocument(server, path);
  const busyBeforePct = await quiet();
  const tracker = new Tracker(CLIENTS);
  const room = server.room(path);
  const clients: Typist[] = Array.from({ length: CLIENTS }, (_, i) =>
    kind === "provider"
      ? new ProviderTypist(server, room, i, tracker)
      : new WireTypist(server, room, i, tracker),
  );
  try {
    await within(
      Promise.all(clients.map((c) => c.synced)),
      CONNECT_TIMEOUT_MS,
      `${CLIENTS} clients of ${path}`,
    );
    if (kind === "provider" && clients.some((c) => c.text() !== fileContent(path)))
      throw new Error(`a client of ${path} did not get the document's text`);
    const chars = "abcdefghijklmnopqrstuvwxyz ";
    const gaps: number[] = [];
    const start = performance.now();
    const end = start + (warmup + seconds) * 1000;
    let issued = 0;
    let last = start;
    let cpuFrom: { at: number; server: number; client: number; machine: number } | undefined;
    for (let now = start; now < end; now = performance.now()) {
      tracker.recording = now - start >= warmup * 1000;
      if (tracker.recording && !cpuFrom)
        cpuFrom = {
          at: now,
          server: cpuSeconds(server.pid),
          client: cpuSeconds(process.pid),
          machine: machineCpu().busy,
        };
      const due = Math.floor(((now - start) * rate) / 1000);
      for (; issued < due; issued++) clients[issued % CLIENTS]!.type(chars[issued % chars.length]!);
      await Bun.sleep(1);
      const after = performance.now();
      gaps.push(after - last);
      last = after;
    }
    tracker.recording = false;
    const elapsed = (performance.now() - cpuFrom!.at) / 1000;
    const serverCpuPct = round1(((cpuSeconds(server.pid) - cpuFrom!.server) / elapsed) * 100);
    const clientCpuPct = round1(((cpuSeconds(process.pid) - cpuFrom!.client) / elapsed) * 100);
    const machinePct = ((machineCpu().busy - cpuFrom!.machine) / elapsed) * 100;
    const otherCpuPct = round1(Math.max(0, machinePct - serverCpuPct - clientCpuPct));
    const drainEnd = performance.now() + DRAIN_MS;
    while (tracker.open > 0 && performance.now() < drainEnd) await Bun.sleep(10);
    const sorted = tracker.latencies.sort((a, b) => a - b);
    return {
      kind,
      offeredPerSec: rate,
      sentPerSec: round1(tracker.sent / seconds),
      deliveries: sorted.length,
      p50Ms: round2(percentile(sorted, 50)),
      p95Ms: round2(percentile(sorted, 95)),
      p99Ms: round2(percentile(sorted, 99)),
      maxMs: round2(sorted.at(-1) ?? Number.NaN),
      lost: tracker.lost(),
      drops: clients.reduce((n, c) => n + c.drops, 0),
      loopP95Ms: round2(
        percentile(
          gaps.sort((a, b) => a - b),
          95,
        ),
      ),
      serverCpuPct,
      clientCpuPct,
      otherCpuPct,
      busyBeforePct,
    };
  } finally {
    for (const c of clients) c.close();
  }
}

interface MemoryResult {
  beforeMb: number;
  afterMb: number;
  addedMb: number;
  /** The server's peak RSS so far (VmHWM), read with the after figure. */
  peakMb: number;
  /** Seconds to open all documents, OPEN_CONCURRENCY at a time. */
  openSeconds: number;
  busyBeforePct: number;
}

/** The median of a few RSS readings 200 ms apart (RSS moves as collectors run). */
async function steadyRss(pid: number): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    samples.push(rssMb(pid));
    await Bun.sleep(200);
  }
  return median(samples);
}

/** Open DOCS documents on a fresh server, one client each; its RSS before and after. */
async function memory(server: Server, r: number): Promise<MemoryResult> {
  // Warm: the code paths of opening and editing a document have run once.
  const warm = await openDocument(server, paths.warmDocs(r));
  warm.type("x");
  await Bun.sleep(500);
  warm.close();
  await Bun.sleep(1_000);
  const busyBeforePct = await quiet();
  const beforeMb = await steadyRss(server.pid);
  const started = performance.now();
  const docs = Array.from({ length: DOCS }, (_, i) => paths.doc(r, i));
  const opened: ProviderTypist[] = [];
  try {
    await pool(docs, OPEN_CONCURRENCY, async (path) => {
      opened.push(await openDocument(server, path));
    });
    const openSeconds = (performance.now() - started) / 1000;
    await Bun.sleep(SETTLE_MS);
    const afterMb = await steadyRss(server.pid);
    const peak = peakMb(server.pid);
    if (opened.some((c) => c.drops > 0)) throw new Error(`a document's connection dropped on ${server.name}`);
    return {
      beforeMb: round1(beforeMb),
      afterMb: round1(afterMb),
      addedMb: round1(afterMb - beforeMb),
      peakMb: round1(peak),
      openSeconds: round2(openSeconds),
      busyBeforePct,
    };
  } finally {
    for (const c of opened) c.close();
  }
}

interface ThroughputResult {
  /** The highest offered rate that met the bar (0 if none did). */
  maxPerSec: number;
  steps: (RelayResult & { pass: boolean })[];
}

/** Step the offered rate up through STEPS until a step misses the bar. */
async function throughput(server: Server, r: number): Promise<ThroughputResult> {
  const steps: ThroughputResult["steps"] = [];
  let maxPerSec = 0;
  for (const rate of STEPS) {
    let pass = false;
    // A step that misses gets a second try: other work on the machine can spoil one.
    for (let attempt = 0; attempt < 2 && !pass; attempt++) {
      const step = await relay(
        server,
        paths.step(r, rate, attempt),
        "wire",
        rate,
        STEP_SECONDS,
        STEP_WARMUP_SECONDS,
      );
      pass =
        step.p95Ms <= TARGETS.throughputP95Ms &&
        step.lost === 0 &&
        step.drops === 0 &&
        step.sentPerSec >= rate * 0.95;
      steps.push({ ...step, pass });
      console.log(
        `  ${server.name} ${rate}/s: sent ${step.sentPerSec}/s, p50 ${step.p50Ms} ms, p95 ${step.p95Ms} ms, ` +
          `lost ${step.lost}, drops ${step.drops}, cpu server ${step.serverCpuPct}% clients ${step.clientCpuPct}% ` +
          `other ${step.otherCpuPct}%${pass ? "" : " — over"}`,
      );
    }
    if (!pass) break;
    maxPerSec = rate;
  }
  return { maxPerSec, steps };
}

// --- Rounds ----------------------------------------------------------------------------------------

interface RoundResult {
  /** The last attempt: the first one that ran without much other work on the machine. */
  relay?: RelayResult & { attempt: number };
  memory?: MemoryResult;
  throughput?: ThroughputResult;
}

async function main() {
  const scratch = mkdtempSync(join(tmpdir(), "aura-collab-bench-"));
  const database =
    SERVERS.includes("aura") && process.env.DATABASE_URL
      ? await createTestPostgresDatabase(process.env.DATABASE_URL)
      : undefined;
  const env = auraEnv(database?.url);
  const dataDir = join(scratch, "data");
  const log = (name: string) => join(scratch, `${name}.log`);
  const running = new Set<Server>();
  const interrupted = async () => {
    for (const s of running) await s.stop();
    await database?.drop();
    rmSync(scratch, { recursive: true, force: true });
    process.exit(130);
  };
  process.on("SIGINT", () => void interrupted());
  try {
    let fixture: AuraFixture | undefined;
    if (SERVERS.includes("aura")) {
      const setup = spawnServer({ dataDir, env, logFile: log("aura-setup") });
      try {
        await setup.ready();
        const started = performance.now();
        fixture = await createFixture(setup.base);
        console.log(`\naura: fixture created in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      } finally {
        await setup.stop();
      }
    }
    /** Start `name` afresh, run `measure` on it, stop it. */
    const withServer = async <T>(name: ServerName, measure: (s: Server) => Promise<T>): Promise<T> => {
      const server =
        name === "aura"
          ? await startAura(fixture!, dataDir, env, log("aura"))
          : await startReference(log("reference"));
      running.add(server);
      try {
        return await measure(server);
      } finally {
        running.delete(server);
        await server.stop();
      }
    };

    const rounds: Record<ServerName, RoundResult[]> = { aura: [], reference: [] };
    for (let r = 0; r < RUNS; r++) {
      console.log(`round ${r + 1}/${RUNS}`);
      const order = r % 2 === 0 ? SERVERS : [...SERVERS].reverse();
      const results = Object.fromEntries(order.map((name) => [name, {} as RoundResult])) as Record<
        ServerName,
        RoundResult
      >;
      if (PARTS.has("memory"))
        for (const name of order) {
          results[name].memory = await withServer(name, (s) => memory(s, r));
          console.log(`  ${name} ${DOCS} documents: ${JSON.stringify(results[name].memory)}`);
        }
      if (PARTS.has("relay") || PARTS.has("throughput"))
        for (const name of order)
          await withServer(name, async (s) => {
            // Warm: JIT and the document code paths, on a document of its own.
            await relay(s, paths.warm(r), "provider", CLIENTS * TYPING_HZ, 2, 0);
            if (PARTS.has("relay"))
              for (let attempt = 0; attempt < RELAY_ATTEMPTS; attempt++) {
                const result = await relay(
                  s,
                  paths.relay(r, attempt),
                  "provider",
                  CLIENTS * TYPING_HZ,
                  RELAY_SECONDS,
                  RELAY_WARMUP_SECONDS,
                );
                results[name].relay = { ...result, attempt };
                console.log(`  ${name} relay: ${JSON.stringify(result)}`);
                if (result.otherCpuPct <= NOISY_PCT) break;
                console.log(`  other processes used ${result.otherCpuPct}% of a core: again`);
              }
            if (PARTS.has("throughput")) results[name].throughput = await throughput(s, r);
          });
      for (const name of order) rounds[name].push(results[name]);
    }
    report(rounds);
  } finally {
    for (const s of running) await s.stop();
    await database?.drop();
    if (process.env.COLLAB_KEEP) console.log(`kept ${scratch} (the servers' logs and Aura's data)`);
    else rmSync(scratch, { recursive: true, force: true });
  }
}

/** Medians over the rounds of one server. */
function summarize(results: RoundResult[]) {
  const med = (values: (number | undefined)[]) => {
    const present = values.filter((v): v is number => v !== undefined && !Number.isNaN(v));
    return present.length ? round2(median(present)) : undefined;
  };
  return {
    relayP50Ms: med(results.map((r) => r.relay?.p50Ms)),
    relayP95Ms: med(results.map((r) => r.relay?.p95Ms)),
    relayP99Ms: med(results.map((r) => r.relay?.p99Ms)),
    relayLost: results.reduce((n, r) => n + (r.relay?.lost ?? 0), 0),
    docsBeforeMb: med(results.map((r) => r.memory?.beforeMb)),
    docsAfterMb: med(results.map((r) => r.memory?.afterMb)),
    docsAddedMb: med(results.map((r) => r.memory?.addedMb)),
    /** The largest of the rounds' figures: a round can catch a collector's (or PGlite's) high tide. */
    docsAddedMaxMb: results.some((r) => r.memory)
      ? Math.max(...results.map((r) => r.memory?.addedMb ?? Number.NEGATIVE_INFINITY))
      : undefined,
    docsPeakMb: med(results.map((r) => r.memory?.peakMb)),
    docsOpenSeconds: med(results.map((r) => r.memory?.openSeconds)),
    maxEditsPerSec: med(results.map((r) => r.throughput?.maxPerSec)),
  };
}

function report(rounds: Record<ServerName, RoundResult[]>) {
  const summary = Object.fromEntries(SERVERS.map((name) => [name, summarize(rounds[name])])) as Record<
    ServerName,
    ReturnType<typeof summarize>
  >;
  const fmt = (v: number | undefined, unit: string) => (v === undefined ? "—" : `${v} ${unit}`);
  const row = (cells: string[]) => console.log(cells.map((c, i) => c.padEnd(i === 0 ? 34 : 16)).join(""));
  console.log(
    `\nlive documents, median of ${RUNS}, ${cpus().length} cores, bun ${Bun.version}, reference on ${REFERENCE_RUNTIME}`,
  );
  row(["", ...SERVERS, "target"]);
  const line = (label: string, key: keyof ReturnType<typeof summarize>, unit: string, target = "") =>
    row([label, ...SERVERS.map((name) => fmt(summary[name][key], unit)), target]);
  line(`relay p50 (${CLIENTS} typists)`, "relayP50Ms", "ms");
  line(`relay p95 (${CLIENTS} typists)`, "relayP95Ms", "ms", `≤ ${TARGETS.relayP95Ms} ms`);
  line("relay p99", "relayP99Ms", "ms");
  line(`${DOCS} documents: RSS before`, "docsBeforeMb", "MB");
  line(`${DOCS} documents: RSS added`, "docsAddedMb", "MB", `≤ ${TARGETS.docsRssMb} MB`);
  line(`${DOCS} documents: most added`, "docsAddedMaxMb", "MB");
  line(`${DOCS} documents: peak RSS`, "docsPeakMb", "MB");
  line(`${DOCS} documents: open time`, "docsOpenSeconds", "s");
  line(`edits/s at p95 ≤ ${TARGETS.throughputP95Ms} ms`, "maxEditsPerSec", "/s");

  const aura = summary.aura;
  const checks = [
    { target: `relay p95 ≤ ${TARGETS.relayP95Ms} ms`, value: aura?.relayP95Ms, ok: (v: number) => v <= 25 },
    {
      target: `${DOCS} documents add ≤ ${TARGETS.docsRssMb} MB`,
      value: aura?.docsAddedMb,
      ok: (v: number) => v <= TARGETS.docsRssMb,
    },
  ].map((c) => ({ target: c.target, value: c.value, pass: c.value === undefined ? null : c.ok(c.value) }));
  console.log("");
  for (const c of checks)
    console.log(
      `${c.pass === null ? "SKIP" : c.pass ? "PASS" : "MISS"}  aura ${c.target}: ${c.value ?? "—"}`,
    );

  const out = process.env.COLLAB_OUT ?? join(import.meta.dir, "results", "collab.json");
  mkdirSync(dirname(out), { recursive: true });
  const node = Bun.spawnSync(["node", "--version"]).stdout.toString().trim();
  writeFileSync(
    out,
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        machine: { cores: cpus().length, cpu: cpus()[0]?.model, bun: Bun.version, node },
        runs: RUNS,
        settings: {
          clients: CLIENTS,
          typingHz: TYPING_HZ,
          relaySeconds: RELAY_SECONDS,
          docs: DOCS,
          fileBytes: FILE_BYTES,
          steps: STEPS,
          stepSeconds: STEP_SECONDS,
          referenceRuntime: REFERENCE_RUNTIME,
          database: process.env.DATABASE_URL ? "postgres" : "pglite",
        },
        method:
          "relay: keystroke (before insert) → arrival in each other client's document, 10 WebsocketProviders " +
          "in one process; memory: VmRSS median of 5 readings before and 5 s after opening the documents; " +
          "throughput: highest offered edits/s whose p95 ≤ 50 ms with nothing lost, protocol-level clients; " +
          "medians over rounds",
        summary,
        checks,
        rounds,
      },
      null,
      2,
    )}\n`,
  );
  console.log(`\nwrote ${out}`);
}

await main();
process.exit(0);
