import type { TestApp } from "./app.ts";

type Auth = { authorization: string };

/** JSON request helper with a bearer token. */
export function api(t: TestApp, auth: Auth) {
  const send = (method: string, path: string, body?: unknown) =>
    t.request(path, {
      method,
      headers: { ...auth, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  return {
    get: (path: string) => send("GET", path),
    post: (path: string, body: unknown) => send("POST", path, body),
    put: (path: string, body: unknown) => send("PUT", path, body),
    patch: (path: string, body: unknown) => send("PATCH", path, body),
    delete: (path: string) => send("DELETE", path),
    /** Create a project and return it. */
    async project(body: Record<string, unknown> = {}) {
      const res = await send("POST", "/api/v1/projects", { name: "Demo", language: "javascript", ...body });
      if (res.status !== 201) throw new Error(`create project: ${res.status} ${await res.text()}`);
      return (await res.json()) as { id: string; name: string; fileCount: number };
    },
  };
}
