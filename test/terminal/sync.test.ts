import { afterAll, describe, expect, test } from "bun:test";
import { createTestApp } from "../helpers/app.ts";
import { registerUser } from "../helpers/auth.ts";
import { api } from "../helpers/projects.ts";
import { sandboxSkipReason } from "../helpers/sandbox.ts";
import { listen } from "../helpers/server.ts";
import { attach } from "./helpers.ts";

const skip = sandboxSkipReason();

interface Sync {
  written: { path: string; version: number }[];
  conflicts: { path: string; version: number }[];
  skipped: { path: string; reason: string }[];
}

describe.skipIf(Boolean(skip))("bringing a terminal's files into the project", async () => {
  const t = await createTestApp({ RATE_LIMIT_API: "100000/15m", RATE_LIMIT_EDITOR: "100000/15m" });
  const server = listen(t);
  const owner = await registerUser(t);
  const o = api(t, owner.auth);
  const project = await o.project({ name: "Sync", language: "python" });
  const files = `/api/v1/projects/${project.id}/files`;
  await o.put(`${files}/both.txt`, { content: "original\n" });
  await o.put(`${files}/untouched.txt`, { content: "as it was\n" });
  afterAll(async () => {
    await server.stop();
    await t.close();
  });

  const read = async (path: string) =>
    ((await (await o.get(`${files}/${path}`)).json()) as { content: string; version: number }).content;

  test("changed and new files are written; a file also edited in the project is a conflict, left alone", async () => {
    const res = await o.post(`/api/v1/projects/${project.id}/terminals`, {});
    const { id } = (await res.json()) as { id: string };
    const socket = attach(server.url, project.id, id, owner.token);
    await socket.opened;
    await socket.waitFor("$ ");
    // Meanwhile, in the editor: both.txt and untouched.txt change in the project.
    await o.put(`${files}/both.txt`, { content: "edited in the project\n" });
    await o.put(`${files}/untouched.txt`, { content: "edited, not in the terminal\n" });
    const from = socket.output.length;
    socket.type(
      "echo 'print(\"from the shell\")' > main.py; mkdir -p out; echo made > out/new.txt; " +
        "echo terminal > both.txt; ln -s /etc/passwd link.txt; printf 'a\\0b' > binary.bin; echo done-$((1+1))\r",
    );
    await socket.waitFor("done-2", from);

    const sync = await o.post(`/api/v1/projects/${project.id}/terminals/${id}/sync`, {});
    expect(sync.status).toBe(200);
    const outcome = (await sync.json()) as Sync;
    expect(outcome.written.map((w) => w.path).sort()).toEqual(["main.py", "out/new.txt"]);
    expect(outcome.conflicts).toEqual([{ path: "both.txt", version: 2 }]);
    expect(await read("main.py")).toBe('print("from the shell")\n');
    expect(await read("out/new.txt")).toBe("made\n");
    expect(await read("both.txt")).toBe("edited in the project\n");
    expect(await read("untouched.txt")).toBe("edited, not in the terminal\n");
    // Neither the link nor the binary file came back.
    expect((await o.get(`${files}/link.txt`)).status).toBe(404);
    expect((await o.get(`${files}/binary.bin`)).status).toBe(404);

    // A second sync has nothing new to write; a later change in the shell is written again.
    const again = (await (
      await o.post(`/api/v1/projects/${project.id}/terminals/${id}/sync`, {})
    ).json()) as Sync;
    expect(again.written).toEqual([]);
    const next = socket.output.length;
    socket.type("echo more >> out/new.txt; echo ok-$((2+2))\r");
    await socket.waitFor("ok-4", next);
    const third = (await (
      await o.post(`/api/v1/projects/${project.id}/terminals/${id}/sync`, {})
    ).json()) as Sync;
    expect(third.written.map((w) => w.path)).toEqual(["out/new.txt"]);
    expect(await read("out/new.txt")).toBe("made\nmore\n");
    await socket.close();
    expect((await o.delete(`/api/v1/projects/${project.id}/terminals/${id}`)).status).toBe(204);
  }, 60_000);
});
