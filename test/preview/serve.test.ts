import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { SignJWT } from "jose";
import { createPreviewTokens } from "../../src/features/preview/tokens.ts";
import { createTestApp, type TestApp } from "../helpers/app.ts";
import { registerUser } from "../helpers/auth.ts";
import { api } from "../helpers/projects.ts";

const PAGE = `<!doctype html>
<html lang="en">
  <head><title>Site</title><link rel="stylesheet" href="style.css" /></head>
  <body><h1>Hi</h1><script src="app.js"></script></body>
</html>
`;

describe("GET /preview/:projectId/*path", () => {
  let t: TestApp;
  let owner: Awaited<ReturnType<typeof registerUser>>;
  let stranger: Awaited<ReturnType<typeof registerUser>>;
  let client: ReturnType<typeof api>;
  let projectId: string;
  let otherProjectId: string;

  beforeAll(async () => {
    t = await createTestApp();
    owner = await registerUser(t);
    stranger = await registerUser(t);
    client = api(t, owner.auth);
    projectId = (await client.project({ name: "Site", language: "html" })).id;
    otherProjectId = (await client.project({ name: "Other", language: "html" })).id;
    for (const [path, content] of Object.entries({
      "index.html": PAGE,
      "style.css": "h1 { color: rebeccapurple; }\n",
      "app.js": "console.log('hi');\n",
      "img/logo.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>',
      "docs/index.html": "<p>docs</p>",
      "data.json": '{"a":1}',
      "notes.ts": "export const a = 1;\n",
    }))
      expect((await client.put(`/api/v1/projects/${projectId}/files/${path}`, { content })).status).toBe(200);
  }, 60_000);
  afterAll(() => t?.close());

  const tokenFor = async (id: string, auth = owner.auth) => {
    const res = await api(t, auth).post(`/api/v1/projects/${id}/preview-tokens`, {});
    expect(res.status).toBe(201);
    return (await res.json()) as { token: string; url: string; expiresIn: number };
  };
  const get = (path: string) => t.request(path);

  test("a member gets a token and a URL for the project's index page", async () => {
    const grant = await tokenFor(projectId);
    expect(grant.expiresIn).toBe(900);
    expect(grant.url).toBe(`/preview/${projectId}/index.html?t=${grant.token}`);
    const page = await api(t, owner.auth).post(`/api/v1/projects/${projectId}/preview-tokens`, {
      path: "docs/index.html",
    });
    expect(((await page.json()) as { url: string }).url).toStartWith(
      `/preview/${projectId}/docs/index.html?t=`,
    );
  });

  test("a non-member, or no project, gets 404 for a token; no bearer token is a 401", async () => {
    const res = await api(t, stranger.auth).post(`/api/v1/projects/${projectId}/preview-tokens`, {});
    expect(res.status).toBe(404);
    expect((await t.request(`/api/v1/projects/${projectId}/preview-tokens`, { method: "POST" })).status).toBe(
      401,
    );
    const bad = await client.post(`/api/v1/projects/${projectId}/preview-tokens`, { path: "../x.html" });
    expect(bad.status).toBe(400);
  });

  test("an HTML page asked for with ?t= moves to the URL with the token in its path", async () => {
    const { token } = await tokenFor(projectId);
    const res = await get(`/preview/${projectId}/index.html?t=${token}`);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/preview/${projectId}/~t.${token}/index.html`);
    expect(res.headers.get("content-security-policy")).toBe("sandbox allow-scripts allow-forms allow-popups");
  });

  test("serves files with the sandbox headers and their content types, never a cookie", async () => {
    const { token } = await tokenFor(projectId);
    const base = `/preview/${projectId}/~t.${token}/`;
    const cases: [string, string][] = [
      ["index.html", "text/html; charset=utf-8"],
      ["", "text/html; charset=utf-8"],
      ["style.css", "text/css; charset=utf-8"],
      ["app.js", "text/javascript; charset=utf-8"],
      ["img/logo.svg", "image/svg+xml; charset=utf-8"],
      ["data.json", "application/json; charset=utf-8"],
      ["notes.ts", "text/plain; charset=utf-8"],
    ];
    for (const [path, type] of cases) {
      const res = await get(base + path);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe(type);
      expect(res.headers.get("content-security-policy")).toBe(
        "sandbox allow-scripts allow-forms allow-popups",
      );
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(res.headers.get("set-cookie")).toBeNull();
      expect(res.headers.get("x-frame-options")).toBeNull();
    }
    expect(await (await get(`${base}style.css`)).text()).toBe("h1 { color: rebeccapurple; }\n");
    // Other files are served directly with ?t= too.
    expect((await get(`/preview/${projectId}/style.css?t=${token}`)).status).toBe(200);
  });

  test("a binary file is served as its bytes", async () => {
    // A 1×1 PNG.
    const png =
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
    const saved = await client.put(`/api/v1/projects/${projectId}/files/img/dot.png`, {
      content: png,
      encoding: "base64",
    });
    expect(saved.status).toBe(200);
    const { token } = await tokenFor(projectId);
    const res = await get(`/preview/${projectId}/~t.${token}/img/dot.png`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await res.arrayBuffer()).toString("base64")).toBe(png);
  });

  test("HTML pages get the console bridge as their first script, after <head>", async () => {
    const { token } = await tokenFor(projectId);
    const body = await (await get(`/preview/${projectId}/~t.${token}/index.html`)).text();
    expect(body).toStartWith('<!doctype html>\n<html lang="en">\n  <head><script>');
    expect(body).toContain('aura:"preview-console"');
    expect(body).toContain('<link rel="stylesheet" href="style.css" />');
    const bare = await (await get(`/preview/${projectId}/~t.${token}/docs/`)).text();
    expect(bare).toStartWith("<script>");
    expect(bare).toEndWith("<p>docs</p>");
  });

  test("a folder without its slash redirects to it; a missing file is a 404; a bad path a 400", async () => {
    const { token } = await tokenFor(projectId);
    const base = `/preview/${projectId}/~t.${token}/`;
    const folder = await get(`${base}docs`);
    expect(folder.status).toBe(302);
    expect(folder.headers.get("location")).toBe(`${base}docs/`);
    expect((await get(`${base}missing.html`)).status).toBe(404);
    expect((await get(`${base}img`)).status).toBe(404);
    expect((await get(`${base}a%2F..%2Fstyle.css`)).status).toBe(400);
    expect((await get(`${base}a%00b`)).status).toBe(400);
    const missing = await get(`${base}missing.html`);
    expect(missing.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(await missing.text()).toBe("missing.html not found\n");
    expect(missing.headers.get("content-security-policy")).toBe(
      "sandbox allow-scripts allow-forms allow-popups",
    );
  });

  test("no token is a 401; a session cookie or bearer token does not stand in for one", async () => {
    const res = await get(`/preview/${projectId}/style.css`);
    expect(res.status).toBe(401);
    const bearer = await t.request(`/preview/${projectId}/style.css`, { headers: owner.auth });
    expect(bearer.status).toBe(401);
    // An access token is not a preview token.
    expect((await get(`/preview/${projectId}/style.css?t=${owner.token}`)).status).toBe(401);
  });

  test("expired, forged and other-project tokens are refused", async () => {
    const tokens = createPreviewTokens(t.deps.config.jwtSecret);
    const expired = await tokens.sign({ userId: owner.user.id, projectId }, -60);
    expect((await get(`/preview/${projectId}/style.css?t=${expired}`)).status).toBe(401);
    expect((await get(`/preview/${projectId}/~t.${expired}/style.css`)).status).toBe(401);

    const forgedKey = new TextEncoder().encode("not the server's secret, but long enough to sign");
    const forged = await new SignJWT({ typ: "preview", pid: projectId })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(owner.user.id)
      .setIssuer("aura")
      .setAudience("aura-preview")
      .setIssuedAt()
      .setExpirationTime("10m")
      .sign(forgedKey);
    expect((await get(`/preview/${projectId}/style.css?t=${forged}`)).status).toBe(401);
    // Signed with the app's own secret, as an access token would be: still not a preview token.
    const withAppSecret = await new SignJWT({ typ: "preview", pid: projectId })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(owner.user.id)
      .setIssuer("aura")
      .setAudience("aura-preview")
      .setIssuedAt()
      .setExpirationTime("10m")
      .sign(new TextEncoder().encode(t.deps.config.jwtSecret));
    expect((await get(`/preview/${projectId}/style.css?t=${withAppSecret}`)).status).toBe(401);

    const other = await tokenFor(otherProjectId);
    expect((await get(`/preview/${projectId}/style.css?t=${other.token}`)).status).toBe(404);
    expect((await get(`/preview/${projectId}/~t.${other.token}/index.html`)).status).toBe(404);
  });

  test("a token stops working when its holder is no longer a member", async () => {
    const friend = await registerUser(t);
    const shared = (await client.project({ name: "Shared", language: "html" })).id;
    expect(
      (await client.post(`/api/v1/projects/${shared}/members`, { email: friend.email, role: "viewer" }))
        .status,
    ).toBe(201);
    const { token } = await tokenFor(shared, friend.auth);
    expect((await get(`/preview/${shared}/~t.${token}/index.html`)).status).toBe(200);
    expect((await client.delete(`/api/v1/projects/${shared}/members/${friend.user.id}`)).status).toBe(204);
    expect((await get(`/preview/${shared}/~t.${token}/index.html`)).status).toBe(404);
  });
});
