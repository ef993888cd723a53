/**
 * The live documents of this instance: loads a room on first use, relays between instances
 * through the cache's pub/sub (Redis when configured), unloads idle rooms, and tells rooms of
 * deleted files and changed memberships. Everything that touches a file's document from
 * outside a socket (a save through the API, a restore, the editor page) comes through here.
 */
import { eq } from "drizzle-orm";
import * as Y from "yjs";
import { projectScope } from "../../adapters/cache/memo.ts";
import * as files from "../../db/queries/files.ts";
import * as docs from "../../db/queries/live-documents.ts";
import { touchProject } from "../../db/queries/projects.ts";
import { lockUser } from "../../db/queries/users.ts";
import { projects } from "../../db/schema/projects.ts";
import type { Database } from "../../db/types.ts";
import type { FileReplacements, IndexedFiles, LiveDocuments, Ports } from "../../ports.ts";
import { sessionActive } from "../auth/service.ts";
import { measureContent, storeFile } from "../files/service.ts";
import { projectAccess } from "../projects/access.ts";
import { CLOSE, DEFAULT_TIMINGS, Room, type RoomTimings } from "./room.ts";
import { applyTextDiff } from "./text-diff.ts";

type HubDeps = Pick<Ports, "db" | "cache" | "memo" | "logger" | "config"> & { context?: IndexedFiles };

const CONTROL_CHANNEL = "collab:control";
/** How often open sockets' sessions are checked (a logout closes them within this). */
const SESSION_CHECK_MS = 30_000;
const roomChannel = (projectId: string, path: string) => `collab:doc:${projectId}:${path}`;

interface RoomMessage {
  /** The sending instance. */
  i: string;
  /** The document's lineage: a message for another one is ignored. */
  d: string;
  k: "update" | "awareness";
  /** The update, base64. */
  b: string;
  /** The update replaces the file at this version from outside the editor (an upload, a pull). */
  v?: number;
}

interface ControlMessage {
  i: string;
  k: "gone" | "access";
  p: string;
  paths?: string[];
  /** For `gone`: the files' text was replaced (an upload, a pull), not deleted. */
  r?: "replaced";
}

export class CollabHub implements LiveDocuments {
  readonly #instance = crypto.randomUUID();
  readonly #rooms = new Map<string, Promise<Room | undefined>>();
  readonly #unsubscribe = new Map<Room, Promise<() => Promise<void>>>();
  /** Rooms loaded and not yet unloaded. */
  readonly #live = new Set<Room>();
  readonly #control: Promise<(() => Promise<void>) | undefined>;
  readonly #sessionCheck: Timer;
  /** Told of every access change, here or on another instance (terminals close on it). */
  readonly #accessListeners: ((projectId: string) => void)[] = [];
  #closing = false;

  constructor(
    private readonly deps: HubDeps,
    private readonly timings: RoomTimings = DEFAULT_TIMINGS,
  ) {
    this.#control = deps.cache
      .subscribe(CONTROL_CHANNEL, (raw) => this.#onControl(raw))
      .catch((err) => {
        deps.logger.warn({ err }, "live documents: cannot subscribe to control messages");
        return undefined;
      });
    this.#sessionCheck = setInterval(() => void this.recheckSessions(), SESSION_CHECK_MS);
    this.#sessionCheck.unref();
  }

  /** Documents loaded here and sockets open on them (metrics). */
  stats(): { documents: number; connections: number } {
    let connections = 0;
    for (const room of this.#live) connections += room.peers.size;
    return { documents: this.#live.size, connections };
  }

  /** The loaded room of a file, or undefined. */
  async loaded(projectId: string, path: string): Promise<Room | undefined> {
    return this.#rooms.get(key(projectId, path));
  }

  /**
   * The room of a file, loading it (and creating its document from the file) when needed;
   * undefined when the file does not exist. The caller has checked access.
   */
  room(projectId: string, path: string): Promise<Room | undefined> {
    const id = projectId.toLowerCase();
    const k = key(id, path);
    let room = this.#rooms.get(k);
    if (!room) {
      room = this.#load(id, path).catch((err) => {
        this.#rooms.delete(k);
        throw err;
      });
      this.#rooms.set(k, room);
      void room.then((r) => {
        if (!r) this.#rooms.delete(k);
        else r.idle();
      });
    }
    return room;
  }

  /**
   * The document of an open file as the editor page embeds it: its lineage id, its state and
   * its text (which may be ahead of the stored file by the last fraction of a second).
   */
  async document(projectId: string, path: string) {
    const room = await this.room(projectId, path);
    if (!room) return undefined;
    return { docId: room.docId, state: Y.encodeStateAsUpdate(room.doc), text: room.text.toString() };
  }

  /**
   * Save a file through its live document: pending edits are written first (so the save's
   * base version is checked against the latest text), then `save` stores the file and the
   * new text is applied to the document as a diff that every open editor receives. A file
   * with no document yet is just saved.
   */
  async saveThrough<F extends { content: string; version: number }>(
    projectId: string,
    path: string,
    userId: string,
    save: () => Promise<F>,
  ): Promise<F> {
    const id = projectId.toLowerCase();
    const hasDoc =
      this.#rooms.has(key(id, path)) ||
      (await docs.loadDocId(await this.deps.db.get(), id, path)) !== undefined;
    const room = hasDoc ? await this.room(id, path) : undefined;
    if (!room) return save();
    return room.exclusive(async () => {
      await room.writeNow();
      const saved = await save();
      await room.replaceText(saved.content, userId);
      await docs.markFileVersion(await this.deps.db.get(), room.docId, saved.version);
      room.fileVersion = saved.version;
      return saved;
    });
  }

  /**
   * Replace files from outside the editor (an upload over them, a pull): `content` is the new
   * text, or undefined for bytes. `store` runs the transaction that stores the files and calls
   * `documents.stored` for each stored file, which puts a new text into the file's live document
   * as an edit, in that same transaction. Only after it commits do the open editors receive
   * the edits, here and on the other instances; a refused store changes no document.
   *
   * The documents of the files (loaded here when they exist, wherever they are open) are held
   * in their exclusive sections throughout, so no write of theirs comes between: first each
   * writes its text to the file and its history (nothing typed before is lost), and the edit is
   * made from a copy taken at that point, so keystrokes arriving meanwhile merge with it rather
   * than being overwritten. A copy on another instance that writes before receiving the edit
   * finds the document marked as replaced and catches up from the stored log first.
   * A file replaced by bytes is no edit: its document is dropped by the caller, whose editors
   * are then told with `filesRemoved`.
   */
  async replaceFiles<R>(
    projectId: string,
    userId: string,
    replaced: { path: string; content: string | undefined }[],
    store: (documents: FileReplacements) => Promise<R>,
  ): Promise<R> {
    const id = projectId.toLowerCase();
    const contents = new Map(replaced.map((r) => [r.path, r.content]));
    for (let attempt = 0; ; attempt++) {
      const rooms = await this.#roomsOf(id, [...contents.keys()]);
      const outcome = await holdAll<{ done: true; result: R } | { done: false }>(rooms, async () => {
        // A room unloading meanwhile is loaded again (its document may be open elsewhere).
        if (rooms.some((room) => room.closed) && attempt < 3) return { done: false };
        const copies = new Map<string, { room: Room; copy: Y.Doc }>();
        try {
          for (const room of rooms) {
            const copy = room.closed ? undefined : await room.prepareReplacement();
            if (copy) copies.set(room.path, { room, copy });
          }
          const applied: { room: Room; update: Uint8Array | undefined; version: number; content: string }[] =
            [];
          const result = await store({
            stored: async (tx: Database, file: { path: string; version: number }) => {
              const held = copies.get(file.path);
              const content = contents.get(file.path);
              if (!held || content === undefined) return false;
              const update = replacementEdit(held.copy, content);
              if (!(await docs.storeReplacement(tx, held.room.docId, update, userId, file.version)))
                return false;
              applied.push({ room: held.room, update, version: file.version, content });
              return true;
            },
          });
          for (const { room, update, version, content } of applied)
            room.applyReplacement(update, version, content);
          return { done: true, result };
        } finally {
          for (const { copy } of copies.values()) copy.destroy();
        }
      });
      if (outcome.done) return outcome.result;
    }
  }

  /** The rooms of those files that have a live document (loading them), by path. */
  async #roomsOf(projectId: string, paths: string[]): Promise<Room[]> {
    const withDocs = new Set(await docs.docPaths(await this.deps.db.get(), projectId, paths));
    const rooms: Room[] = [];
    for (const path of [...paths].sort()) {
      if (!withDocs.has(path) && !this.#rooms.has(key(projectId, path))) continue;
      const room = await this.room(projectId, path);
      if (room) rooms.push(room);
    }
    return rooms;
  }

  /**
   * Files left these paths (deleted or moved), or bytes replaced their text (an upload, a
   * pull): their editors are told which, here and elsewhere.
   */
  async filesRemoved(projectId: string, paths: string[], how: "gone" | "replaced" = "gone"): Promise<void> {
    this.#closeGone(projectId.toLowerCase(), paths, how);
    await this.#publishControl({
      k: "gone",
      p: projectId.toLowerCase(),
      paths,
      ...(how === "replaced" ? { r: "replaced" as const } : {}),
    });
  }

  /**
   * Before files move or go: write their documents' pending edits so the stored text is the
   * latest (a rename keeps every keystroke).
   */
  async flushFiles(projectId: string, paths: (path: string) => boolean): Promise<void> {
    const prefix = `${projectId.toLowerCase()}\n`;
    const rooms = [...this.#rooms.entries()].filter(
      ([k]) => k.startsWith(prefix) && paths(k.slice(prefix.length)),
    );
    await Promise.all(
      rooms.map(async ([, pending]) => {
        const room = await pending.catch(() => undefined);
        if (room) await room.exclusive(() => room.writeNow());
      }),
    );
  }

  /** Call `listener` whenever a project's memberships change, here or on another instance. */
  onAccessChanged(listener: (projectId: string) => void): void {
    this.#accessListeners.push(listener);
  }

  /** Memberships or the project changed: every socket of the project is checked again, everywhere. */
  async accessChanged(projectId: string): Promise<void> {
    await this.#recheck(projectId.toLowerCase());
    await this.#publishControl({ k: "access", p: projectId.toLowerCase() });
  }

  /**
   * After a crash, the files of documents with unfolded updates may lag behind them: load
   * each once, which writes the file and folds the log as the room unloads.
   */
  async recover(): Promise<number> {
    const pending = await docs.docsWithUpdates(await this.deps.db.get());
    for (const { projectId, path } of pending) {
      const room = await this.room(projectId, path).catch((err) => {
        this.deps.logger.warn({ err, projectId, path }, "live documents: recovery could not load a document");
        return undefined;
      });
      room?.markDirty();
    }
    if (pending.length > 0) this.deps.logger.info({ documents: pending.length }, "live documents recovered");
    return pending.length;
  }

  /** Unload every room (writing files and folding logs) and stop listening. */
  async close(): Promise<void> {
    this.#closing = true;
    clearInterval(this.#sessionCheck);
    const rooms = await Promise.all([...this.#rooms.values()].map((r) => r.catch(() => undefined)));
    this.#rooms.clear();
    await Promise.all(rooms.map((room) => room && this.#unload(room, CLOSE.shuttingDown)));
    await (await this.#control)?.();
  }

  // --- loading and unloading -------------------------------------------------------------------

  async #load(projectId: string, path: string): Promise<Room | undefined> {
    if (this.#closing) throw new Error("live documents are shutting down");
    const db = await this.deps.db.get();
    const file = await files.getFile(db, projectId, path);
    // A binary file has no text to edit together: it is uploaded and downloaded whole.
    if (file?.encoding !== "utf8") return undefined;
    // Listen before loading, so nothing published meanwhile is missed (an update applied
    // twice is harmless).
    const early: RoomMessage[] = [];
    let room: Room | undefined;
    const unsubscribe = this.deps.cache.subscribe(roomChannel(projectId, path), (raw) => {
      const message = parseRoomMessage(raw);
      if (!message || message.i === this.#instance) return;
      if (room) {
        if (message.d === room.docId)
          room.receiveRemote(message.k, Buffer.from(message.b, "base64"), message.v);
      } else early.push(message);
    });
    await unsubscribe;
    let stored = await docs.loadDoc(db, projectId, path);
    if (!stored) {
      const fresh = new Y.Doc();
      fresh.getText("content").insert(0, file.content);
      stored = await docs.createDoc(db, {
        projectId,
        path,
        state: Y.encodeStateAsUpdate(fresh),
        fileVersion: file.version,
      });
      fresh.destroy();
    }
    room = new Room(
      projectId,
      path,
      stored.id,
      {
        state: stored.state,
        updates: stored.updates.map((u) => u.update),
        fileVersion: stored.fileVersion,
        replacedVersion: stored.replacedVersion,
      },
      {
        logger: this.deps.logger,
        persist: async (docId, update, userId) =>
          docs.appendUpdate(await this.deps.db.get(), docId, update, userId),
        writeThrough: (r, text, snapshot, replaced) => this.#writeThrough(r, text, snapshot, replaced),
        reload: async (r) => {
          const again = await docs.loadDoc(await this.deps.db.get(), r.projectId, r.path);
          if (again?.id !== r.docId) return undefined;
          return {
            state: again.state,
            updates: again.updates.map((u) => u.update),
            replacedVersion: again.replacedVersion,
          };
        },
        checkpoint: async (docId) => {
          await docs.checkpointDoc(await this.deps.db.get(), docId, mergeState);
        },
        publish: (r, kind, data, replaced) => this.#publish(r, kind, data, replaced),
        release: (r) => void this.#release(r),
      },
      this.timings,
    );
    this.#unsubscribe.set(room, unsubscribe);
    this.#live.add(room);
    for (const message of early)
      if (message.d === room.docId)
        room.receiveRemote(message.k, Buffer.from(message.b, "base64"), message.v);
    // The file changed outside the document (a save while no document existed on an instance
    // without this code path, or a restore of the database): the document takes the file's text.
    const text = room.text.toString();
    if (file.version > stored.fileVersion && text !== file.content) {
      const loaded = room;
      await loaded.exclusive(() => loaded.replaceText(file.content, null));
      await docs.markFileVersion(db, room.docId, file.version);
      room.fileVersion = file.version;
    } else if (text !== file.content) room.markDirty();
    return room;
  }

  async #release(room: Room): Promise<void> {
    const k = key(room.projectId, room.path);
    const current = await this.#rooms.get(k)?.catch(() => undefined);
    if (current === room) this.#rooms.delete(k);
    await this.#unload(room, CLOSE.shuttingDown);
  }

  async #unload(room: Room, code: number, reason?: string): Promise<void> {
    this.#live.delete(room);
    await room.close(code, reason);
    const unsubscribe = this.#unsubscribe.get(room);
    this.#unsubscribe.delete(room);
    await (await unsubscribe?.catch(() => undefined))?.().catch(() => undefined);
  }

  // --- the file behind a document --------------------------------------------------------------

  /**
   * Store the document's text as its file — only a file that still exists, and only while this
   * is still the file's document: a document never brings back a deleted file, nor its old text
   * over an upload or a pull. Under the owner's lock, with the project's and owner's size
   * limits, like any save; the history gets a snapshot when asked.
   */
  async #writeThrough(
    room: Room,
    text: string,
    snapshot: { authors: string[] } | undefined,
    replaced: number,
  ): Promise<number | "behind" | undefined> {
    const data = measureContent(room.path, text);
    const db = await this.deps.db.get();
    const { projectId, path } = room;
    const outcome = await this.deps.memo.writing([projectScope(projectId)], () =>
      db.transaction(async (tx) => {
        const [project] = await tx
          .select({ userId: projects.userId })
          .from(projects)
          .where(eq(projects.id, projectId))
          .limit(1);
        if (!project) return undefined;
        await lockUser(tx, project.userId);
        const current = await files.lockFile(tx, projectId, path);
        if (!current) return undefined;
        // Read with the file's row locked: a replacement stores the file and marks its document
        // in one transaction. A dropped document writes nothing (its file was replaced by
        // bytes, or moved); a copy that has not taken in a replacement must catch up first.
        const held = await docs.docVersions(tx, room.docId);
        if (!held) return undefined;
        if (held.replacedVersion > replaced) return "behind" as const;
        const changed = current.contentHash !== data.contentHash;
        const file = changed
          ? await storeFile(tx, this.deps.config.storage, {
              ownerId: project.userId,
              projectId,
              path,
              data,
              baseVersion: current.version,
              userId: project.userId,
              history: false,
            })
          : snapshot
            ? await files.getFile(tx, projectId, path)
            : undefined;
        if (changed) await touchProject(tx, projectId);
        if (snapshot && file)
          await files.recordVersion(tx, file, snapshot.authors.at(-1) ?? null, snapshot.authors);
        const version = file?.version ?? current.version;
        await docs.markFileVersion(tx, room.docId, version);
        return { version, changed };
      }),
    );
    if (outcome === "behind") return outcome;
    if (outcome?.changed) this.deps.context?.fileChanged(projectId, path);
    return outcome?.version;
  }

  // --- between instances -----------------------------------------------------------------------

  #publish(room: Room, kind: "update" | "awareness", data: Uint8Array, replaced?: number): void {
    const message: RoomMessage = {
      i: this.#instance,
      d: room.docId,
      k: kind,
      b: Buffer.from(data).toString("base64"),
      ...(replaced === undefined ? {} : { v: replaced }),
    };
    this.deps.cache
      .publish(roomChannel(room.projectId, room.path), JSON.stringify(message))
      .catch((err) => this.deps.logger.warn({ err }, "live documents: publishing failed"));
  }

  async #publishControl(message: Omit<ControlMessage, "i">): Promise<void> {
    await this.deps.cache
      .publish(CONTROL_CHANNEL, JSON.stringify({ ...message, i: this.#instance }))
      .catch((err) => this.deps.logger.warn({ err }, "live documents: publishing failed"));
  }

  #onControl(raw: string): void {
    let message: ControlMessage;
    try {
      message = JSON.parse(raw) as ControlMessage;
    } catch {
      return;
    }
    if (message.i === this.#instance || typeof message.p !== "string") return;
    if (message.k === "gone" && Array.isArray(message.paths))
      this.#closeGone(message.p, message.paths, message.r === "replaced" ? "replaced" : "gone");
    if (message.k === "access") void this.#recheck(message.p);
  }

  #closeGone(projectId: string, paths: string[], how: "gone" | "replaced"): void {
    const [code, reason] =
      how === "replaced"
        ? [CLOSE.fileReplaced, "the file was replaced by an upload or a pull"]
        : [CLOSE.fileGone, "the file was deleted or renamed"];
    for (const path of paths) {
      const k = key(projectId, path);
      const pending = this.#rooms.get(k);
      if (!pending) continue;
      this.#rooms.delete(k);
      void pending.then(
        (room) => room && this.#unload(room, code, reason),
        () => undefined,
      );
    }
  }

  /** Close the sockets whose session ended (a logout, a password change) since they opened. */
  async recheckSessions(): Promise<void> {
    for (const room of this.#live)
      for (const peer of [...room.peers]) {
        if (!peer.sessionId) continue;
        const active = await sessionActive(this.deps, peer.sessionId, peer.userId).catch(() => true);
        if (!active) peer.close(CLOSE.sessionEnded, "your session ended; sign in again");
      }
  }

  /** Close the sockets of people who lost access to the project or whose role changed. */
  async #recheck(projectId: string): Promise<void> {
    for (const listener of this.#accessListeners) listener(projectId);
    const prefix = `${projectId}\n`;
    for (const [k, pending] of this.#rooms) {
      if (!k.startsWith(prefix)) continue;
      const room = await pending.catch(() => undefined);
      if (!room) continue;
      for (const peer of [...room.peers]) {
        const role = await projectAccess(this.deps, peer.userId, projectId, "viewer").then(
          (a) => a.role,
          () => undefined,
        );
        if (!role || (role === "viewer") === peer.canWrite)
          peer.close(
            CLOSE.accessChanged,
            role ? "your role in this project changed" : "you no longer have access",
          );
      }
    }
  }
}

/** Run `work` inside the exclusive sections of all `rooms`, entered in their order. */
function holdAll<T>(rooms: Room[], work: () => Promise<T>): Promise<T> {
  return rooms.reduceRight<() => Promise<T>>((inner, room) => () => room.exclusive(inner), work)();
}

/** The edit that turns `copy`'s text into `content`, made on `copy`; undefined when it reads so already. */
function replacementEdit(copy: Y.Doc, content: string): Uint8Array | undefined {
  let edit: Uint8Array | undefined;
  const capture = (update: Uint8Array) => {
    edit = edit ? Y.mergeUpdates([edit, update]) : update;
  };
  copy.on("update", capture);
  try {
    copy.transact(() => applyTextDiff(copy.getText("content"), content));
  } finally {
    copy.off("update", capture);
  }
  return edit;
}

function key(projectId: string, path: string): string {
  return `${projectId}\n${path}`;
}

function parseRoomMessage(raw: string): RoomMessage | undefined {
  try {
    const message = JSON.parse(raw) as RoomMessage;
    if (typeof message.d !== "string" || typeof message.b !== "string") return undefined;
    if (message.k !== "update" && message.k !== "awareness") return undefined;
    if (message.v !== undefined && !Number.isSafeInteger(message.v)) return undefined;
    return message;
  } catch {
    return undefined;
  }
}

/** A checkpoint: the state with the updates applied, re-encoded (deleted text is dropped). */
function mergeState(state: Uint8Array, updates: Uint8Array[]): Uint8Array {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, state);
    for (const update of updates) {
      try {
        Y.applyUpdate(doc, update);
      } catch {
        // A stored update that does not apply was skipped when loading too.
      }
    }
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}
