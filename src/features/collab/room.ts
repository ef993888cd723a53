/**
 * One live document and the sockets editing it. An edit is stored before anyone else sees it:
 * a client's update is applied to the document, and what it changed (nothing, for a repeat)
 * queues; each batch is appended to the document's log in one insert (a group commit), and
 * only then relayed to the other clients and published to other instances, and the sender
 * gets the server's state vector back as its receipt. A client joining meanwhile is answered
 * once the batch is stored.
 * The file itself follows the document shortly after (write-through), history snapshots are
 * taken at pauses, and the log is folded into a checkpoint from time to time.
 */
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import type { Logger } from "../../logger.ts";
import { MAX_FILE_BYTES } from "../files/service.ts";
import {
  type AwarenessEntry,
  awarenessMessage,
  decodeAwareness,
  encodeAwareness,
  MalformedMessage,
  parseMessage,
  step1Message,
  step2Message,
  updateMessage,
} from "./protocol.ts";
import { applyTextDiff as applyDiff } from "./text-diff.ts";

/** Close codes a client can act on (4000–4999 are the application's own). */
export const CLOSE = {
  malformed: 1003,
  tooLarge: 1009,
  storeFailed: 1011,
  shuttingDown: 1001,
  sessionEnded: 4401,
  accessChanged: 4403,
  fileGone: 4404,
  fileReplaced: 4409,
  documentTooLarge: 4413,
} as const;

/** One connected client, as the room sees it. */
export interface Peer {
  readonly userId: string;
  /** The session the socket was opened with: its end (a logout) closes the socket. */
  readonly sessionId?: string;
  readonly name: string;
  readonly color: string;
  /** False for a viewer: their updates are ignored and answered with nothing. */
  readonly canWrite: boolean;
  /** Awareness client ids this peer speaks for. */
  readonly owned: Set<number>;
  send(data: Uint8Array): void;
  close(code: number, reason: string): void;
}

/** How the room reaches storage and the other instances. */
export interface RoomHooks {
  logger: Logger;
  /** Append an update to the document's log; false when the document is gone. */
  persist(docId: string, update: Uint8Array, userId: string | null): Promise<boolean>;
  /**
   * Store `text` as the file (a snapshot also goes into its history, with `authors`). Returns
   * the file's version, undefined when the file or the document is gone, or "behind" (nothing
   * written) when the file was replaced from outside and `text` does not hold that edit:
   * `replaced` is the last replacement taken in when `text` was read (a replacement arriving
   * while the write waits does not make the text read before it any newer).
   */
  writeThrough(
    room: Room,
    text: string,
    snapshot: { authors: string[] } | undefined,
    replaced: number,
  ): Promise<number | "behind" | undefined>;
  /** The document as stored now (checkpoint and log), or undefined when it is gone. */
  reload(
    room: Room,
  ): Promise<{ state: Uint8Array; updates: Uint8Array[]; replacedVersion: number } | undefined>;
  /** Fold the log into the checkpoint. */
  checkpoint(docId: string): Promise<void>;
  /**
   * Tell other instances; they apply it to their copy of this room. `replaced`: the update is
   * the replacement of the file at that version from outside the editor.
   */
  publish(room: Room, kind: "update" | "awareness", data: Uint8Array, replaced?: number): void;
  /** The room has had no client for the linger time, or its file is gone: the hub unloads it. */
  release(room: Room): void;
}

/** Timings in milliseconds; tests shorten them. */
export interface RoomTimings {
  /** Write the file this long after the last change… */
  writeMs: number;
  /** …but at least this often while changes keep coming. */
  writeMaxMs: number;
  /** A history snapshot after this long without an edit… */
  snapshotIdleMs: number;
  /** …or this long after the last one while edits keep coming. */
  snapshotMaxMs: number;
  /** Keep a room with no clients loaded this long (a reload reconnects within it). */
  lingerMs: number;
  /** Fold the log into a checkpoint once it holds this many updates. */
  checkpointUpdates: number;
}

export const DEFAULT_TIMINGS: RoomTimings = {
  writeMs: 250,
  writeMaxMs: 3_000,
  snapshotIdleMs: 20_000,
  snapshotMaxMs: 5 * 60_000,
  lingerMs: 30_000,
  checkpointUpdates: 500,
};

/** The origin of changes that came from another instance (already stored there). */
const REMOTE = Symbol("remote");
/** The origin of the server's own edits (an API save, a restore): whose they are. */
class ServerEdit {
  constructor(readonly userId: string | null) {}
}
/** How long to wait before storing a batch again after the database failed. */
const RETRY_MS = 1_000;
/** The most awareness ids one socket may speak for (a client has one). */
const MAX_OWNED = 4;

/** A change to the document waiting to be stored: the update, and who made it. */
interface Queued {
  origin: Peer | ServerEdit;
  update: Uint8Array;
}

export class Room {
  readonly doc = new Y.Doc();
  readonly text = this.doc.getText("content");
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly peers = new Set<Peer>();
  /** The file version the document was last written to or read from. */
  fileVersion: number;
  /** The last replacement of the file from outside the editor that this copy holds (see docStates). */
  replacedVersion: number;
  #queue: Queued[] = [];
  #pumping: Promise<void> | undefined;
  #lock: Promise<unknown> = Promise.resolve();
  #owners = new Map<number, Peer>();
  /** Changes not yet written to the file; since when. */
  #dirtySince: number | undefined;
  /** Who edited since the last history snapshot. */
  #authors = new Set<string>();
  #lastSnapshotAt = Date.now();
  #updatesSinceCheckpoint = 0;
  /** What is stored (here or by another instance), per Yjs client: the receipts' state vector. */
  #stored = new Map<number, number>();
  #writeTimer: Timer | undefined;
  #snapshotTimer: Timer | undefined;
  #lingerTimer: Timer | undefined;
  #closed = false;

  constructor(
    readonly projectId: string,
    readonly path: string,
    readonly docId: string,
    stored: { state: Uint8Array; updates: Uint8Array[]; fileVersion: number; replacedVersion?: number },
    private readonly hooks: RoomHooks,
    private readonly timings: RoomTimings,
  ) {
    this.fileVersion = stored.fileVersion;
    this.replacedVersion = stored.replacedVersion ?? 0;
    Y.applyUpdate(this.doc, stored.state, REMOTE);
    for (const update of stored.updates) {
      try {
        Y.applyUpdate(this.doc, update, REMOTE);
      } catch (err) {
        hooks.logger.error({ err, docId }, "live document: a stored update does not apply; skipped");
      }
    }
    this.#updatesSinceCheckpoint = stored.updates.length;
    this.#stored = Y.decodeStateVector(Y.encodeStateVector(this.doc));
    // The server is no participant: no awareness state of its own.
    this.awareness.setLocalState(null);
    this.doc.on("update", (update: Uint8Array, origin: unknown) => this.#onUpdate(update, origin));
    this.awareness.on("update", (change: AwarenessChange, origin: unknown) =>
      this.#relayAwareness(change, origin),
    );
  }

  /** A client joined: it gets the server's state vector (sync step 1) and everyone's presence. */
  join(peer: Peer): void {
    clearTimeout(this.#lingerTimer);
    this.peers.add(peer);
    peer.send(step1Message(this.#stored));
    const states = this.awareness.getStates();
    if (states.size > 0)
      peer.send(
        awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...states.keys()])),
      );
  }

  /** A client left: its presence goes, and an empty room lingers before it is released. */
  leave(peer: Peer): void {
    if (!this.peers.delete(peer)) return;
    const ids = [...peer.owned].filter((id) => this.#owners.get(id) === peer);
    for (const id of ids) this.#owners.delete(id);
    if (ids.length > 0) awarenessProtocol.removeAwarenessStates(this.awareness, ids, peer);
    if (this.peers.size === 0 && !this.#closed) this.#linger();
  }

  /** Start the linger clock of a room nobody has joined yet (opened by a save or a page). */
  #linger(): void {
    clearTimeout(this.#lingerTimer);
    this.#lingerTimer = setTimeout(() => {
      if (this.peers.size === 0) this.hooks.release(this);
    }, this.timings.lingerMs);
  }

  idle(): void {
    if (this.peers.size === 0) this.#linger();
  }

  /**
   * A message from a client. Throws MalformedMessage (close 1003); an update that would take
   * the document over the file limit closes that socket with 4413 and is dropped.
   */
  receive(peer: Peer, data: Uint8Array): void {
    const message = parseMessage(data);
    switch (message.kind) {
      case "step1":
        // Nothing not yet stored goes out: a batch being stored is waited for.
        if (this.#pumping)
          void this.#pumping.then(
            () => this.peers.has(peer) && peer.send(step2Message(this.doc, message.stateVector)),
          );
        else peer.send(step2Message(this.doc, message.stateVector));
        return;
      case "update":
        if (!peer.canWrite) return;
        if (this.#wouldExceed(message.update)) {
          peer.close(CLOSE.documentTooLarge, "the document would be over the 1 MiB file limit");
          return;
        }
        // What it changes (if anything) is queued by the update handler, to be stored.
        Y.applyUpdate(this.doc, message.update, peer);
        return;
      case "awareness":
        this.#receiveAwareness(peer, message.update);
        return;
      case "query-awareness":
        peer.send(
          awarenessMessage(
            awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...this.awareness.getStates().keys()]),
          ),
        );
        return;
    }
  }

  /**
   * An update or presence change another instance stored and published (`replaced`: the
   * replacement of the file at that version from outside the editor).
   */
  receiveRemote(kind: "update" | "awareness", data: Uint8Array, replaced?: number): void {
    if (this.#closed) return;
    if (kind === "update") {
      this.#markStored(data);
      Y.applyUpdate(this.doc, data, REMOTE);
      if (replaced !== undefined) this.#tookReplacement(replaced);
      this.#changed(false);
    } else awarenessProtocol.applyAwarenessUpdate(this.awareness, data, REMOTE);
  }

  /** Run `work` alone: writes of the file and the server's own edits never interleave. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#lock.then(work, work);
    this.#lock = run.catch(() => undefined);
    return run;
  }

  /**
   * Make the document read `target` by a line diff, as an edit of `userId`: stored, then sent
   * to every client and instance. Call inside `exclusive`.
   */
  async replaceText(target: string, userId: string | null): Promise<void> {
    this.doc.transact(() => applyDiff(this.text, target), new ServerEdit(userId));
    await this.#pumping;
  }

  /**
   * Before the file is replaced from outside the editor (an upload over it, a pull): the text
   * as it stands goes into the file and its history, so nothing typed before is lost with it,
   * and a copy of the document at that very point is returned to make the replacement's edit
   * from. What arrives later is concurrent with the replacement and merges with it. Undefined
   * when the file or document is gone. Call inside `exclusive`; throws when the store fails.
   */
  async prepareReplacement(): Promise<Y.Doc | undefined> {
    clearTimeout(this.#writeTimer);
    let fork: Y.Doc | undefined;
    const authors = [...this.#authors];
    const dirtySince = this.#dirtySince;
    try {
      // Nothing unstored goes into the copy: the replacement's edit may only refer to stored ones.
      while (this.#pumping) await this.#pumping;
      if (this.#closed || this.doc.isDestroyed || this.#queue.length > 0) return undefined;
      const version = await this.#store({ authors }, () => {
        fork?.destroy();
        fork = new Y.Doc();
        Y.applyUpdate(fork, Y.encodeStateAsUpdate(this.doc));
        this.#dirtySince = undefined;
      });
      if (version === undefined) {
        fork?.destroy();
        this.gone();
        return undefined;
      }
      this.#wrote(version, { authors });
      return fork;
    } catch (err) {
      fork?.destroy();
      this.#dirtySince ??= dirtySince ?? Date.now();
      if (!this.#closed) this.#changed(false);
      throw err;
    }
  }

  /**
   * The replacement of the file at `version` (text `content`) was stored with its edit
   * `update` (none when the text did not change), in the transaction that stored the file:
   * every client here receives the edit, and so do the other instances. Call inside `exclusive`.
   */
  applyReplacement(update: Uint8Array | undefined, version: number, content: string): void {
    if (this.doc.isDestroyed) return;
    if (update) {
      this.#markStored(update);
      Y.applyUpdate(this.doc, update, REMOTE);
      this.hooks.publish(this, "update", update, version);
    }
    this.#tookReplacement(version);
    // Keystrokes that arrived meanwhile merged with it: the file follows the document.
    if (this.text.toString() !== content) this.#changed(false);
  }

  #tookReplacement(version: number): void {
    this.replacedVersion = Math.max(this.replacedVersion, version);
    this.fileVersion = Math.max(this.fileVersion, version);
  }

  /** Write pending changes to the file now (before a save reads its version). Call inside `exclusive`. */
  async writeNow(): Promise<void> {
    await this.#pumping;
    if (this.#dirtySince !== undefined) await this.#writeThrough(undefined);
  }

  /** Mark the document as ahead of the file (after loading it past a crash). */
  markDirty(): void {
    this.#changed(false);
  }

  /**
   * Unload: finish storing, write the file, take a history snapshot of unsnapshotted edits
   * and fold the log. Clients still connected are closed with `code`.
   */
  async close(code: number = CLOSE.shuttingDown, reason = "the server is restarting"): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const timer of [this.#writeTimer, this.#snapshotTimer, this.#lingerTimer]) clearTimeout(timer);
    for (const peer of [...this.peers]) peer.close(code, reason);
    await this.exclusive(async () => {
      await this.#pumping;
      // The file went, or its text was replaced outside the document: nothing to write back.
      if (code === CLOSE.fileGone || code === CLOSE.fileReplaced) return;
      const authors = [...this.#authors];
      if (this.#dirtySince !== undefined || authors.length > 0)
        await this.#writeThrough(authors.length > 0 ? { authors } : undefined);
      if (this.#updatesSinceCheckpoint > 0) await this.hooks.checkpoint(this.docId);
    }).catch((err) => this.hooks.logger.warn({ err, docId: this.docId }, "live document: unloading failed"));
    this.awareness.destroy();
    this.doc.destroy();
  }

  /** The file was deleted or moved away: its clients are told and the room goes. */
  gone(): void {
    this.hooks.release(this);
    void this.close(CLOSE.fileGone, "the file was deleted or renamed");
  }

  get closed(): boolean {
    return this.#closed;
  }

  // --- storing and relaying --------------------------------------------------------------------

  /** The document changed: a remote change is relayed at once, a local one stored first. */
  #onUpdate(update: Uint8Array, origin: unknown): void {
    if (origin === REMOTE) {
      this.#send(updateMessage(update));
      return;
    }
    const from = origin instanceof ServerEdit ? origin : (origin as Peer);
    this.#queue.push({ origin: from, update });
    this.#pumping ??= this.#pump().finally(() => {
      this.#pumping = undefined;
    });
  }

  async #pump(): Promise<void> {
    while (this.#queue.length > 0 && !this.#closed) {
      const batch = this.#queue.slice();
      const byUser = new Map<string | null, Uint8Array[]>();
      for (const { origin, update } of batch) {
        const list = byUser.get(origin.userId) ?? [];
        list.push(update);
        byUser.set(origin.userId, list);
      }
      try {
        for (const [userId, updates] of byUser) {
          const merged = updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates);
          if (!(await this.hooks.persist(this.docId, merged, userId))) return this.gone();
          this.#updatesSinceCheckpoint++;
        }
      } catch (err) {
        // Kept in the queue and in the document, relayed to nobody yet; stored once the
        // database answers again (the senders keep their edits until they get a receipt).
        this.hooks.logger.error({ err, docId: this.docId }, "live document: storing an update failed");
        await Bun.sleep(RETRY_MS);
        continue;
      }
      this.#queue.splice(0, batch.length);
      for (const { origin, update } of batch) {
        const message = updateMessage(update);
        for (const peer of this.peers) if (peer !== origin) peer.send(message);
      }
      this.hooks.publish(
        this,
        "update",
        batch.length === 1 ? batch[0]!.update : Y.mergeUpdates(batch.map((b) => b.update)),
      );
      // The receipt: the server's state vector now covers what each sender sent.
      for (const { update } of batch) this.#markStored(update);
      const receipt = step1Message(this.#stored);
      for (const { origin } of batch)
        if (!(origin instanceof ServerEdit) && this.peers.has(origin)) origin.send(receipt);
      for (const userId of byUser.keys()) if (userId) this.#authors.add(userId);
      this.#changed(true);
      if (this.#updatesSinceCheckpoint >= this.timings.checkpointUpdates) {
        this.#updatesSinceCheckpoint = 0;
        this.hooks
          .checkpoint(this.docId)
          .catch((err) =>
            this.hooks.logger.warn({ err, docId: this.docId }, "live document: checkpoint failed"),
          );
      }
    }
  }

  /** Count a stored update's ids in the stored state vector (a client's clocks only grow). */
  #markStored(update: Uint8Array): void {
    // `to`: per client, the clock after the update's last item (the update may start anywhere).
    for (const [client, clock] of Y.parseUpdateMeta(update).to)
      if ((this.#stored.get(client) ?? 0) < clock) this.#stored.set(client, clock);
  }

  #send(message: Uint8Array): void {
    for (const peer of this.peers) peer.send(message);
  }

  /** Would applying `update` take the text over the file limit? Exact, and cheap far from it. */
  #wouldExceed(update: Uint8Array): boolean {
    // An update carries its inserted text as UTF-8, so it can add at most its own length.
    const worst = this.text.length * 3 + update.length;
    if (worst <= MAX_FILE_BYTES) return false;
    if (Buffer.byteLength(this.text.toString()) + update.length <= MAX_FILE_BYTES) return false;
    const probe = new Y.Doc();
    try {
      Y.applyUpdate(probe, Y.encodeStateAsUpdate(this.doc));
      Y.applyUpdate(probe, update);
      return Buffer.byteLength(probe.getText("content").toString()) > MAX_FILE_BYTES;
    } finally {
      probe.destroy();
    }
  }

  // --- presence --------------------------------------------------------------------------------

  /**
   * Presence from a client, with its identity put right: a socket speaks only for the
   * awareness ids it introduced, and `user` carries the signed-in name and colour whatever
   * the client claimed.
   */
  #receiveAwareness(peer: Peer, update: Uint8Array): void {
    const entries: AwarenessEntry[] = [];
    for (const entry of decodeAwareness(update)) {
      const owner = this.#owners.get(entry.clientId);
      if (owner && owner !== peer) continue;
      if (!owner) {
        if (peer.owned.size >= MAX_OWNED) continue;
        this.#owners.set(entry.clientId, peer);
        peer.owned.add(entry.clientId);
      }
      const state = entry.state && {
        ...entry.state,
        user: { id: peer.userId, name: peer.name, color: peer.color, colorLight: `${peer.color}33` },
      };
      entries.push({ ...entry, state });
    }
    if (entries.length > 0)
      awarenessProtocol.applyAwarenessUpdate(this.awareness, encodeAwareness(entries), peer);
  }

  #relayAwareness({ added, updated, removed }: AwarenessChange, origin: unknown): void {
    const changed = [...added, ...updated, ...removed];
    if (changed.length === 0 || this.#closed) return;
    const update = awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed);
    this.#send(awarenessMessage(update));
    if (origin !== REMOTE) this.hooks.publish(this, "awareness", update);
  }

  // --- the file and its history ----------------------------------------------------------------

  /** The document changed (`local`: by a client here, so the edit counts for the history). */
  #changed(local: boolean): void {
    const now = Date.now();
    this.#dirtySince ??= now;
    clearTimeout(this.#writeTimer);
    const due = Math.min(this.timings.writeMs, this.#dirtySince + this.timings.writeMaxMs - now);
    this.#writeTimer = setTimeout(
      () => void this.exclusive(() => this.#writeThrough(undefined)),
      Math.max(0, due),
    );
    if (!local) return;
    clearTimeout(this.#snapshotTimer);
    const snapshotDue = Math.min(
      this.timings.snapshotIdleMs,
      this.#lastSnapshotAt + this.timings.snapshotMaxMs - now,
    );
    this.#snapshotTimer = setTimeout(() => void this.#snapshot(), Math.max(0, snapshotDue));
  }

  async #snapshot(): Promise<void> {
    await this.exclusive(async () => {
      const authors = [...this.#authors];
      if (authors.length > 0) await this.#writeThrough({ authors });
    });
    if (this.#updatesSinceCheckpoint > 0 && !this.#closed) {
      this.#updatesSinceCheckpoint = 0;
      await this.hooks
        .checkpoint(this.docId)
        .catch((err) =>
          this.hooks.logger.warn({ err, docId: this.docId }, "live document: checkpoint failed"),
        );
    }
  }

  async #writeThrough(snapshot: { authors: string[] } | undefined): Promise<void> {
    clearTimeout(this.#writeTimer);
    if (this.doc.isDestroyed) return;
    const dirtySince = this.#dirtySince;
    try {
      const version = await this.#store(snapshot, () => {
        this.#dirtySince = undefined;
      });
      if (version === undefined) return this.gone();
      this.#wrote(version, snapshot);
    } catch (err) {
      // Kept in the log; tried again shortly (the store may be back, or the limit raised).
      this.hooks.logger.warn({ err, docId: this.docId }, "live document: writing the file failed");
      this.#dirtySince = dirtySince ?? Date.now();
      if (!this.#closed) {
        clearTimeout(this.#writeTimer);
        this.#writeTimer = setTimeout(() => void this.exclusive(() => this.#writeThrough(snapshot)), 5_000);
      }
    }
  }

  /**
   * Store the text as the file; `capture` runs just before the text is read. A copy behind a
   * replacement made on another instance (its edit not received yet) catches up from the
   * stored log first, so it never writes its older text over the replacement. The file's
   * version, or undefined when the file or document is gone; throws when the store fails.
   */
  async #store(
    snapshot: { authors: string[] } | undefined,
    capture: () => void,
  ): Promise<number | undefined> {
    for (let attempt = 0; ; attempt++) {
      capture();
      const version = await this.hooks.writeThrough(
        this,
        this.text.toString(),
        snapshot,
        this.replacedVersion,
      );
      if (version !== "behind") return version;
      if (attempt >= 2) throw new Error("the document stays behind a replacement of its file");
      const stored = await this.hooks.reload(this);
      if (!stored || this.doc.isDestroyed) return undefined;
      this.#markStored(stored.state);
      Y.applyUpdate(this.doc, stored.state, REMOTE);
      for (const update of stored.updates) {
        try {
          this.#markStored(update);
          Y.applyUpdate(this.doc, update, REMOTE);
        } catch (err) {
          this.hooks.logger.error(
            { err, docId: this.docId },
            "live document: a stored update does not apply; skipped",
          );
        }
      }
      this.#tookReplacement(stored.replacedVersion);
    }
  }

  #wrote(version: number, snapshot: { authors: string[] } | undefined): void {
    this.fileVersion = version;
    if (snapshot) {
      for (const author of snapshot.authors) this.#authors.delete(author);
      this.#lastSnapshotAt = Date.now();
    }
  }
}

interface AwarenessChange {
  added: number[];
  updated: number[];
  removed: number[];
}

export { MalformedMessage };
