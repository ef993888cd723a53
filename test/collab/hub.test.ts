import { afterAll, describe, expect, test } from "bun:test";
import { count, eq } from "drizzle-orm";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import { listVersions } from "../../src/db/queries/files.ts";
import { docStates, docUpdates } from "../../src/db/schema/live-documents.ts";
import { CollabHub } from "../../src/features/collab/hub.ts";
import { updateMessage } from "../../src/features/collab/protocol.ts";
import type { Peer, RoomTimings } from "../../src/features/collab/room.ts";
import * as files from "../../src/features/files/service.ts";
import { uploadFiles } from "../../src/features/files/transfer.ts";
import type { LiveDocuments } from "../../src/ports.ts";
import { createTestApp } from "../helpers/app.ts";
import { registerUser } from "../helpers/auth.ts";
import { api } from "../helpers/projects.ts";
import { eventually } from "./helpers.ts";

/**
 * The hub and its rooms without sockets, on short timings: what reaches the file, the
 * history and the log, and what a deleted or renamed file does to its document.
 */
const FAST: RoomTimings = {
  writeMs: 20,
  writeMaxMs: 200,
  snapshotIdleMs: 150,
  snapshotMaxMs: 2_000,
  lingerMs: 100,
  checkpointUpdates: 10,
};

const t = await createTestApp();
const hubs: CollabHub[] = [];
const hub = (deps = t.deps) => {
  const h = new CollabHub(deps, FAST);
  hubs.push(h);
  return h;
};
afterAll(async () => {
  for (const h of hubs) await h.close();
  await t.close();
});
const user = await registerUser(t);
const o = api(t, user.auth);
const project = await o.project({ name: "Hub" });

async function newFile(path: string, content: string) {
  const res = await o.put(`/api/v1/projects/${project.id}/files/${path}`, { content, baseVersion: 0 });
  expect(res.status).toBe(200);
}
const stored = (path: string) =>
  files.readFile(t.deps, user.user.id, project.id, path).catch(() => undefined);

/** A client of a room without a socket: a Y.Doc whose edits are sent as update messages. */
function client(h: CollabHub, path: string) {
  const inbox: Uint8Array[] = [];
  let closedWith: number | undefined;
  const peer: Peer = {
    userId: user.user.id,
    name: "Ada",
    color: "#000",
    canWrite: true,
    owned: new Set(),
    send: (data) => inbox.push(data),
    close: (code) => {
      closedWith = code;
    },
  };
  const doc = new Y.Doc();
  const ready = (async () => {
    const room = (await h.room(project.id, path))!;
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(room.doc));
    room.join(peer);
    doc.on("update", (update: Uint8Array, origin: unknown) => {
      if (origin !== "server") room.receive(peer, updateMessage(update));
    });
    return room;
  })();
  return { doc, text: doc.getText("content"), ready, inbox, closed: () => closedWith };
}

/** Apply a server message to a client document as y-websocket would (sync messages only). */
function applyMessage(doc: Y.Doc, message: Uint8Array) {
  const decoder = decoding.createDecoder(message);
  if (decoding.readVarUint(decoder) !== 0) return;
  syncProtocol.readSyncMessage(decoder, encoding.createEncoder(), doc, "server");
}

describe("live document rooms", () => {
  test("the file follows, a pause takes a history snapshot that names who edited, and the log is folded", async () => {
    await newFile("a.txt", "one\n");
    const h = hub();
    const c = client(h, "a.txt");
    const room = await c.ready;
    for (let i = 0; i < 25; i++) c.text.insert(c.text.length, `${i}\n`);
    const expected = c.text.toString();
    await eventually(async () => (await stored("a.txt"))?.content === expected, 3_000, "the file");
    const file = (await stored("a.txt"))!;
    await eventually(
      async () =>
        (await listVersions(await t.deps.db.get(), file.id)).some(
          (v) => v.version === file.version && v.editedBy.includes("Ada Lovelace"),
        ),
      3_000,
      "a snapshot naming the editor",
    );
    const db = await t.deps.db.get();
    await eventually(
      async () => {
        const [row] = await db
          .select({ n: count() })
          .from(docUpdates)
          .innerJoin(docStates, eq(docStates.id, docUpdates.docId))
          .where(eq(docStates.id, room.docId));
        return (row?.n ?? 0) < 25;
      },
      3_000,
      "the log to be folded",
    );
    // A fresh hub loads the same text from the checkpoint and what is left of the log.
    const again = await hub().document(project.id, "a.txt");
    expect(again?.text).toBe(expected);
    expect(again?.docId).toBe(room.docId);
  });

  test("after a crash (the hub never closed) recovery writes the file from the log", async () => {
    await newFile("crash.txt", "before\n");
    const crashed = new CollabHub(t.deps, { ...FAST, writeMs: 60_000, writeMaxMs: 60_000 });
    const c = client(crashed, "crash.txt");
    await c.ready;
    c.text.insert(0, "typed just before the crash\n");
    await eventually(async () => {
      const [row] = await (await t.deps.db.get()).select({ n: count() }).from(docUpdates);
      return (row?.n ?? 0) > 0;
    });
    expect((await stored("crash.txt"))?.content).toBe("before\n");
    const recovered = hub();
    expect(await recovered.recover()).toBeGreaterThan(0);
    await eventually(
      async () => (await stored("crash.txt"))?.content === "typed just before the crash\nbefore\n",
      3_000,
      "the recovered file",
    );
    hubs.push(crashed);
  });

  test("a restore (a save with the current version) reaches the document's clients as an edit", async () => {
    await newFile("r.txt", "first\n");
    const h = hub();
    const c = client(h, "r.txt");
    const room = await c.ready;
    c.text.insert(c.text.length, "second\n");
    await eventually(async () => (await stored("r.txt"))?.content === "first\nsecond\n", 3_000, "the file");
    const current = (await stored("r.txt"))!;
    const deps = { ...t.deps, collab: h };
    await files.saveFile(deps, user.user.id, {
      projectId: project.id,
      path: "r.txt",
      content: "first\n",
      baseVersion: current.version,
    });
    await eventually(() => room.text.toString() === "first\n", 3_000, "the room");
    // The client got the change as an update message.
    for (const message of c.inbox) applyMessage(c.doc, message);
    expect(c.text.toString()).toBe("first\n");
  });

  test("a queued write of a copy that missed an upload never puts its old text over it", async () => {
    await newFile("replaced.txt", "original\n");
    // Another instance, slow to write its file, which has not heard of the upload yet.
    const elsewhere = new CollabHub(t.deps, { ...FAST, writeMs: 600, writeMaxMs: 5_000 });
    hubs.push(elsewhere);
    const c = client(elsewhere, "replaced.txt");
    const room = await c.ready;
    c.text.insert(0, "typed elsewhere\n");
    // Stored in the document's log (the receipt came back), not yet written to the file.
    await eventually(() => c.inbox.length > 0, 5_000, "the edit to be stored");
    expect((await stored("replaced.txt"))?.content).toBe("original\n");
    const uploaded = await uploadFiles({ ...t.deps, collab: hub() }, user.user.id, project.id, [
      { path: "replaced.txt", bytes: new TextEncoder().encode("uploaded\n") },
    ]);
    expect(uploaded.map((f) => f.path)).toEqual(["replaced.txt"]);
    // Its write comes due after the upload: it catches up first, so the file keeps the upload.
    await room.exclusive(() => room.writeNow());
    expect((await stored("replaced.txt"))?.content).toBe("uploaded\n");
    expect(room.text.toString()).toBe("uploaded\n");
    expect(c.closed()).toBeUndefined();
  });

  test("a deleted file is never brought back by its document, and its clients are told", async () => {
    await newFile("d.txt", "x\n");
    const h = hub();
    const c = client(h, "d.txt");
    await c.ready;
    const deps = { ...t.deps, collab: h };
    c.text.insert(0, "late edit\n");
    await files.deleteFilePath(deps, user.user.id, project.id, "d.txt");
    c.text.insert(0, "edit after delete\n");
    await Bun.sleep(300);
    expect(await stored("d.txt")).toBeUndefined();
    expect(c.closed()).toBe(4404);
  });

  test("a rename keeps the last keystrokes and starts a new document at the new path", async () => {
    await newFile("old.txt", "text\n");
    const h = hub();
    const c = client(h, "old.txt");
    const room = await c.ready;
    c.text.insert(c.text.length, "typed right before the rename\n");
    const deps = { ...t.deps, collab: h };
    await eventually(() => room.text.toString().includes("typed right before"), 3_000, "the room");
    await files.renamePath(deps, user.user.id, project.id, "old.txt", "new.txt");
    expect((await stored("new.txt"))?.content).toBe("text\ntyped right before the rename\n");
    const moved = await h.document(project.id, "new.txt");
    expect(moved?.docId).not.toBe(room.docId);
    expect(moved?.text).toBe("text\ntyped right before the rename\n");
  });

  test("an upload over an open file: what was typed before is in history, and a keystroke arriving meanwhile merges with it", async () => {
    await newFile("race.txt", "old one\nold two\n");
    const h = hub();
    const c = client(h, "race.txt");
    const room = await c.ready;
    c.text.insert(c.text.length, "typed before\n");
    const order: string[] = [];
    let roomWrote: Promise<unknown> | undefined;
    // The hub, with a keystroke arriving while the upload runs: after the room's text went
    // into the file and the replacement's edit was based on it, before the transaction.
    const collab: LiveDocuments = {
      saveThrough: (...args) => h.saveThrough(...args),
      filesRemoved: (...args) => h.filesRemoved(...args),
      flushFiles: (...args) => h.flushFiles(...args),
      accessChanged: (...args) => h.accessChanged(...args),
      replaceFiles: (projectId, userId, replaced, store) =>
        h.replaceFiles(projectId, userId, replaced, async (documents) => {
          c.text.insert(c.text.length, "typed during\n");
          // The room would write the file now; it waits until the upload is stored.
          roomWrote = room.exclusive(() => room.writeNow()).then(() => order.push("room wrote"));
          const result = await store(documents);
          order.push("stored");
          return result;
        }),
    };
    await uploadFiles({ ...t.deps, collab }, user.user.id, project.id, [
      { path: "race.txt", bytes: new TextEncoder().encode("new\n") },
    ]);
    await roomWrote;
    expect(order).toEqual(["stored", "room wrote"]);
    // Nothing lost and nothing written over: the upload, with the keystroke merged after it.
    expect(room.text.toString()).toBe("new\ntyped during\n");
    await eventually(
      async () => (await stored("race.txt"))?.content === "new\ntyped during\n",
      3_000,
      "the file to follow the document",
    );
    for (const message of c.inbox) applyMessage(c.doc, message);
    expect(c.text.toString()).toBe("new\ntyped during\n");
    const { versions } = await files.fileHistory(t.deps, user.user.id, project.id, "race.txt", {
      withContent: true,
    });
    expect(versions.some((v) => v.content === "old one\nold two\ntyped before\n")).toBe(true);
    expect(versions.some((v) => v.content === "new\n")).toBe(true);
  });

  test("a copy on another instance that missed a replacement's edit catches up before it writes the file", async () => {
    await newFile("elsewhere.txt", "one\n");
    // The other instance hears nothing from this one (its message is late, or lost).
    const deaf = {
      ...t.deps,
      cache: Object.assign(Object.create(t.deps.cache) as typeof t.deps.cache, {
        subscribe: async () => async () => undefined,
        publish: async () => undefined,
      }),
    };
    const other = hub(deaf);
    const c = client(other, "elsewhere.txt");
    const room = await c.ready;
    c.text.insert(0, "b1\n");
    await eventually(async () => (await stored("elsewhere.txt"))?.content === "b1\none\n", 3_000, "the file");

    const here = hub();
    await uploadFiles({ ...t.deps, collab: here }, user.user.id, project.id, [
      { path: "elsewhere.txt", bytes: new TextEncoder().encode("replaced\n") },
    ]);
    await here.close();
    expect((await stored("elsewhere.txt"))?.content).toBe("replaced\n");
    expect(room.text.toString()).toBe("b1\none\n");

    // Typing on the other instance: its write finds the document replaced and catches up first.
    c.text.insert(c.text.length, "b2\n");
    await eventually(
      async () => (await stored("elsewhere.txt"))?.content === "replaced\nb2\n",
      3_000,
      "the file to keep the replacement",
    );
    expect(room.text.toString()).toBe("replaced\nb2\n");
    for (const message of c.inbox) applyMessage(c.doc, message);
    expect(c.text.toString()).toBe("replaced\nb2\n");
  });
});
