import { afterAll, afterEach, describe, expect, test } from "bun:test";
import { connect, eventually } from "../collab/helpers.ts";
import { createTestApp } from "../helpers/app.ts";
import { registerUser } from "../helpers/auth.ts";
import { api } from "../helpers/projects.ts";
import { sandboxSkipReason } from "../helpers/sandbox.ts";
import { listen } from "../helpers/server.ts";
import { attach } from "./helpers.ts";

const skip = sandboxSkipReason();

interface Sync {
  written: { path: string; version: number }[];
  deleted: { path: string }[];
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

  const read2 = async (base: string, path: string) =>
    ((await (await o.get(`${base}/${path}`)).json()) as { content: string; version: number }).content;
  const read = (path: string) => read2(files, path);

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

  /** Shells a failed test left open: closed, so the next test has room under the per-user limit. */
  const leftOpen = new Set<() => Promise<unknown>>();
  afterEach(async () => {
    for (const close of leftOpen) await close();
    leftOpen.clear();
  });

  /** A project of its own with `files` (text, or `{base64}` for bytes) and a shell open on it. */
  async function shellOn(name: string, files: Record<string, string | { base64: string }>) {
    const p = await o.project({ name, language: "python" });
    const base = `/api/v1/projects/${p.id}/files`;
    // Only these files: the starter files go.
    for (const { path } of ((await (await o.get(base)).json()) as { files: { path: string }[] }).files)
      expect((await o.delete(`${base}/${path}`)).status).toBe(204);
    for (const [path, content] of Object.entries(files)) {
      const body =
        typeof content === "string" ? { content } : { content: content.base64, encoding: "base64" };
      expect((await o.put(`${base}/${path}`, body)).status).toBe(200);
    }
    const res = await o.post(`/api/v1/projects/${p.id}/terminals`, {});
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const socket = attach(server.url, p.id, id, owner.token);
    await socket.opened;
    await socket.waitFor("$ ");
    const end = () => o.delete(`/api/v1/projects/${p.id}/terminals/${id}`);
    leftOpen.add(end);
    let step = 0;
    return {
      projectId: p.id,
      files: base,
      /** Type `command` and wait until the shell ran it (a marker it computes, not the echo). */
      async run(command: string) {
        step++;
        const from = socket.output.length;
        socket.type(`${command}; echo step-$((${step}*1000))\r`);
        await socket.waitFor(`step-${step * 1000}`, from);
      },
      async sync() {
        const sync = await o.post(`/api/v1/projects/${p.id}/terminals/${id}/sync`, {});
        expect(sync.status).toBe(200);
        return (await sync.json()) as Sync;
      },
      paths: async () =>
        ((await (await o.get(base)).json()) as { files: { path: string }[] }).files.map((f) => f.path).sort(),
      async close() {
        leftOpen.delete(end);
        await socket.close();
        expect((await end()).status).toBe(204);
      },
    };
  }

  test("files deleted in the shell are deleted from the project, as the tree's delete does", async () => {
    const shell = await shellOn("Deletes", {
      "old.py": "print('old')\n",
      "stays.py": "print('stays')\n",
      "lib/gone.py": "X = 1\n",
      "was-a-folder/a.txt": "a\n",
      "was-a-file": "b\n",
    });
    // An editor has old.py open: it is told the file went.
    const wsBase = `${server.url.replace(/^http/, "ws")}/api/v1/collab`;
    const editor = new WebSocket(`${wsBase}/${shell.projectId}/old.py?token=${owner.token}`);
    const editorClosed = new Promise<number>((resolve) => {
      editor.onclose = (e) => resolve(e.code);
    });
    await new Promise<void>((resolve, reject) => {
      editor.onopen = () => resolve();
      editor.onerror = () => reject(new Error("live document socket failed"));
    });
    await shell.run(
      "rm old.py; rm -r lib; rm -r was-a-folder; echo now-a-file > was-a-folder; " +
        "rm was-a-file; mkdir was-a-file; echo inside > was-a-file/x.txt",
    );

    const outcome = await shell.sync();
    expect(outcome.deleted.map((d) => d.path).sort()).toEqual([
      "lib/gone.py",
      "old.py",
      "was-a-file",
      "was-a-folder/a.txt",
    ]);
    expect(outcome.conflicts).toEqual([]);
    expect(outcome.skipped).toEqual([]);
    expect(outcome.written.map((w) => w.path).sort()).toEqual(["was-a-file/x.txt", "was-a-folder"]);
    expect(await shell.paths()).toEqual(["stays.py", "was-a-file/x.txt", "was-a-folder"]);
    expect((await o.get(`${shell.files}/old.py`)).status).toBe(404);
    expect(await editorClosed).toBe(4404);

    // The base moved on: a second sync has nothing to delete (or write).
    const again = await shell.sync();
    expect(again).toEqual({ written: [], deleted: [], conflicts: [], skipped: [] });
    // As after any delete, a file made again at the path continues above its last version.
    const remade = await o.put(`${shell.files}/old.py`, { content: "new\n", baseVersion: 0 });
    expect(((await remade.json()) as { version: number }).version).toBe(2);
    await shell.close();
  }, 60_000);

  test("a file deleted in the shell but edited in the project meanwhile is kept, as a conflict", async () => {
    const shell = await shellOn("Delete conflict", {
      "saved.py": "v1\n",
      "typed.py": "v1\n",
      "plain.py": "v1\n",
    });
    // Saved in the editor, and typed into an open editor (not yet written when the sync runs).
    expect((await o.put(`${shell.files}/saved.py`, { content: "v2\n", baseVersion: 1 })).status).toBe(200);
    const live = connect(server.url, `${shell.projectId}/typed.py`, owner.token);
    await live.synced;
    live.text.insert(0, "typed ");
    await eventually(
      async () => (await t.deps.collab.document(shell.projectId, "typed.py"))?.text === "typed v1\n",
      5_000,
      "the edit to reach the server",
    );
    await shell.run("rm saved.py typed.py plain.py");

    const outcome = await shell.sync();
    expect(outcome.deleted).toEqual([{ path: "plain.py" }]);
    expect(outcome.conflicts.map((c) => c.path).sort()).toEqual(["saved.py", "typed.py"]);
    expect(outcome.conflicts.find((c) => c.path === "saved.py")?.version).toBe(2);
    expect(await read2(shell.files, "saved.py")).toBe("v2\n");
    expect(await read2(shell.files, "typed.py")).toBe("typed v1\n");
    expect(await shell.paths()).toEqual(["saved.py", "typed.py"]);
    // Still a conflict next time: nothing is deleted behind the person's back.
    expect((await shell.sync()).conflicts.map((c) => c.path).sort()).toEqual(["saved.py", "typed.py"]);
    live.destroy();
    await shell.close();
  }, 60_000);

  test("binary files are in the shell byte for byte; a sync neither writes nor deletes them", async () => {
    const bytes = Buffer.from([0, 255, 7, 10, 13]);
    const shell = await shellOn("Bytes", {
      "data.bin": { base64: bytes.toString("base64") },
      "a.txt": "a\n",
    });
    await shell.run("od -An -tu1 data.bin | tr -s ' ' > seen.txt; cp data.bin copy.bin");
    const outcome = await shell.sync();
    // The shell saw the exact bytes; the copy it made is binary, so it stays in the shell.
    expect(outcome.written.map((w) => w.path)).toEqual(["seen.txt"]);
    expect(outcome.deleted).toEqual([]);
    expect((await read2(shell.files, "seen.txt")).trim()).toBe("0 255 7 10 13");
    expect(await shell.paths()).toEqual(["a.txt", "data.bin", "seen.txt"]);
    await shell.close();
  }, 60_000);

  test("files that never reached the shell, or that it cannot read back, are never deleted", async () => {
    const png =
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
    const shell = await shellOn("Never deleted", {
      "logo.png": { base64: png },
      "node_modules/pkg/index.js": "module.exports = 1;\n",
      ".git/HEAD": "ref: refs/heads/main\n",
      "app/__pycache__/notes.txt": "cached\n",
      "grown.txt": "small\n",
      "binary-now.txt": "text\n",
      "linked.txt": "a file\n",
      "locked/inside.txt": "hidden later\n",
      "main.py": "print(1)\n",
    });
    // The shell removes the tool folders and every file it sees, and leaves others it cannot read.
    await shell.run(
      "rm -rf node_modules .git app/__pycache__ logo.png main.py; " +
        "head -c 1100000 /dev/zero | tr '\\0' a > grown.txt; printf 'a\\0b' > binary-now.txt; " +
        "ln -sf main.py linked.txt; chmod 000 locked",
    );

    const outcome = await shell.sync();
    expect(outcome.deleted).toEqual([{ path: "main.py" }]);
    expect(outcome.written).toEqual([]);
    expect(outcome.conflicts).toEqual([]);
    expect(await shell.paths()).toEqual([
      ".git/HEAD",
      "app/__pycache__/notes.txt",
      "binary-now.txt",
      "grown.txt",
      "linked.txt",
      "locked/inside.txt",
      "logo.png",
      "node_modules/pkg/index.js",
    ]);
    expect(await read2(shell.files, "grown.txt")).toBe("small\n");
    await shell.run("chmod 755 locked");
    await shell.close();
  }, 60_000);
});
