import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { createTestApp, type TestApp } from "../helpers/app.ts";
import { registerUser } from "../helpers/auth.ts";
import { api } from "../helpers/projects.ts";
import { listen } from "../helpers/server.ts";

/** Poll `check` until it returns true (or throws its last failure after `ms`). */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  ms = 5_000,
  what = "condition",
): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(10);
  }
}

/** A live-document client: the stock y-websocket provider, as a script would use it. */
export function connect(url: string, room: string, token: string, doc = new Y.Doc()) {
  const provider = new WebsocketProvider(`${url.replace(/^http/, "ws")}/api/v1/collab`, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    params: { token },
  });
  const synced = new Promise<void>((resolve) => {
    if (provider.synced) resolve();
    else provider.once("sync", (s: boolean) => s && resolve());
  });
  return { doc, provider, text: doc.getText("content"), synced, destroy: () => provider.destroy() };
}

export type Client = ReturnType<typeof connect>;

/** An app served on loopback, an owner with a project holding `notes.txt`, and their API client. */
export async function liveProject(t?: TestApp, content = "hello\n") {
  const app = t ?? (await createTestApp());
  const server = listen(app);
  const owner = await registerUser(app);
  const o = api(app, owner.auth);
  const project = await o.project({ name: "Live" });
  const res = await o.put(`/api/v1/projects/${project.id}/files/notes.txt`, { content, baseVersion: 0 });
  if (res.status !== 200) throw new Error(`create file: ${res.status} ${await res.text()}`);
  const stored = async (path = "notes.txt") => {
    const r = await o.get(`/api/v1/projects/${project.id}/files/${path}`);
    return r.status === 200 ? ((await r.json()) as { content: string; version: number }) : undefined;
  };
  return { t: app, server, owner, o, project, room: `${project.id}/notes.txt`, stored };
}
