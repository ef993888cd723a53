import { afterAll, expect, test } from "bun:test";
import { createTestApp, type TestApp } from "../helpers/app.ts";
import { registerUser } from "../helpers/auth.ts";
import { listen } from "../helpers/server.ts";
import { connect, eventually, liveProject } from "./helpers.ts";

/**
 * Two instances on one PostgreSQL and Redis, as behind a load balancer: editors connected to
 * different instances see each other's text and presence, and a membership change made on
 * one closes the socket held by the other.
 */
const shared = Boolean(process.env.DATABASE_URL && process.env.REDIS_URL);
if (!shared) console.warn("live documents across instances skipped: DATABASE_URL and REDIS_URL not both set");

const stops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const stop of stops.reverse()) await stop();
});

test.skipIf(!shared)(
  "two editors on two instances edit one document together",
  async () => {
    const first: TestApp = await createTestApp();
    stops.push(() => first.close());
    const live = await liveProject(first);
    stops.push(() => live.server.stop());
    const second = first.secondInstance();
    stops.push(() => second.close());
    const otherServer = listen(second);
    stops.push(() => otherServer.stop());
    const editor = await registerUser(first);
    expect(
      (
        await live.o.post(`/api/v1/projects/${live.project.id}/members`, {
          email: editor.email,
          role: "editor",
        })
      ).status,
    ).toBe(201);

    const a = connect(live.server.url, live.room, live.owner.token);
    const b = connect(otherServer.url, live.room, editor.token);
    stops.push(async () => {
      a.destroy();
      b.destroy();
    });
    await Promise.all([a.synced, b.synced]);
    a.text.insert(0, "from the first instance\n");
    await eventually(() => b.text.toString().startsWith("from the first instance\n"), 5_000, "b to see a");
    b.text.insert(b.text.length, "from the second instance\n");
    await eventually(() => a.text.toString().endsWith("from the second instance\n"), 5_000, "a to see b");
    expect(a.text.toString()).toBe(b.text.toString());
    // As the editor does: a presence with a cursor (the server fills in who it is).
    b.provider.awareness.setLocalStateField("cursor", null);
    await eventually(
      () =>
        [...a.provider.awareness.getStates().values()].some(
          (s) => (s.user as { id?: string } | undefined)?.id === editor.user.id,
        ),
      5_000,
      "a to see b's presence",
    );
    await eventually(
      async () => (await live.stored())?.content === a.text.toString(),
      5_000,
      "the stored file",
    );

    // The owner removes the editor on the first instance; the second closes the editor's socket.
    const closed = new Promise<number>((resolve) =>
      b.provider.on("connection-close", (event: CloseEvent | null) => resolve(event?.code ?? 0)),
    );
    expect(
      (await live.o.delete(`/api/v1/projects/${live.project.id}/members/${editor.user.id}`)).status,
    ).toBe(204);
    expect(await closed).toBe(4403);
  },
  60_000,
);

test.skipIf(!shared)(
  "an upload on one instance reaches an editor connected to the other as an edit",
  async () => {
    const first: TestApp = await createTestApp();
    stops.push(() => first.close());
    const live = await liveProject(first, "before the upload\n");
    stops.push(() => live.server.stop());
    const second = first.secondInstance();
    stops.push(() => second.close());
    const otherServer = listen(second);
    stops.push(() => otherServer.stop());

    const b = connect(otherServer.url, live.room, live.owner.token);
    let closedWith: number | undefined;
    b.provider.on("connection-close", (event: CloseEvent | null) => {
      closedWith = event?.code;
    });
    stops.push(async () => b.destroy());
    await b.synced;
    b.text.insert(0, "typed on the second instance\n");
    await eventually(
      async () => (await live.stored())?.content === "typed on the second instance\nbefore the upload\n",
      5_000,
      "the second instance to write the file",
    );

    const form = new FormData();
    form.append("file", new File(["uploaded on the first instance\n"], "notes.txt"));
    const res = await first.request(`/api/v1/projects/${live.project.id}/files/upload`, {
      method: "POST",
      headers: live.owner.auth,
      body: form,
    });
    expect(res.status).toBe(201);
    await eventually(
      () => b.text.toString() === "uploaded on the first instance\n",
      5_000,
      "the editor on the second instance to receive the upload",
    );
    expect(closedWith).toBeUndefined();
    expect(b.provider.wsconnected).toBe(true);
    // Its next edit is stored on top of the upload, never the old text.
    b.text.insert(b.text.length, "and then more\n");
    await eventually(
      async () => (await live.stored())?.content === "uploaded on the first instance\nand then more\n",
      5_000,
      "the stored file",
    );
  },
  60_000,
);
