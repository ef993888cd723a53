import { afterAll, describe, expect, test } from "bun:test";
import { createTestApp } from "../helpers/app.ts";
import { registerUser } from "../helpers/auth.ts";
import { api } from "../helpers/projects.ts";
import { sandboxSkipReason } from "../helpers/sandbox.ts";
import { listen } from "../helpers/server.ts";
import { attach } from "./helpers.ts";

const skip = sandboxSkipReason();

describe.skipIf(Boolean(skip))("a terminal's limits", async () => {
  const t = await createTestApp({
    RATE_LIMIT_API: "100000/15m",
    RATE_LIMIT_EDITOR: "100000/15m",
    TERMINALS_PER_USER: "2",
    SANDBOX_MEMORY_MIB: "128",
  });
  const server = listen(t);
  afterAll(async () => {
    await server.stop();
    await t.close();
  });

  async function person() {
    const user = await registerUser(t);
    const a = api(t, user.auth);
    const project = await a.project({ name: "Limits", language: "python" });
    const open = async () => {
      const res = await a.post(`/api/v1/projects/${project.id}/terminals`, {});
      expect(res.status).toBe(201);
      const { id } = (await res.json()) as { id: string };
      const socket = attach(server.url, project.id, id, user.token);
      await socket.opened;
      await socket.waitFor("$ ");
      return { id, socket, close: () => a.delete(`/api/v1/projects/${project.id}/terminals/${id}`) };
    };
    return { user, a, project, open };
  }

  const healthy = async () => (await fetch(`${server.url}/healthz`)).status;

  test("a third terminal of one user is a 409 that names the limit; closing one makes room", async () => {
    const me = await person();
    const first = await me.open();
    const second = await me.open();
    const res = await me.a.post(`/api/v1/projects/${me.project.id}/terminals`, {});
    expect(res.status).toBe(409);
    const body = (await res.json()) as { error: { message: string } };
    expect(body.error.message).toContain("2 terminals open");
    expect((await first.close()).status).toBe(204);
    const third = await me.open();
    await second.close();
    await third.close();
  }, 30_000);

  test("a fork bomb ends only its own terminal; /healthz and the user's other terminal still answer", async () => {
    const me = await person();
    const bystander = await me.open();
    const bomb = await me.open();
    bomb.socket.type("bomb() { bomb | bomb & }; bomb\r");
    const ended = await bomb.socket.closed;
    expect(ended.exit?.error).toBe("processes");
    expect(await healthy()).toBe(200);
    const from = bystander.socket.output.length;
    bystander.socket.type("echo still-$((1+1))\r");
    await bystander.socket.waitFor("still-2", from);
    await bystander.close();
  }, 60_000);

  test("a memory bomb ends only its own terminal; /healthz and the user's other terminal still answer", async () => {
    const me = await person();
    const bystander = await me.open();
    const bomb = await me.open();
    bomb.socket.type(`python3 -c "x = b'x' * (1024 ** 3)"\r`);
    const ended = await bomb.socket.closed;
    expect(ended.exit?.error).toBe("memory");
    expect(await healthy()).toBe(200);
    const from = bystander.socket.output.length;
    bystander.socket.type("echo still-$((2+2))\r");
    await bystander.socket.waitFor("still-4", from);
    await bystander.close();
  }, 60_000);
});
