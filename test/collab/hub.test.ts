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
const hub = () => {
  const h = new CollabHub(t.deps, FAST);
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

  test("a document whose file was replaced (an upload) never writes its old text over the new one", async () => {
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
    // Its write comes due after the upload: the file keeps the upload, the document ends.
    await room.exclusive(() => room.writeNow());
    expect(c.closed()).toBeDefined();
    expect((await stored("replaced.txt"))?.content).toBe("uploaded\n");
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
});
