import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { CONTENT_SECURITY_POLICY } from "../../src/plugins/security-headers.ts";
import { createTestApp, type TestApp } from "../helpers/app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
}, 60_000);
afterAll(() => t.close());

function expectHardened(res: Response) {
  expect(res.headers.get("content-security-policy")).toBe(CONTENT_SECURITY_POLICY);
  expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
  expect(res.headers.get("x-frame-options")).toBe("DENY");
  expect(res.headers.get("cross-origin-opener-policy")).toBe("same-origin");
  expect(res.headers.get("permissions-policy")).toContain("camera=()");
}

describe("security headers", () => {
  test("the CSP forbids inline script, eval and framing", () => {
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self';");
    expect(CONTENT_SECURITY_POLICY).not.toContain("unsafe-eval");
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
  });

  test("are on a page, a JSON error, a static asset, a 404 and a redirect, without HSTS outside production", async () => {
    const page = await t.request("/login");
    const html = await page.text();
    const css = /href="(\/assets\/app\.[0-9a-f]{10}\.css)"/.exec(html)![1]!;
    const responses = [
      page,
      await t.request("/api/v1/auth/me"),
      await t.request(css, { headers: { "accept-encoding": "br" } }),
      await t.request("/no-such-page"),
      await t.request("/account"),
      await t.request("/healthz"),
    ];
    expect(responses.map((r) => r.status)).toEqual([200, 401, 200, 404, 303, 200]);
    for (const res of responses) {
      expectHardened(res);
      expect(res.headers.get("strict-transport-security")).toBeNull();
    }
  });

  test("production adds HSTS", async () => {
    const prod = await createTestApp({ NODE_ENV: "production", JWT_SECRET: "x".repeat(40) });
    try {
      for (const path of ["/", "/no-such-page"]) {
        const res = await prod.request(path);
        expectHardened(res);
        expect(res.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
      }
    } finally {
      await prod.close();
    }
  });

  test("no page carries an inline script or an hx-on handler", async () => {
    for (const path of ["/", "/login", "/register"]) {
      const html = await (await t.request(path)).text();
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(html).not.toMatch(/hx-on|js:/);
    }
  });
});
