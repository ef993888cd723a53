import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { createTestApp, type TestApp } from "../helpers/app.ts";
import { registerUser } from "../helpers/auth.ts";
import { browserUnavailable, launchBrowser, screenshotDir, signIn } from "../helpers/browser.ts";
import { api } from "../helpers/projects.ts";
import { listen } from "../helpers/server.ts";

const unavailable = browserUnavailable();
if (unavailable) console.warn(`Preview browser tests skipped: ${unavailable}`);

const page = (heading: string) => `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Site</title>
    <link rel="stylesheet" href="style.css" />
  </head>
  <body>
    <h1>${heading}</h1>
    <img id="logo" src="img/logo.svg" alt="logo" width="40" height="40" />
    <p><a href="about.html">About</a></p>
    <script type="module" src="app.js"></script>
  </body>
</html>
`;

/** What a hostile page tries: every result goes to the console, which the editor shows. */
const PROBE = `import { greeting } from "./lib/greet.js";
const attempt = async (f) => { try { return String(await f()); } catch (e) { return "blocked:" + e.name; } };
const token = location.pathname.split("/")[3];
const other = document.body.dataset.other;
const results = {
  origin: self.origin,
  cookie: await attempt(() => document.cookie),
  storage: await attempt(() => localStorage.length),
  parent: await attempt(() => window.parent.document.title),
  api: await attempt(() => fetch("/api/v1/projects", { credentials: "include" }).then((r) => r.status)),
  page: await attempt(() => fetch("/projects", { credentials: "include" }).then((r) => r.status)),
  otherBare: await attempt(() => fetch("/preview/" + other + "/secret.html").then((r) => r.status)),
  otherWithOurs: await attempt(() => fetch("/preview/" + other + "/" + token + "/secret.html").then((r) => r.status)),
};
console.log(greeting);
console.log("probe " + JSON.stringify(results));
console.error("something went wrong on purpose");
`;

describe.skipIf(Boolean(unavailable))("the web preview, in a real browser", () => {
  let t: TestApp;
  let server: ReturnType<typeof listen>;
  let browser: Browser;
  let user: Awaited<ReturnType<typeof registerUser>>;
  let client: ReturnType<typeof api>;

  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT_EDITOR: "100000/15m", RATE_LIMIT_API: "100000/15m" });
    server = listen(t);
    browser = await launchBrowser();
    user = await registerUser(t);
    client = api(t, user.auth);
    console.log(`screenshots: ${screenshotDir()}`);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await t?.close();
  });

  const put = async (projectId: string, path: string, content: string) =>
    expect((await client.put(`/api/v1/projects/${projectId}/files/${path}`, { content })).status).toBe(200);

  async function webProject(files: Record<string, string>) {
    const project = await client.project({
      name: `Site ${crypto.randomUUID().slice(0, 4)}`,
      language: "html",
    });
    for (const [path, content] of Object.entries(files)) await put(project.id, path, content);
    return project;
  }

  async function openIde(projectId: string, colorScheme: "light" | "dark" = "light") {
    const context: BrowserContext = await browser.newContext({
      viewport: { width: 1280, height: 760 },
      colorScheme,
    });
    const tab = await context.newPage();
    const problems: string[] = [];
    tab.on("pageerror", (e) => problems.push(e.message));
    await signIn(tab, server.url, user);
    // A cookie the IDE's own scripts could read: the preview must not.
    await context.addCookies([{ name: "ide_visible", value: "secret", url: server.url }]);
    await tab.goto(`${server.url}/projects/${projectId}?file=index.html`);
    await tab.waitForSelector("[data-editor][data-editor-ready=true] .cm-editor");
    return { context, tab, problems };
  }

  // Leave the page first, so its event stream ends before the browser context does.
  const closeIde = async (context: BrowserContext, tab: Page) => {
    await tab.goto("about:blank");
    await context.close();
  };
  const log = (tab: Page) => tab.locator("[data-run-log]");
  const waitForLog = (tab: Page, text: string, times = 1) =>
    tab.waitForFunction(
      ([wanted, n]) => (document.querySelector("[data-run-log]")?.textContent ?? "").split(wanted).length > n,
      [text, times] as const,
      { timeout: 20_000 },
    );

  test("an HTML project offers Preview instead of Run; the page shows with its CSS, image, module scripts and links", async () => {
    const project = await webProject({
      "index.html": page("Hello, preview"),
      "style.css": "h1 { color: rgb(102, 51, 153); }\n",
      "img/logo.svg":
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="5" fill="teal"/></svg>',
      // The page reports what it sees through the console, which the editor shows: no reaching
      // into the sandboxed frame from the test.
      "app.js": `import { greeting } from "./lib/greet.js";
const logo = document.getElementById("logo");
await logo.decode();
const h1 = document.querySelector("h1");
console.log(\`index h1=\${h1.textContent} color=\${getComputedStyle(h1).color} logo=\${logo.naturalWidth} \${greeting}\`);
document.querySelector("a").click();
`,
      "lib/greet.js": 'export const greeting = "hello from a module";\n',
      "about.html":
        '<!doctype html><link rel=stylesheet href=style.css><h1>About</h1><script>console.log("about color=" + getComputedStyle(document.querySelector("h1")).color)</script>',
    });
    for (const scheme of ["light", "dark"] as const) {
      const { context, tab, problems } = await openIde(project.id, scheme);
      expect(await tab.locator("[data-run]").count()).toBe(0);
      await tab.click("[data-preview-open]");
      await waitForLog(tab, "about color=");
      const text = (await log(tab).textContent()) ?? "";
      // The image loaded (an SVG without a size is 150 px wide), the module ran with its import.
      expect(text).toContain("index h1=Hello, preview color=rgb(102, 51, 153) logo=150 hello from a module");
      // The relative link, followed inside the preview, keeps the token and the stylesheet.
      expect(text).toContain("about color=rgb(102, 51, 153)");
      expect(await tab.locator("#output").isVisible()).toBe(true);
      await tab.screenshot({ path: join(screenshotDir(), `preview-${scheme}.png`) });
      expect(problems).toEqual([]);
      await closeIde(context, tab);
    }
  }, 90_000);

  test("script in a previewed page cannot read the IDE's cookies, call the API as the user, or read another project", async () => {
    const other = await webProject({ "secret.html": "<p>the other project's secret</p>" });
    const project = await webProject({
      "index.html": page("Probe").replace("<body>", `<body data-other="${other.id}">`),
      "style.css": "",
      "app.js": PROBE,
      "lib/greet.js": 'export const greeting = "probe loaded";\n',
    });
    const { context, tab } = await openIde(project.id, "dark");
    expect(await tab.evaluate(() => document.cookie)).toContain("ide_visible=secret");
    await tab.click("[data-preview-open]");
    await tab.waitForFunction(() =>
      document.querySelector("[data-run-log]")?.textContent?.includes("probe {"),
    );
    const text = (await log(tab).textContent()) ?? "";
    const results = JSON.parse(/probe (\{.*\})/.exec(text)?.[1] ?? "{}") as Record<string, string>;
    expect(results.origin).toBe("null");
    expect(results.cookie).toStartWith("blocked:");
    expect(results.storage).toStartWith("blocked:");
    expect(results.parent).toStartWith("blocked:");
    // Refused either way: the API reads no cookie (401), and without CORS headers the read is blocked.
    expect(results.api).toMatch(/^(401|blocked:TypeError)$/);
    // The IDE's pages send no CORS headers: a cross-origin read fails whatever the cookies.
    expect(results.page).toStartWith("blocked:");
    expect(results.otherBare).toBe("401");
    expect(results.otherWithOurs).toBe("404");
    // console.error is set apart as stderr.
    expect(await tab.locator('[data-run-log] [data-stream="stderr"]').textContent()).toContain(
      "something went wrong on purpose",
    );
    await tab.screenshot({ path: join(screenshotDir(), "preview-console-dark.png") });
    await closeIde(context, tab);
  }, 60_000);

  test("the preview reloads after an edit in the editor and after a collaborator's save, and follows the open page", async () => {
    const version = (heading: string) =>
      `<!doctype html><h1>${heading}</h1><script>console.log("showing ${heading}")</script>`;
    const project = await webProject({ "index.html": version("First"), "about.html": version("About") });
    const { context, tab, problems } = await openIde(project.id);
    await tab.click("[data-preview-open]");
    await waitForLog(tab, "showing First");
    // Someone else saves through the API: pushed, no polling, no click.
    await put(project.id, "index.html", version("Second"));
    await waitForLog(tab, "showing Second");
    // Typing in the open file: the live document writes the file, and the preview follows.
    await tab.locator(".cm-content").click();
    await tab.keyboard.press("Control+A");
    await tab.keyboard.press("Delete");
    await tab.keyboard.insertText(version("Typed"));
    await waitForLog(tab, "showing Typed");
    // Opening another HTML page in the editor shows that page.
    await tab.click('[data-path="about.html"] a[data-open]');
    await waitForLog(tab, "showing About");
    expect(await tab.locator("[data-preview-title]").textContent()).toBe("about.html");
    await tab.screenshot({ path: join(screenshotDir(), "preview-reloaded-light.png") });
    expect(problems).toEqual([]);
    await closeIde(context, tab);
  }, 60_000);

  test("a message that does not come from the preview frame is not written to the Output panel; Ctrl-Enter reloads the preview, and nothing else does", async () => {
    const project = await webProject({
      "index.html": '<!doctype html><h1>Quiet</h1><script>console.log("loaded")</script>',
    });
    const { context, tab } = await openIde(project.id);
    await tab.click("[data-preview-open]");
    await waitForLog(tab, "loaded");
    await tab.evaluate(() =>
      window.postMessage({ aura: "preview-console", level: "log", text: "forged by the page itself" }, "*"),
    );
    // Then the frame logs again: once that is shown, the forged message (sent first) was handled.
    await tab.click("[data-preview-reload]");
    await waitForLog(tab, "loaded", 2);
    expect((await log(tab).textContent()) ?? "").not.toContain("forged");
    // Ctrl-Enter, the editor's Run, loads the previewed page again.
    await tab.locator(".cm-content").click();
    await tab.keyboard.press("Control+Enter");
    await waitForLog(tab, "loaded", 3);
    // Nothing else reloads it: not the event stream, which outlives the server's idle timeout
    // (10 s) without reconnecting. A reload would lose what the page was doing.
    await Bun.sleep(12_000);
    expect(((await log(tab).textContent()) ?? "").split("loaded").length - 1).toBe(3);
    await closeIde(context, tab);
  }, 60_000);
});
