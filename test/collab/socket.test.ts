import { afterAll, describe, expect, test } from "bun:test";
import * as encoding from "lib0/encoding";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import { createHandlers } from "../../src/handlers.ts";
import { createTestApp } from "../helpers/app.ts";
import { registerUser } from "../helpers/auth.ts";
import { api } from "../helpers/projects.ts";
import { connect, eventually, liveProject } from "./helpers.ts";

const t = await createTestApp({ COLLAB_MAX_CONNECTIONS: "6" });
const live = await liveProject(t);
const wsBase = `${live.server.url.replace(/^http/, "ws")}/api/v1/collab`;
afterAll(async () => {
  await live.server.stop();
  await t.close();
});

/** A member of the live project with `role`, with their token. */
async function member(role: "editor" | "viewer") {
  const user = await registerUser(t);
  const res = await live.o.post(`/api/v1/projects/${live.project.id}/members`, { email: user.email, role });
  expect(res.status).toBe(201);
  return user;
}

/** Open a raw socket and resolve with how it closed. */
function rawSocket(url: string) {
  const ws = new WebSocket(url);
  ws.binaryType = "arraybuffer";
  const opened = new Promise<void>((resolve, reject) => {
    ws.onopen = () => resolve();
    ws.onerror = () => reject(new Error("socket failed"));
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.onclose = (e) => resolve({ code: e.code, reason: e.reason });
  });
  return { ws, opened, closed };
}

/** The status a refused upgrade answers, asked through the handlers as Bun would call them. */
async function upgradeStatus(path: string, headers: Record<string, string> = {}) {
  const handlers = createHandlers(t.app, t.deps);
  const request = new Request(`http://localhost/api/v1/collab/${path}`, {
    headers: { upgrade: "websocket", connection: "Upgrade", ...headers },
  });
  const server = {
    upgrade() {
      throw new Error("must not upgrade");
    },
  } as unknown as Parameters<typeof handlers.fetch>[1];
  const res = await handlers.fetch(request, server);
  return res?.status;
}

describe("live documents over the y-websocket protocol", () => {
  test("two stock clients converge, and the stored file follows the document within a second", async () => {
    const a = connect(live.server.url, live.room, live.owner.token);
    const b = connect(live.server.url, live.room, live.owner.token);
    try {
      await Promise.all([a.synced, b.synced]);
      expect(a.text.toString()).toBe("hello\n");
      a.text.insert(0, "A says hi\n");
      await eventually(() => b.text.toString() === "A says hi\nhello\n", 5_000, "b to see a's edit");
      b.text.insert(b.text.length, "B was here\n");
      const both = "A says hi\nhello\nB was here\n";
      await eventually(() => a.text.toString() === both, 5_000, "a to see b's edit");
      await eventually(async () => (await live.stored())?.content === both, 3_000, "the file");
    } finally {
      a.destroy();
      b.destroy();
    }
  });

  test("an upgrade is refused without a valid session, to a non-member, and for a bad path or file", async () => {
    const stranger = await registerUser(t);
    const { id } = live.project;
    expect(await upgradeStatus(`${id}/notes.txt`)).toBe(401);
    expect(await upgradeStatus(`${id}/notes.txt?token=not-a-token`)).toBe(401);
    expect(await upgradeStatus(`${id}/notes.txt?token=${stranger.token}`)).toBe(404);
    expect(await upgradeStatus(`${crypto.randomUUID()}/notes.txt?token=${live.owner.token}`)).toBe(404);
    expect(await upgradeStatus(`${id}/missing.txt?token=${live.owner.token}`)).toBe(404);
    expect(await upgradeStatus(`${id}/..%2Fetc%2Fpasswd?token=${live.owner.token}`)).toBe(404);
    expect(await upgradeStatus(`${id}?token=${live.owner.token}`)).toBe(404);
    // A page of another site cannot ride the session cookie.
    expect(
      await upgradeStatus(`${id}/notes.txt`, { origin: "https://evil.example", cookie: "aura_at=x" }),
    ).toBe(403);
    // A plain GET is told what the address is.
    const plain = await createHandlers(t.app, t.deps).fetch(
      new Request(`http://localhost/api/v1/collab/${id}/notes.txt`),
      {} as never,
    );
    expect(plain?.status).toBe(426);
  });

  test("a viewer sees edits and presence, but their updates are ignored", async () => {
    const viewer = await member("viewer");
    const owner = connect(live.server.url, live.room, live.owner.token);
    const watcher = connect(live.server.url, live.room, viewer.token);
    try {
      await Promise.all([owner.synced, watcher.synced]);
      const before = owner.text.toString();
      watcher.text.insert(0, "viewer was here\n");
      owner.text.insert(0, "owner typed\n");
      await eventually(
        () => watcher.text.toString().includes("owner typed"),
        5_000,
        "the viewer to see the edit",
      );
      await Bun.sleep(300);
      expect(owner.text.toString()).toBe(`owner typed\n${before}`);
      await eventually(
        async () => (await live.stored())?.content === `owner typed\n${before}`,
        3_000,
        "the file",
      );
      // Presence: the owner sees the viewer, under the viewer's real name whatever they claim.
      watcher.provider.awareness.setLocalStateField("user", { name: "Someone Else" });
      await eventually(
        () =>
          [...owner.provider.awareness.getStates().values()].some(
            (s) =>
              (s.user as { name?: string } | undefined)?.name === `${viewer.firstName} ${viewer.lastName}`,
          ),
        5_000,
        "the viewer's presence",
      );
    } finally {
      owner.destroy();
      watcher.destroy();
    }
  });

  test("a save through the API with the current version reaches open editors as an edit; a stale one is 409", async () => {
    const client = connect(live.server.url, live.room, live.owner.token);
    try {
      await client.synced;
      await eventually(
        async () => (await live.stored())?.content === client.text.toString(),
        3_000,
        "the file",
      );
      const current = (await live.stored())!;
      const next = `${current.content}saved through the API\n`;
      const res = await live.o.put(`/api/v1/projects/${live.project.id}/files/notes.txt`, {
        content: next,
        baseVersion: current.version,
      });
      expect(res.status).toBe(200);
      await eventually(() => client.text.toString() === next, 5_000, "the editor to receive the save");
      const stale = await live.o.put(`/api/v1/projects/${live.project.id}/files/notes.txt`, {
        content: "overwrite",
        baseVersion: current.version,
      });
      expect(stale.status).toBe(409);
      await Bun.sleep(200);
      expect(client.text.toString()).toBe(next);
    } finally {
      client.destroy();
    }
  });

  test("a malformed message closes that socket with 1003, an oversized one with 1009, and nothing else", async () => {
    const bystander = connect(live.server.url, live.room, live.owner.token);
    try {
      await bystander.synced;
      const garbled = rawSocket(`${wsBase}/${live.room}?token=${live.owner.token}`);
      await garbled.opened;
      garbled.ws.send(new Uint8Array([0, 2, 200, 1, 2, 3]));
      expect((await garbled.closed).code).toBe(1003);
      const text = rawSocket(`${wsBase}/${live.room}?token=${live.owner.token}`);
      await text.opened;
      text.ws.send("hello");
      expect((await text.closed).code).toBe(1003);
      const huge = rawSocket(`${wsBase}/${live.room}?token=${live.owner.token}`);
      await huge.opened;
      huge.ws.send(new Uint8Array(3 * 1024 * 1024));
      expect((await huge.closed).code).toBe(1009);
      // The others carry on.
      bystander.text.insert(0, "still here\n");
      await eventually(
        async () => (await live.stored())?.content.startsWith("still here\n") === true,
        3_000,
        "the bystander's edit to be stored",
      );
    } finally {
      bystander.destroy();
    }
  });

  test("an edit that would take the document over 1 MiB closes that socket with 4413 and is not stored", async () => {
    const sender = rawSocket(`${wsBase}/${live.room}?token=${live.owner.token}`);
    await sender.opened;
    const before = (await live.stored())!.content;
    const doc = new Y.Doc();
    doc.getText("content").insert(0, "x".repeat(1024 * 1024 + 10));
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    syncProtocol.writeUpdate(encoder, Y.encodeStateAsUpdate(doc));
    sender.ws.send(encoding.toUint8Array(encoder));
    expect((await sender.closed).code).toBe(4413);
    await Bun.sleep(400);
    expect((await live.stored())!.content).toBe(before);
  });

  test("a document takes at most COLLAB_MAX_CONNECTIONS sockets", async () => {
    const loaded = await t.deps.collab.loaded(live.project.id, "notes.txt");
    const open = loaded?.peers.size ?? 0;
    const sockets = Array.from({ length: 6 - open }, () =>
      rawSocket(`${wsBase}/${live.room}?token=${live.owner.token}`),
    );
    try {
      await Promise.all(sockets.map((s) => s.opened));
      expect(await upgradeStatus(`${live.room}?token=${live.owner.token}`)).toBe(503);
    } finally {
      for (const s of sockets) s.ws.close();
      await Promise.all(sockets.map((s) => s.closed));
    }
  });

  test("deleting the file closes its sockets with 4404; removing a member closes theirs with 4403", async () => {
    const editor = await member("editor");
    const editorApi = api(t, editor.auth);
    expect(
      (
        await editorApi.put(`/api/v1/projects/${live.project.id}/files/gone.txt`, {
          content: "x",
          baseVersion: 0,
        })
      ).status,
    ).toBe(200);
    const onGone = rawSocket(`${wsBase}/${live.project.id}/gone.txt?token=${live.owner.token}`);
    const editorSocket = rawSocket(`${wsBase}/${live.room}?token=${editor.token}`);
    await Promise.all([onGone.opened, editorSocket.opened]);
    expect((await live.o.delete(`/api/v1/projects/${live.project.id}/files/gone.txt`)).status).toBe(204);
    expect((await onGone.closed).code).toBe(4404);
    expect(
      (await live.o.delete(`/api/v1/projects/${live.project.id}/members/${editor.user.id}`)).status,
    ).toBe(204);
    expect((await editorSocket.closed).code).toBe(4403);
    expect(await upgradeStatus(`${live.room}?token=${editor.token}`)).toBe(404);
  });

  test("a socket whose session ended (a logout) is closed with 4401 at the next check", async () => {
    const person = await registerUser(t);
    expect(
      (
        await live.o.post(`/api/v1/projects/${live.project.id}/members`, {
          email: person.email,
          role: "editor",
        })
      ).status,
    ).toBe(201);
    const socket = rawSocket(`${wsBase}/${live.room}?token=${person.token}`);
    await socket.opened;
    const out = await t.request("/api/v1/auth/logout", {
      method: "POST",
      headers: { ...person.auth, "content-type": "application/json" },
      body: JSON.stringify({ refreshToken: person.refreshToken }),
    });
    expect(out.status).toBe(204);
    await t.deps.collab.recheckSessions();
    expect((await socket.closed).code).toBe(4401);
  });
});
