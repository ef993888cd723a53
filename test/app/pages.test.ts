import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTestApp, type TestApp } from "../helpers/app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
}, 60_000);
afterAll(() => t.close());

describe("the HTML face", () => {
  test("the landing page is a full document with the stylesheet, htmx and sign-in links", async () => {
    const res = await t.request("/");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    const html = await res.text();
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toMatch(/<link rel="stylesheet" href="\/assets\/app\.[0-9a-f]{10}\.css"/);
    expect(html).toMatch(/<script src="\/assets\/htmx\.[0-9a-f]{10}\.js" defer>/);
    expect(html).toContain('href="/register"');
    expect(html).toContain('href="/login"');
  });

  test("the landing page is compressed for browsers that accept brotli", async () => {
    const res = await t.request("/", { headers: { "accept-encoding": "gzip, br" } });
    expect(res.headers.get("content-encoding")).toBe("br");
  });

  test("hashed assets are cached for a year, answer 304 to their ETag, and come pre-compressed", async () => {
    const html = await (await t.request("/")).text();
    const css = /href="(\/assets\/app\.[0-9a-f]{10}\.css)"/.exec(html)![1]!;
    const res = await t.request(css, { headers: { "accept-encoding": "br" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(res.headers.get("content-encoding")).toBe("br");
    expect(res.headers.get("content-type")).toContain("text/css");
    const again = await t.request(css, { headers: { "if-none-match": res.headers.get("etag")! } });
    expect(again.status).toBe(304);
  });

  test("unhashed public files get a short cache", async () => {
    const res = await t.request("/favicon.svg");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=3600");
    expect(res.headers.get("content-type")).toContain("image/svg+xml");
  });

  test("a missing page is a friendly 404 page, and a fragment for HTMX", async () => {
    const page = await t.request("/no-such-page", { headers: { accept: "text/html" } });
    expect(page.status).toBe(404);
    expect(await page.text()).toContain("Page not found");
    const fragment = await t.request("/no-such-page", { headers: { "hx-request": "true" } });
    expect((await fragment.text()).startsWith("<div")).toBe(true);
  });

  test("every request leaves one access-log line", async () => {
    const before = t.logs.filter((l) => l.msg === "request").length;
    await t.request("/healthz");
    const lines = t.logs.filter((l) => l.msg === "request");
    expect(lines.length).toBe(before + 1);
    expect(lines.at(-1)).toMatchObject({ method: "GET", route: "/healthz", status: 200 });
  });
});
