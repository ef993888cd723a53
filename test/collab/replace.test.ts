import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import { CollabHub } from "../../src/features/collab/hub.ts";
import { fileHistory } from "../../src/features/files/service.ts";
import { createTestApp, type TestApp } from "../helpers/app.ts";
import { type GitServer, runGit, startGitServer } from "../helpers/git-server.ts";
import { eventually, liveProject } from "./helpers.ts";

/**
 * Files replaced in bulk — an upload over them, a pull — while editors have them open: a new
 * text reaches the open editors as an edit on the same socket; bytes, a deletion and a move
 * still close them (4409 for bytes, 4404 for a deletion or a move); a refused upload touches
 * no document.
 */

// A 1×1 PNG: bytes that are no UTF-8 text.
const PNG = Uint8Array.from(
  Buffer.from(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
    "base64",
  ),
);

let t: TestApp;
let live: Awaited<ReturnType<typeof liveProject>>;
let remote: GitServer;
let wsBase: string;
beforeAll(async () => {
  t = await createTestApp({
    GIT_ALLOW_PRIVATE_REMOTES: "1",
    RATE_LIMIT_API: "100000/15m",
    RATE_LIMIT_EDITOR: "100000/15m",
  });
  live = await liveProject(t);
  remote = startGitServer();
  wsBase = `${live.server.url.replace(/^http/, "ws")}/api/v1/collab`;
}, 60_000);
afterAll(async () => {
  await remote.stop();
  await live.server.stop();
  await t.close();
});

/**
 * A raw editor socket on a file, keeping a Yjs copy of the document: it asks for the whole
 * state on opening and applies every sync message after (recording which kinds arrived).
 */
function editor(projectId: string, path: string, token = live.owner.token) {
  const ws = new WebSocket(`${wsBase}/${projectId}/${path}?token=${token}`);
  ws.binaryType = "arraybuffer";
  const doc = new Y.Doc();
  const kinds: number[] = [];
  let closedWith: number | undefined;
  let answers = 0;
  const opened = new Promise<void>((resolve, reject) => {
    ws.onopen = () => resolve();
    ws.onerror = () => reject(new Error("socket failed"));
  });
  const closed = new Promise<number>((resolve) => {
    ws.onclose = (e) => {
      closedWith = e.code;
      resolve(e.code);
    };
  });
  ws.onmessage = (e) => {
    const decoder = decoding.createDecoder(new Uint8Array(e.data as ArrayBuffer));
    if (decoding.readVarUint(decoder) !== 0) return;
    const kind = syncProtocol.readSyncMessage(decoder, encoding.createEncoder(), doc, "server");
    kinds.push(kind);
    if (kind === syncProtocol.messageYjsSyncStep2) answers++;
  };
  const send = (write: (encoder: encoding.Encoder) => void) => {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    write(encoder);
    ws.send(encoding.toUint8Array(encoder));
  };
  doc.on("update", (update: Uint8Array, origin: unknown) => {
    if (origin !== "server") send((encoder) => syncProtocol.writeUpdate(encoder, update));
  });
  /**
   * A round trip: a sync step 1 answered with a step 2. Whatever the server sent before
   * answering has arrived by then (a socket keeps its order).
   */
  const roundTrip = async () => {
    const before = answers;
    send((encoder) => syncProtocol.writeSyncStep1(encoder, doc));
    await eventually(() => answers > before || closedWith !== undefined, 5_000, "the server's answer");
  };
  const ready = (async () => {
    await opened;
    await roundTrip();
  })();
  return {
    doc,
    text: () => doc.getText("content").toString(),
    /** How many updates (not sync answers) the server has sent so far. */
    updates: () => kinds.filter((k) => k === syncProtocol.messageYjsUpdate).length,
    ready,
    closed,
    closedWith: () => closedWith,
    roundTrip,
    close: () => ws.close(),
  };
}

function upload(projectId: string, files: { path: string; bytes: Uint8Array | string }[]) {
  const form = new FormData();
  for (const f of files) {
    const name = f.path.split("/").at(-1) ?? f.path;
    form.append("file", new File([typeof f.bytes === "string" ? f.bytes : Buffer.from(f.bytes)], name));
    form.append("path", f.path);
  }
  return t.request(`/api/v1/projects/${projectId}/files/upload`, {
    method: "POST",
    headers: live.owner.auth,
    body: form,
  });
}

async function newFile(path: string, content: string) {
  const res = await live.o.put(`/api/v1/projects/${live.project.id}/files/${path}`, {
    content,
    baseVersion: 0,
  });
  expect(res.status).toBe(200);
}

/** The room of a file on the app's hub (loaded: an editor is open on it). */
async function roomOf(path: string) {
  const room = await t.deps.collab.loaded(live.project.id, path);
  if (!room) throw new Error(`no live document for ${path}`);
  return room;
}

describe("an upload over files open in the editor", () => {
  test("an open editor stays connected and receives the uploaded text as an edit; what was typed before is in history", async () => {
    await newFile("up.txt", "first line\nsecond line\n");
    const e = editor(live.project.id, "up.txt");
    await e.ready;
    const docId = (await roomOf("up.txt")).docId;
    // Typed just before the upload: the server has it, the file may not yet.
    e.doc.getText("content").insert(0, "typed before the upload\n");
    const room = await roomOf("up.txt");
    await eventually(() => room.text.toString().startsWith("typed before"), 5_000, "the keystroke to arrive");
    const updatesBefore = e.updates();

    const res = await upload(live.project.id, [{ path: "up.txt", bytes: "uploaded\ntext\n" }]);
    expect(res.status).toBe(201);
    await eventually(() => e.text() === "uploaded\ntext\n", 5_000, "the editor to receive the upload");
    expect(e.updates()).toBeGreaterThan(updatesBefore);
    await e.roundTrip();
    expect(e.closedWith()).toBeUndefined();
    expect(room.closed).toBe(false);
    expect(room.text.toString()).toBe("uploaded\ntext\n");
    expect((await live.stored("up.txt"))?.content).toBe("uploaded\ntext\n");
    // The same document goes on: its lineage is kept, and the editor's next edit is stored.
    expect((await t.deps.collab.document(live.project.id, "up.txt"))?.docId).toBe(docId);
    const history = await fileHistory(t.deps, live.owner.user.id, live.project.id, "up.txt", {
      withContent: true,
    });
    expect(
      history.versions.some((v) => v.content === "typed before the upload\nfirst line\nsecond line\n"),
    ).toBe(true);
    e.doc.getText("content").insert(0, "after\n");
    await eventually(
      async () => (await live.stored("up.txt"))?.content === "after\nuploaded\ntext\n",
      5_000,
      "the next edit to be stored",
    );
    e.close();
  });

  test("a binary file uploaded over an open text file closes its editors with 4409 (replaced)", async () => {
    await newFile("picture.txt", "not a picture yet\n");
    const e = editor(live.project.id, "picture.txt");
    await e.ready;
    const res = await upload(live.project.id, [{ path: "picture.txt", bytes: PNG }]);
    expect(res.status).toBe(201);
    expect(await e.closed).toBe(4409);
    const stored = await live.o.get(`/api/v1/projects/${live.project.id}/files/picture.txt`);
    expect(((await stored.json()) as { encoding: string }).encoding).toBe("base64");
  });

  test("a refused upload changes no open document, nor the stored one", async () => {
    await newFile("kept.txt", "keep me\n");
    await newFile("taken.txt", "a file, so no folder\n");
    const e = editor(live.project.id, "kept.txt");
    await e.ready;
    const before = (await live.stored("kept.txt"))!;
    const updatesBefore = e.updates();
    // Refused inside the transaction, after kept.txt was stored (and its edit appended to the
    // document's log): taken.txt is a file, so it cannot be a folder.
    const clash = await upload(live.project.id, [
      { path: "kept.txt", bytes: "replaced\n" },
      { path: "taken.txt/inner.txt", bytes: "x" },
    ]);
    expect(clash.status).toBe(409);
    // Refused before anything is stored: one path is not allowed.
    const bad = await upload(live.project.id, [
      { path: "kept.txt", bytes: "replaced\n" },
      { path: "a/../../escape.txt", bytes: "x" },
    ]);
    expect(bad.status).toBe(400);
    await e.roundTrip();
    expect(e.closedWith()).toBeUndefined();
    expect(e.updates()).toBe(updatesBefore);
    expect(e.text()).toBe("keep me\n");
    expect((await roomOf("kept.txt")).text.toString()).toBe("keep me\n");
    expect((await live.stored("kept.txt"))?.content).toBe(before.content);
    // The stored document holds no trace of it either: a fresh hub loads the same text.
    const fresh = new CollabHub(t.deps);
    try {
      expect((await fresh.document(live.project.id, "kept.txt"))?.text).toBe("keep me\n");
    } finally {
      await fresh.close();
    }
    e.close();
  });
});

describe("a pull changing files open in the editor", () => {
  test("a changed text file reaches its editor as an edit; a deleted one closes its editor with 4404", async () => {
    const url = remote.createRepo("live-pull", {
      "README.md": "# Hello\n",
      "src/index.js": "console.log('hi');\n",
    });
    const imported = await live.o.post("/api/v1/projects/import/git", { url });
    expect(imported.status).toBe(201);
    const { id } = (await imported.json()) as { id: string };
    const readme = editor(id, "README.md");
    const index = editor(id, "src/index.js");
    await Promise.all([readme.ready, index.ready]);
    const updatesBefore = readme.updates();

    const work = remote.cloneRepo("live-pull");
    writeFileSync(join(work, "README.md"), "# Hello\n\nPulled from the remote.\n");
    runGit(work, "rm", "-q", "src/index.js");
    runGit(work, "add", "-A");
    runGit(work, "commit", "-q", "-m", "From the CLI");
    runGit(work, "push", "-q", "origin", "main");

    const pulled = await live.o.post(`/api/v1/projects/${id}/git/pull`, {});
    expect(pulled.status).toBe(200);
    await eventually(
      () => readme.text() === "# Hello\n\nPulled from the remote.\n",
      5_000,
      "the editor to receive the pull",
    );
    expect(readme.updates()).toBeGreaterThan(updatesBefore);
    expect(await index.closed).toBe(4404);
    await readme.roundTrip();
    expect(readme.closedWith()).toBeUndefined();
    const stored = await live.o.get(`/api/v1/projects/${id}/files/README.md`);
    expect(((await stored.json()) as { content: string }).content).toBe(
      "# Hello\n\nPulled from the remote.\n",
    );
    // Nothing to commit: the document wrote nothing different over the pulled file.
    const status = await live.o.get(`/api/v1/projects/${id}/git/status`);
    expect(((await status.json()) as { changes: unknown[] }).changes).toEqual([]);
    readme.close();
  });
});
