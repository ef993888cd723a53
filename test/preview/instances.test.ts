import { afterAll, expect, test } from "bun:test";
import { createTestApp, type TestApp } from "../helpers/app.ts";
import { newAccount } from "../helpers/auth.ts";
import { registerThroughForm } from "../helpers/html.ts";
import { api } from "../helpers/projects.ts";
import { readBlocks } from "./stream.ts";

/** Two instances on one PostgreSQL and Redis: a save on one reloads previews open on the other. */
const shared = Boolean(process.env.DATABASE_URL && process.env.REDIS_URL);
if (!shared) console.warn("preview events across instances skipped: DATABASE_URL and REDIS_URL not both set");

const stops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const stop of stops.reverse()) await stop();
});

test.skipIf(!shared)(
  "a save through one instance reaches the preview events of another",
  async () => {
    const first: TestApp = await createTestApp();
    stops.push(() => first.close());
    const second = first.secondInstance();
    stops.push(() => second.close());
    const account = newAccount();
    const session = await registerThroughForm(first, account);
    const login = await first.request("/api/v1/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: account.email, password: account.password }),
    });
    const { token } = (await login.json()) as { token: string };
    const client = api(first, { authorization: `Bearer ${token}` });
    const project = await client.project({ name: "Site", language: "html" });

    const controller = new AbortController();
    const res = await second.request(`/projects/${project.id}/preview/events`, {
      headers: { cookie: session.jar.header() },
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    let tokenArrived: () => void = () => {};
    const gotToken = new Promise<void>((resolve) => {
      tokenArrived = resolve;
    });
    let changeArrived: (path: unknown) => void = () => {};
    const gotChange = new Promise<unknown>((resolve) => {
      changeArrived = resolve;
    });
    const reading = readBlocks(res, (event, data) => {
      if (event === "token") tokenArrived();
      if (event === "change") changeArrived(data.path);
    });
    await gotToken;
    const saved = await client.put(`/api/v1/projects/${project.id}/files/index.html`, {
      content: "<h1>Hi</h1>",
    });
    expect(saved.status).toBe(200);
    expect(await gotChange).toBe("index.html");
    controller.abort();
    await reading;
  },
  60_000,
);
