import { fromBase64 } from "lib0/buffer";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import * as syncProtocol from "y-protocols/sync";
import { messageAwareness, messageSync, WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { Journal } from "./journal.ts";
import { colorFor } from "./presence.ts";
import type { SaveState } from "./status.ts";

/** What the page says about the open file and who is looking at it. */
export interface LiveOptions {
  project: string;
  path: string;
  /** The document's lineage id; every store in this browser is keyed by it. */
  docId: string | undefined;
  /** Base64 of the server's document state when the page was made. */
  docState: string | undefined;
  readOnly: boolean;
  user: { id: string; name: string } | undefined;
  /** Called whenever the save state changes. */
  onState(state: SaveState): void;
  /** The server closed the document for good: `code` is its close code. */
  onClosed?(code: number): void;
}

/** One open file's live document. */
export interface LiveDoc {
  doc: Y.Doc;
  text: Y.Text;
  provider: WebsocketProvider;
  /** True once the text is the server's: at once with `docState`, else after the first sync. */
  loaded: boolean;
  /** Resolves when `loaded` turns true. */
  whenLoaded: Promise<void>;
  state(): SaveState;
  /** Load the full local copy from IndexedDB (lazily: it is not needed to start typing). */
  keepLocalCopy(): void;
  /** Disconnect and let go; the journal stays for the next visit. */
  destroy(): void;
  /**
   * Disconnect and forget this browser's unsaved edits (the journal and the IndexedDB copy), so
   * the next page shows the server's text. For edits the server will never take (too large).
   */
  discardLocal(): Promise<void>;
}

/** Close codes the server uses, and what the status bar says for each. */
const CLOSED: Record<number, string> = {
  4401: "Signed out — sign in again; your edits are kept in this browser",
  4403: "Your access to this project changed — reload the page",
  4404: "This file was deleted or renamed elsewhere",
  4409: "This file was replaced by an upload or a git pull — reload to see it",
  4413: "Over the 1 MiB file limit — not saved until it is smaller (kept in this browser)",
  1003: "The server refused an edit — reload the page; your edits are kept in this browser",
  1009: "An edit was too large to send — it is kept in this browser",
};

/** Updates that are not local edits: the page's state and the journal's replay. */
const LOADED = Symbol("loaded");
/** How long after a reload for changed access another such reload is not tried (a loop guard). */
const RELOAD_GUARD_MS = 15_000;
const MAX_FILE_BYTES = 1024 * 1024;

/** localStorage, or undefined where the browser refuses it. */
function localStore(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

/**
 * Open the live document of a file: a Y.Doc from the page's state plus this browser's journal
 * of unacknowledged edits, connected to the server over the y-websocket protocol.
 *
 * What is saved is what the server acknowledged: after it stores a batch of this connection's
 * updates it sends its state vector (a sync step 1), and the journal forgets what that covers.
 * Only the server's first step 1 of a connection is answered with a step 2 (what it lacks):
 * every edit made on an open connection goes out as it is made, so answering a receipt would
 * only send again the keystrokes still in flight.
 */
export function openLive(o: LiveOptions): LiveDoc {
  const doc = new Y.Doc();
  const text = doc.getText("content");
  if (o.docState) Y.applyUpdate(doc, fromBase64(o.docState), LOADED);
  // A viewer's edits are never stored, so a viewer keeps nothing in this browser.
  const keep = !o.readOnly && o.docId !== undefined;
  const journal = keep ? new Journal(localStore(), `aura:journal:${o.docId}`) : undefined;
  if (journal?.pending) {
    try {
      Y.applyUpdate(doc, journal.pending, LOADED);
    } catch {
      journal.clear();
    }
  }

  const base = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/api/v1/collab`;
  const room = `${encodeURIComponent(o.project)}/${o.path.split("/").map(encodeURIComponent).join("/")}`;
  const provider = new WebsocketProvider(base, room, doc, {
    connect: false,
    disableBc: true,
    shouldReconnect: (event) => !final(event.code),
  });
  let idb: { destroy(): Promise<void> } | undefined;
  let connected = false;
  let failed = !navigator.onLine;
  let closed: number | undefined;
  let firstVector = true;
  let destroyed = false;
  let shown: SaveState | undefined;

  const state = (): SaveState => {
    if (o.readOnly) return { kind: "read-only" };
    if (closed !== undefined) return { kind: "error", message: CLOSED[closed] ?? "Disconnected" };
    const kept = Boolean(journal?.pending);
    if (!connected && failed) return { kind: "offline", kept };
    return kept ? { kind: "saving" } : { kind: "saved" };
  };
  const refresh = () => {
    if (destroyed) return;
    const next = state();
    if (shown && JSON.stringify(shown) === JSON.stringify(next)) return;
    shown = next;
    o.onState(next);
  };

  let resolveLoaded = () => {};
  const whenLoaded = new Promise<void>((resolve) => {
    resolveLoaded = resolve;
  });
  const live: LiveDoc = {
    doc,
    text,
    provider,
    loaded: o.docState !== undefined,
    whenLoaded,
    state,
    keepLocalCopy() {
      const wanted = () => keep && !destroyed && !idb && !documentEnded(closed);
      if (!wanted() || !("indexedDB" in window)) return;
      void import("y-indexeddb").then(({ IndexeddbPersistence }) => {
        if (wanted()) idb = new IndexeddbPersistence(`aura:${o.docId}`, doc);
      });
    },
    destroy() {
      destroyed = true;
      removeEventListener("online", online);
      removeEventListener("offline", offline);
      provider.destroy(); // tells the others this client left, then closes the socket
      void idb?.destroy();
      doc.destroy();
    },
    async discardLocal() {
      const copy = idb;
      live.destroy();
      await forgetLocal(copy);
    },
  };
  /** Delete this browser's copies of the document: its journal and its IndexedDB database. */
  const forgetLocal = async (copy = idb) => {
    journal?.clear();
    idb = undefined;
    await copy?.destroy();
    if (keep && "indexedDB" in window) await deleteDatabase(`aura:${o.docId}`);
  };
  if (live.loaded) resolveLoaded();

  const withinLimit = () => new TextEncoder().encode(text.toString()).length <= MAX_FILE_BYTES;
  doc.on("update", (update: Uint8Array, origin: unknown) => {
    if (origin !== LOADED && origin !== provider && origin !== idb) {
      journal?.add(update);
      if (closed === 4413 && withinLimit()) {
        closed = undefined; // back under the limit: try again
        provider.connect();
      }
    }
    refresh();
  });

  // Peek at the server's sync messages: a step 1 carries its state vector (the receipt), a
  // step 2 its full delete set (the receipt for deletions, which the state vector cannot show).
  const stock = provider.messageHandlers[messageSync];
  provider.messageHandlers[messageSync] = (encoder, decoder, p, emitSynced, type) => {
    const peek = decoding.clone(decoder);
    const step = decoding.readVarUint(peek);
    const payload = decoding.readVarUint8Array(peek);
    if (step === syncProtocol.messageYjsSyncStep1) {
      // The first one after connecting asks for what the server lacks (edits made offline):
      // answer it. The later ones are receipts.
      if (firstVector) stock?.(encoder, decoder, p, emitSynced, type);
      firstVector = false;
      if (journal?.acknowledge(payload) === "deletions") askForDeletions();
      refresh();
      return;
    }
    stock?.(encoder, decoder, p, emitSynced, type);
    if (step === syncProtocol.messageYjsSyncStep2) {
      if (journal?.confirmDeletions(payload)) refresh();
      if (!live.loaded) {
        live.loaded = true;
        resolveLoaded();
      }
    }
  };
  // The server relays everyone's presence with the signed-in name and colour put in, ours
  // included: adopt that identity, so the header shows you as the others see you (also when
  // the page named nobody).
  const stockAwareness = provider.messageHandlers[messageAwareness];
  provider.messageHandlers[messageAwareness] = (encoder, decoder, p, emitSynced, type) => {
    const peek = decoding.createDecoder(decoding.readVarUint8Array(decoding.clone(decoder)));
    for (let n = decoding.readVarUint(peek); n > 0; n--) {
      const client = decoding.readVarUint(peek);
      decoding.readVarUint(peek); // clock
      const state = decoding.readVarString(peek);
      if (client !== doc.clientID) continue;
      const user = (JSON.parse(state) as { user?: unknown } | null)?.user;
      const mine = provider.awareness.getLocalState()?.user;
      if (user && typeof user === "object" && JSON.stringify(user) !== JSON.stringify(mine))
        provider.awareness.setLocalStateField("user", user);
    }
    stockAwareness?.(encoder, decoder, p, emitSynced, type);
  };
  /** Send our state vector: the server answers with a step 2, which carries its delete set. */
  const askForDeletions = () => {
    const ws = provider.ws;
    if (!ws || !provider.wsconnected) return;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, messageSync);
    syncProtocol.writeSyncStep1(encoder, doc);
    ws.send(encoding.toUint8Array(encoder));
  };

  provider.on("status", ({ status }) => {
    connected = status === "connected";
    if (connected) {
      failed = false;
      firstVector = true;
    }
    refresh();
  });
  provider.on("connection-close", (event) => {
    failed = true;
    if (event && final(event.code)) closed = event.code; // not "offline": the "closed" event follows
    refresh();
  });
  provider.on("closed", ({ code }) => {
    closed = code;
    if (code === 4403 && reloadOnce()) return;
    // The file is gone (deleted, or moved to a path with a document of its own) or its text was
    // replaced (an upload, a pull: it gets a new document): no later page can open this one
    // again, so its copies here would only linger. The editor keeps showing the text,
    // read-only, until the page is left.
    if (documentEnded(code)) void forgetLocal();
    refresh();
    o.onClosed?.(code);
  });
  // The browser knows about a lost network before the socket does; back online, retry at once.
  const offline = () => {
    failed = true;
    // Say so now: the socket's close event can wait for a closing handshake that cannot happen.
    connected = false;
    provider.ws?.close();
    refresh();
  };
  const online = () => {
    if (closed === undefined && !provider.wsconnected) provider.connect();
  };
  addEventListener("offline", offline);
  addEventListener("online", online);

  if (o.user) {
    const color = colorFor(o.user.id);
    provider.awareness.setLocalStateField("user", {
      id: o.user.id,
      name: o.user.name,
      color,
      colorLight: `${color}33`,
    });
  }
  provider.connect();
  refresh();
  return live;
}

/** Delete an IndexedDB database, once no connection holds it (settled either way). */
function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = request.onerror = () => resolve();
  });
}

/** The document itself ended: its file was deleted, moved, or had its text replaced. */
export function documentEnded(code: number | undefined): boolean {
  return code === 4404 || code === 4409;
}

/** Close codes that reconnecting cannot fix; 1013 (too many connections) and the rest are retried. */
function final(code: number): boolean {
  return code in CLOSED || (code >= 4400 && code < 4500);
}

/**
 * Reload the page for changed access, unless it was reloaded for that moments ago (the server
 * would close the new page's socket the same way: say so instead). True if reloading.
 */
function reloadOnce(): boolean {
  try {
    const last = Number(sessionStorage.getItem("aura:reloaded-for-access"));
    if (Date.now() - last < RELOAD_GUARD_MS) return false;
    sessionStorage.setItem("aura:reloaded-for-access", String(Date.now()));
  } catch {
    return false; // no session storage, so no loop guard: do not reload
  }
  location.reload();
  return true;
}
