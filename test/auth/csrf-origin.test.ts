import { describe, expect, test } from "bun:test";
import { ownOrigin } from "../../src/features/auth/csrf.ts";
import { requestOrigin } from "../../src/features/auth/oauth/origin.ts";

const behind = (headers: Record<string, string>) => new Request("http://10.0.0.5:3000/projects", { headers });

describe("the app's own origin for the CSRF check", () => {
  test("is the request's own without trusted proxies, whatever the forwarded headers say", () => {
    const req = behind({ "x-forwarded-proto": "https", "x-forwarded-host": "evil.example" });
    expect(ownOrigin(req, 0)).toBe("http://10.0.0.5:3000");
  });

  test("behind two proxies that append, is the outer proxy's view — the same origin OAuth uses", () => {
    const req = behind({
      "x-forwarded-proto": "https, http",
      "x-forwarded-host": "aura.example, inner.local:8080",
    });
    expect(ownOrigin(req, 2)).toBe("https://aura.example");
    expect(ownOrigin(req, 2)).toBe(requestOrigin(req, 2));
    expect(ownOrigin(req, 1)).toBe("http://inner.local:8080");
  });

  test("a forged host that is no host name is ignored", () => {
    expect(ownOrigin(behind({ "x-forwarded-host": "a b/c" }), 1)).toBe("http://10.0.0.5:3000");
  });
});
