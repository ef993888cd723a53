import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sessionCookieNames } from "../../src/features/auth/session-cookies.ts";
import { createTestApp, type TestApp } from "../helpers/app.ts";
import { newAccount, registerUser } from "../helpers/auth.ts";
import { browserSession, registerThroughForm } from "../helpers/html.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ RATE_LIMIT_REGISTER: "1000/1h", RATE_LIMIT_LOGIN: "1000/15m" });
}, 60_000);
afterAll(() => t.close());

describe("the register form", () => {
  test("success sets HttpOnly SameSite=Lax session cookies and answers 303 to /projects", async () => {
    const browser = browserSession(t);
    await browser.get("/register");
    const { res } = await browser.post("/register", newAccount());
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/projects");
    const cookies = res.headers.getSetCookie();
    for (const name of ["aura_at", "aura_rt"]) {
      const cookie = cookies.find((c) => c.startsWith(`${name}=`));
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Lax/i);
      expect(cookie).toMatch(/Path=\//);
    }
    expect((await browser.get("/projects")).res.status).toBe(200);
  });

  test("in production the cookies are Secure and __Host- prefixed", async () => {
    const prod = await createTestApp({ NODE_ENV: "production", JWT_SECRET: "x".repeat(40) });
    try {
      const browser = await registerThroughForm(prod, newAccount());
      expect([...browser.jar.values.keys()].sort()).toEqual([
        "__Host-aura_at",
        "__Host-aura_csrf",
        "__Host-aura_rt",
      ]);
      const { res } = await browser.get("/account");
      expect(res.status).toBe(200);
      const fresh = await prod.request("/register");
      const csrf = fresh.headers.getSetCookie().find((c) => c.startsWith("__Host-aura_csrf="));
      expect(csrf).toMatch(/Secure/);
      expect(csrf).toMatch(/HttpOnly/);
      const cookies = (await browserSession(prod).post("/register", newAccount())).res.headers.getSetCookie();
      for (const name of Object.values(sessionCookieNames(true))) {
        expect(cookies.find((c) => c.startsWith(`${name}=`))).toMatch(/Secure/);
      }
    } finally {
      await prod.close();
    }
  });

  test("an htmx submit gets HX-Location instead of a redirect", async () => {
    const browser = browserSession(t);
    await browser.get("/register");
    const { res } = await browser.post("/register", newAccount(), {
      "hx-request": "true",
      "hx-request-type": "partial",
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("hx-location")).toBe("/projects");
    expect(res.headers.get("location")).toBeNull();
  });

  test("invalid fields come back inline (422) in plain words, keeping what was typed but not the password", async () => {
    const browser = browserSession(t);
    await browser.get("/register");
    const fields = { email: "not-an-email", password: "short-pw9", firstName: "Grace", lastName: "" };
    const { res, html } = await browser.post("/register", fields, { "hx-request": "true" });
    expect(res.status).toBe(422);
    expect(html.startsWith("<form")).toBe(true);
    expect(html).toContain("Password must be at least 10 characters");
    expect(html).toContain("Last name is required");
    expect(html).toContain("Enter an email address like name@example.com");
    expect(html).toContain('value="not-an-email"');
    expect(html).toContain('value="Grace"');
    expect(html).not.toContain("short-pw9");
    expect(html).toMatch(/aria-invalid="true"[^>]*aria-describedby="field-password-error"/);
    const page = await browser.post("/register", fields);
    expect(page.res.status).toBe(422);
    expect(page.html.startsWith("<!doctype html>")).toBe(true);
  });

  test("a password of whitespace alone is shown inline on the password field, saying why", async () => {
    const browser = browserSession(t);
    await browser.get("/register");
    const { res, html } = await browser.post("/register", newAccount({ password: " ".repeat(16) }), {
      "hx-request": "true",
    });
    expect(res.status).toBe(422);
    expect(html).toMatch(
      /id="field-password-error"[^>]*>Password must contain a character other than whitespace/,
    );
    expect(res.headers.getSetCookie().some((c) => c.startsWith("aura_at="))).toBe(false);
  });

  test("a taken email is a 409 shown on the email field", async () => {
    const existing = await registerUser(t);
    const browser = browserSession(t);
    await browser.get("/register");
    const { res, html } = await browser.post(
      "/register",
      newAccount({ email: existing.email.toUpperCase() }),
    );
    expect(res.status).toBe(409);
    expect(html).toMatch(/id="field-email-error"[^>]*>An account with this email already exists/);
  });
});

describe("the login form", () => {
  test("signs in and follows a same-origin ?next=, ignoring anything else", async () => {
    const user = await registerUser(t);
    const login = async (next: string) => {
      const browser = browserSession(t);
      await browser.get(`/login?next=${encodeURIComponent(next)}`);
      const { res } = await browser.post(`/login?next=${encodeURIComponent(next)}`, {
        email: user.email,
        password: user.password,
      });
      expect(res.status).toBe(303);
      return res.headers.get("location");
    };
    expect(await login("/account/sessions")).toBe("/account/sessions");
    for (const bad of [
      "//evil.example",
      "https://evil.example/",
      "/\\evil.example",
      "account",
      "javascript:alert(1)",
    ]) {
      expect(await login(bad)).toBe("/projects");
    }
  });

  test("a wrong password and an unknown email show the identical form-level message", async () => {
    const user = await registerUser(t);
    const browser = browserSession(t);
    await browser.get("/login");
    const wrong = await browser.post("/login", { email: user.email, password: "not the password" });
    const unknown = await browser.post("/login", {
      email: "nobody-here@example.com",
      password: "not the password",
    });
    expect(wrong.res.status).toBe(401);
    expect(unknown.res.status).toBe(401);
    expect(wrong.html).toContain("Invalid email or password");
    const neutral = (html: string, email: string) => html.replaceAll(email, "EMAIL");
    expect(neutral(wrong.html, user.email)).toBe(neutral(unknown.html, "nobody-here@example.com"));
  });

  test("too many failures show when to try again, with Retry-After", async () => {
    const strict = await createTestApp({ RATE_LIMIT_LOGIN: "2/15m" });
    try {
      const browser = browserSession(strict);
      await browser.get("/login");
      let last: Response | undefined;
      let html = "";
      for (let i = 0; i < 4; i++)
        ({ res: last, html } = await browser.post("/login", {
          email: "a@example.com",
          password: "wrong password",
        }));
      expect(last!.status).toBe(429);
      expect(last!.headers.get("retry-after")).toMatch(/^\d+$/);
      expect(html).toMatch(/try again in \d+ minutes?/);
    } finally {
      await strict.close();
    }
  });
});

describe("the login page after an OAuth failure", () => {
  test("shows the message for a known error code and nothing taken from the URL otherwise", async () => {
    const denied = await (await t.request("/login?error=oauth_denied&provider=github")).text();
    expect(denied).toContain("Sign-in was cancelled.");
    const forged = await (await t.request("/login?error=%3Cb%3Eyou%20were%20hacked%3C%2Fb%3E")).text();
    expect(forged).not.toContain("hacked");
  });
});
