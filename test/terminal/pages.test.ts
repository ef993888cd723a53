import { afterAll, describe, expect, test } from "bun:test";
import { assetUrl } from "../../src/assets.ts";
import { signedInWithProject } from "../editor/helpers.ts";
import { createTestApp } from "../helpers/app.ts";
import { sandboxSkipReason } from "../helpers/sandbox.ts";
import { listen } from "../helpers/server.ts";
import { attach } from "./helpers.ts";

const skip = sandboxSkipReason();

describe.skipIf(Boolean(skip))("the Terminal on the project page", async () => {
  const t = await createTestApp({ RATE_LIMIT_EDITOR: "100000/15m", RATE_LIMIT_API: "100000/15m" });
  const me = await signedInWithProject(t);
  const viewer = await signedInWithProject(t);
  const shared = await me.client.post(`/api/v1/projects/${me.project.id}/members`, {
    email: viewer.user.email,
    role: "viewer",
  });
  expect(shared.status).toBe(201);
  const server = listen(t);
  afterAll(async () => {
    await server.stop();
    await t.close();
  });

  const open = (who: typeof me) => who.form(`/projects/${me.project.id}/terminals`, {});
  const terminalIdOf = (html: string) =>
    /data-terminal-socket="\/api\/v1\/projects\/[^/]+\/terminals\/([^"]+)"/.exec(html)?.[1];
  const close = (terminalId: string) =>
    t.request(`/projects/${me.project.id}/terminals/${terminalId}`, {
      method: "DELETE",
      headers: {
        cookie: me.browser.jar.header(),
        origin: "http://localhost",
        "x-csrf-token": me.browser.token ?? "",
        "hx-request": "true",
      },
    });

  test("an editor's page has the Terminal button naming the lazy module; a viewer's has none", async () => {
    const { html } = await me.browser.get(`/projects/${me.project.id}`);
    expect(html).toContain(`data-terminal-open="${assetUrl("terminal.js")}"`);
    // Only a button names it: the page neither loads nor preloads the terminal module.
    expect(html).not.toContain(`src="${assetUrl("terminal.js")}"`);
    expect(html).not.toContain(`href="${assetUrl("terminal.js")}"`);
    const seen = await viewer.browser.get(`/projects/${me.project.id}`);
    expect(seen.html).not.toContain("data-terminal-open");
    expect((await open(viewer)).status).toBe(403);
  });

  test("without the CSRF token the panel is refused (403)", async () => {
    const res = await t.request(`/projects/${me.project.id}/terminals`, {
      method: "POST",
      headers: { cookie: me.browser.jar.header(), origin: "http://localhost", "hx-request": "true" },
    });
    expect(res.status).toBe(403);
  });

  test("the button opens a terminal, then resumes the same one; Close ends it", async () => {
    const first = await open(me);
    expect(first.status).toBe(201);
    const html = await first.text();
    const id = terminalIdOf(html);
    expect(id).toBeDefined();
    expect(html).toContain(`data-terminal-module="${assetUrl("terminal.js")}"`);

    const again = await open(me);
    expect(again.status).toBe(200);
    expect(terminalIdOf(await again.text())).toBe(id);

    const sync = await me.form(`/projects/${me.project.id}/terminals/${id}/sync`, {});
    expect(sync.status).toBe(200);
    expect(await sync.text()).toContain("Nothing new to bring into the project.");

    const closed = await close(id!);
    expect(closed.status).toBe(200);
    expect(await closed.text()).toBe("");
    const fresh = await open(me);
    expect(fresh.status).toBe(201);
    const next = terminalIdOf(await fresh.text());
    expect(next).not.toBe(id);
    expect((await close(next!)).status).toBe(200);
  }, 30_000);

  test("Sync says how many files it stored and deleted, and the tree follows", async () => {
    const files = `/api/v1/projects/${me.project.id}/files`;
    expect((await me.client.put(`${files}/doomed.txt`, { content: "bye\n" })).status).toBe(200);
    expect((await me.client.put(`${files}/doomed-too.txt`, { content: "bye\n" })).status).toBe(200);
    const id = terminalIdOf(await (await open(me)).text());
    const socket = attach(server.url, me.project.id, id!, me.user.token);
    await socket.opened;
    await socket.waitFor("$ ");
    const from = socket.output.length;
    socket.type("rm doomed.txt doomed-too.txt; echo made > fresh.txt; echo done-$((3*3))\r");
    await socket.waitFor("done-9", from);

    const sync = await me.form(`/projects/${me.project.id}/terminals/${id}/sync`, {});
    expect(sync.status).toBe(200);
    const html = await sync.text();
    expect(html).toContain("1 file stored in the project, 2 files deleted from it.");
    const tree = html.slice(html.indexOf('<hx-partial hx-target="#tree"'));
    expect(tree).toContain("fresh.txt");
    expect(tree).not.toContain("doomed");
    await socket.close();
    expect((await close(id!)).status).toBe(200);
  }, 30_000);
});
