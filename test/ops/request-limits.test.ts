import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { freshPgliteDataDir } from "../helpers/db.ts";
import { type ServerProcess, spawnServer } from "../helpers/server-process.ts";

/**
 * Oversized requests against the real server process (`bun src/index.ts` as the start script
 * runs it), where Bun's own limits apply: they must come back in the API's JSON error shape,
 * not as Bun's empty 413/431.
 */

let server: ServerProcess;
let dataDir: string;
beforeAll(async () => {
  dataDir = await freshPgliteDataDir();
  server = spawnServer({ dataDir });
  await server.ready();
}, 120_000);
afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const MiB = 1024 * 1024;

async function errorOf(res: Response): Promise<{ code: string; message: string }> {
  expect(res.headers.get("content-type")).toContain("application/json");
  return ((await res.json()) as { error: { code: string; message: string } }).error;
}

describe("over-limit requests get the JSON error shape from the real server", () => {
  test("a body over every route's limit, declared by Content-Length, is a JSON 413", async () => {
    for (const size of [9 * MiB, 40 * MiB]) {
      const res = await fetch(`${server.base}/api/v1/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: new Uint8Array(size),
      });
      expect(res.status, `${size} bytes`).toBe(413);
      expect((await errorOf(res)).code).toBe("payload_too_large");
    }
  });

  test("a chunked body is cut off at its route's limit with a JSON 413", async () => {
    const chunk = new Uint8Array(256 * 1024).fill(0x20);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        // Far past any limit, in case the server kept reading.
        if (sent >= 64 * MiB) return controller.close();
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const res = await fetch(`${server.base}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(413);
    expect((await errorOf(res)).message).toContain("over its limit");
  });

  test("a URL over Aura's limit is a JSON 431, up to Bun's own cap on a request head", async () => {
    for (const length of [9 * 1024, 20 * 1024, 60 * 1024]) {
      const res = await fetch(`${server.base}/api/v1/projects?q=${"a".repeat(length)}`);
      expect(res.status, `${length}-byte query`).toBe(431);
      const error = await errorOf(res);
      expect(error.code).toBe("url_too_long");
      expect(error.message).toContain("over its limit of 8192");
    }
  });
});
