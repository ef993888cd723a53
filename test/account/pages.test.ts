import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { unzipSync } from "fflate";
import { createTestApp, type TestApp } from "../helpers/app.ts";
import { postJson, registerUser } from "../helpers/auth.ts";
import { browserSession, injectedElements } from "../helpers/html.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ RATE_LIMIT_REGISTER: "1000/1h" });
}, 60_000);
afterAll(() => t.close());

/** A registered account signed in through the login form. */
async function signedIn(overrides: Parameters<typeof registerUser>[1] = {}) {
  const account = await registerUser(t, overrides);
  const browser = browserSession(t);
  await browser.get("/login");
  const { res } = await browser.post("/login", { email: account.email, password: account.password });
  expect(res.status).toBe(303);
  await browser.get("/account");
  return { account, browser };
}
const htmx = { "hx-request": "true" };

describe("the account page's forms", () => {
  test("the name form answers its section for htmx, and names are escaped", async () => {
    const { browser } = await signedIn();
    const { res, html } = await browser.post(
      "/account/profile",
      { firstName: "<img src=x onerror=alert(1)>", lastName: "" },
      htmx,
    );
    expect(res.status).toBe(200);
    expect(html).toStartWith('<section id="profile"');
    expect(html).toContain("Name saved.");
    expect(html).toContain('<hx-partial hx-target="#viewer-name" hx-swap="innerHTML">&lt;img');
    expect(await injectedElements(html)).toEqual([]);
    const page = await browser.get("/account");
    expect(page.html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(await injectedElements(page.html)).toEqual([]);
  });

  test("without htmx a change redirects back and a mistake renders the whole page with the field's error", async () => {
    const { browser } = await signedIn();
    const ok = await browser.post("/account/profile", { firstName: "Plain", lastName: "Form" });
    expect(ok.res.status).toBe(303);
    expect(ok.res.headers.get("location")).toBe("/account");
    const bad = await browser.post("/account/password", {
      currentPassword: "whatever",
      newPassword: "short",
    });
    expect(bad.res.status).toBe(422);
    expect(bad.html).toContain("<h1");
    expect(bad.html).toContain("New password must be at least 10 characters");
  });

  test("changing the password through the form signs out the other sessions and keeps this one", async () => {
    const { account, browser } = await signedIn();
    // Registering through the API started one session; this is a second one elsewhere.
    const elsewhere = await postJson(t, "/api/v1/auth/login", {
      email: account.email,
      password: account.password,
    });
    const other = (await elsewhere.json()) as { token: string };
    const wrong = await browser.post(
      "/account/password",
      { currentPassword: "not it at all", newPassword: "a new passphrase" },
      htmx,
    );
    expect(wrong.res.status).toBe(403);
    expect(wrong.html).toContain("That password is not right");
    const { res, html } = await browser.post(
      "/account/password",
      { currentPassword: account.password, newPassword: "a new passphrase" },
      htmx,
    );
    expect(res.status).toBe(200);
    expect(html).toContain("Password changed. 2 other sessions were signed out.");
    const me = await t.request("/api/v1/auth/me", { headers: { authorization: `Bearer ${other.token}` } });
    expect(me.status).toBe(401);
    expect((await browser.get("/account")).res.status).toBe(200);
  });

  test("forms without the CSRF token are refused and change nothing", async () => {
    const { account, browser } = await signedIn({ firstName: "Kept" });
    for (const path of ["/account/profile", "/account/password", "/account/delete"]) {
      const { res } = await browser.post(path, {
        _csrf: "forged",
        firstName: "Changed",
        password: account.password,
      });
      expect(res.status).toBe(403);
    }
    const me = await t.request("/api/v1/auth/me", { headers: account.auth });
    expect((await me.json()).user.firstName).toBe("Kept");
  });

  test("the export link downloads the zip of the signed-in account", async () => {
    const { account, browser } = await signedIn();
    const res = await t.request("/account/export", { headers: { cookie: browser.jar.header() } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toStartWith("attachment;");
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    expect(JSON.parse(new TextDecoder().decode(files["profile.json"])).user.email).toBe(account.email);
  });

  test("deleting through the form clears the session cookies and sends the browser home", async () => {
    const { account, browser } = await signedIn();
    const { res } = await browser.post("/account/delete", { password: account.password }, htmx);
    expect(res.status).toBe(200);
    expect(res.headers.get("hx-redirect")).toBe("/");
    expect(browser.jar.values.has("aura_at")).toBe(false);
    expect((await browser.get("/account")).res.status).toBe(303);
  });
});
