import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { randomBytes } from "node:crypto";
import { guardedHttp, isPrivateAddress } from "../../src/features/git/remote.ts";
import { createTestApp, type TestApp } from "../helpers/app.ts";
import { registerUser } from "../helpers/auth.ts";
import { type GitServer, startGitServer } from "../helpers/git-server.ts";
import { api } from "../helpers/projects.ts";

type ErrorBody = { error: { code: string; message: string } };

let strict: TestApp;
let open: TestApp;
let remote: GitServer;
beforeAll(async () => {
  [strict, open] = await Promise.all([
    createTestApp({ RATE_LIMIT_API: "100000/15m", RATE_LIMIT_REGISTER: "1000/1h" }),
    createTestApp({
      GIT_ALLOW_PRIVATE_REMOTES: "1",
      GIT_CLONE_LIMIT: "256KiB",
      RATE_LIMIT_API: "100000/15m",
      RATE_LIMIT_REGISTER: "1000/1h",
    }),
  ]);
  remote = startGitServer();
}, 60_000);
afterAll(async () => {
  await remote.stop();
  await Promise.all([strict.close(), open.close()]);
});

const importing = async (t: TestApp, body: Record<string, unknown>) => {
  const client = api(t, (await registerUser(t)).auth);
  const res = await client.post("/api/v1/projects/import/git", body);
  const projects = (await (await client.get("/api/v1/projects")).json()) as { projects: unknown[] };
  return { status: res.status, error: ((await res.json()) as ErrorBody).error, projects: projects.projects };
};

describe("remote URLs", () => {
  test("only http: and https: URLs without credentials are accepted, with a 400 naming the field", async () => {
    for (const url of [
      "file:///etc",
      "ssh://git@github.com/a/b.git",
      "git://example.com/a.git",
      "not a url",
      "https://user:secret@example.com/a.git",
    ]) {
      const { status, error, projects } = await importing(strict, { url });
      expect(status).toBe(400);
      expect(error.code).toBe("invalid_request");
      expect(error.message).toStartWith("url:");
      expect(error.message).not.toContain("secret");
      expect(projects).toEqual([]);
    }
  });

  test("remotes on loopback or private addresses are refused unless the server allows them", async () => {
    const url = remote.createRepo("private", { "a.txt": "a\n" });
    for (const target of [
      url,
      url.replace("127.0.0.1", "localhost"),
      "http://10.1.2.3/a.git",
      "http://[::1]/a.git",
      "http://169.254.169.254/latest",
      // Other spellings of loopback and "this host" a URL parser accepts: IPv4 in an IPv6
      // address (URLs write ::ffff:127.0.0.1 as ::ffff:7f00:1), the unspecified addresses, and
      // IPv4 written in decimal, hex or octal, or with parts left out.
      "http://[::ffff:127.0.0.1]/a.git",
      "http://[::ffff:7f00:1]/a.git",
      "http://[::ffff:169.254.169.254]/latest",
      "http://[::127.0.0.1]/a.git",
      "http://[64:ff9b::127.0.0.1]/a.git",
      "http://[2002:7f00:1::]/a.git",
      "http://0.0.0.0/a.git",
      "http://[::]/a.git",
      "http://2130706433/a.git",
      "http://0x7f000001/a.git",
      "http://0177.0.0.1/a.git",
      "http://127.1/a.git",
    ]) {
      const { status, error } = await importing(strict, { url: target });
      expect(status).toBe(400);
      expect(error.message).toContain("private addresses");
    }
    expect((await importing(open, { url })).status).toBe(201);
  });

  test("an address is judged by the IPv4 address it carries, whatever its spelling", () => {
    for (const address of [
      "::ffff:7f00:1",
      "::ffff:127.0.0.1",
      "::ffff:0:7f00:1",
      "::ffff:a00:1",
      "::7f00:1",
      "64:ff9b::a9fe:a9fe",
      "2002:c0a8:101::1",
      "::",
      "::1",
      "0.0.0.0",
      "fe80::1%eth0",
      "fec0::1",
      "fd12:3456::1",
      "not an address",
    ])
      expect([address, isPrivateAddress(address)]).toEqual([address, true]);
    for (const address of ["140.82.112.3", "::ffff:8c52:7003", "64:ff9b::8c52:7003", "2606:50c0:8000::153"])
      expect([address, isPrivateAddress(address)]).toEqual([address, false]);
  });

  test("the connection goes to the address that was checked: a name is resolved once per request", async () => {
    const url = new URL(remote.createRepo("pinned", { "a.txt": "a\n" }));
    const asked: string[] = [];
    // `.invalid` never resolves through the system: only the checked answer can reach the server.
    const named = `http://git.invalid:${url.port}${url.pathname}/info/refs?service=git-upload-pack`;
    const client = guardedHttp({
      allowPrivate: true,
      maxBytes: 1024 * 1024,
      lookup: async (host) => {
        asked.push(host);
        return ["127.0.0.1"];
      },
    });
    const res = await client.request({ url: named });
    expect(res.statusCode).toBe(200);
    expect(res.url).toBe(named);
    expect(asked).toEqual(["git.invalid"]);
    // A name that answers a private address to the check is refused before any connection.
    const rebinding = guardedHttp({ allowPrivate: false, maxBytes: 1024, lookup: async () => ["127.0.0.1"] });
    await expect(rebinding.request({ url: named })).rejects.toThrow("private addresses");
    // And one that answers a public and a private address is refused too.
    const mixed = guardedHttp({
      allowPrivate: false,
      maxBytes: 1024,
      lookup: async () => ["140.82.112.3", "10.0.0.7"],
    });
    await expect(mixed.request({ url: named })).rejects.toThrow("private addresses");
  });

  test("a repository over the download limit is a 413 and leaves no project", async () => {
    const url = remote.createRepo("huge", { "noise.bin": randomBytes(1024 * 1024) });
    const { status, error, projects } = await importing(open, { url });
    expect(status).toBe(413);
    expect(error.message).toContain("too large");
    expect(projects).toEqual([]);
  });
});
