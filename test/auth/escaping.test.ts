import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTestApp, type TestApp } from "../helpers/app.ts";
import { newAccount } from "../helpers/auth.ts";
import { browserSession, injectedElements, registerThroughForm } from "../helpers/html.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ RATE_LIMIT_REGISTER: "1000/1h" });
}, 60_000);
afterAll(() => t.close());

const PAYLOADS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>'];
const PAGES = ["/projects", "/account", "/account/sessions"];

describe("user text on the HTML face", () => {
  test("an XSS payload as a first name shows escaped on every page that displays it", async () => {
    for (const payload of PAYLOADS) {
      const browser = await registerThroughForm(t, newAccount({ firstName: payload, lastName: payload }));
      for (const path of PAGES) {
        const { res, html } = await browser.get(path);
        expect(res.status).toBe(200);
        expect(await injectedElements(html)).toEqual([]);
        if (path !== "/account/sessions") expect(html).toContain(Bun.escapeHTML(payload));
      }
    }
  });

  test("a User-Agent carrying HTML shows escaped on the sessions page", async () => {
    const userAgent = '<script>alert("ua")</script><img src=x onerror=alert(2)>';
    const browser = await registerThroughForm(t, newAccount(), { userAgent });
    const { html } = await browser.get("/account/sessions");
    expect(await injectedElements(html)).toEqual([]);
    expect(html).toContain(Bun.escapeHTML(userAgent));
  });

  test("SQL-ish input is stored and shown verbatim", async () => {
    const name = "Robert'); DROP TABLE users;--";
    const browser = await registerThroughForm(t, newAccount({ firstName: name, lastName: "O'Brien" }));
    const { html } = await browser.get("/account");
    expect(html).toContain(Bun.escapeHTML(`${name} O'Brien`));
    // The table is still there: another account can still sign up.
    await registerThroughForm(t, newAccount());
  });

  test("typed values echoed into a failed form stay inside their attributes", async () => {
    const browser = browserSession(t);
    await browser.get("/register");
    const { res, html } = await browser.post("/register", {
      ...newAccount({ firstName: PAYLOADS[1]! }),
      password: "x",
    });
    expect(res.status).toBe(422);
    expect(await injectedElements(html)).toEqual([]);
  });
});
