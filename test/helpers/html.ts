import type { TestApp } from "./app.ts";

/** Cookies a browser would hold: name → value, updated from each response's Set-Cookie. */
export class CookieJar {
  readonly values = new Map<string, string>();

  update(res: Response): this {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = decodeURIComponent(pair!.slice(eq + 1).trim());
      const expired = /max-age=0\b/i.test(line) || value === "";
      if (expired) this.values.delete(name);
      else this.values.set(name, value);
    }
    return this;
  }

  header(): string {
    return [...this.values].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("; ");
  }
}

/** The value of the hidden `_csrf` field in a page, if it has one. */
export function csrfFieldOf(html: string): string | undefined {
  return /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
}

/** A browser-like session against the app: keeps cookies, sends Origin, reads CSRF tokens off pages. */
export function browserSession(
  t: TestApp,
  {
    origin = "http://localhost",
    userAgent = "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 Safari/537.36",
  } = {},
) {
  const jar = new CookieJar();
  let token: string | undefined;
  const session = {
    jar,
    get token() {
      return token;
    },
    async get(path: string, headers: Record<string, string> = {}) {
      const res = await t.request(path, {
        headers: { cookie: jar.header(), "user-agent": userAgent, ...headers },
      });
      jar.update(res);
      const html = await res.text();
      token = csrfFieldOf(html) ?? token;
      return { res, html };
    },
    /** POST a urlencoded form with the current CSRF token (unless `_csrf` is given). */
    async post(path: string, fields: Record<string, string> = {}, headers: Record<string, string> = {}) {
      if (!token) await session.get("/login");
      const body = new URLSearchParams({ _csrf: token ?? "", ...fields });
      const res = await t.request(path, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          origin,
          cookie: jar.header(),
          "user-agent": userAgent,
          ...headers,
        },
        body,
      });
      jar.update(res);
      const html = await res.text();
      token = csrfFieldOf(html) ?? token;
      return { res, html };
    },
  };
  return session;
}

/** Register through the HTML form and return the signed-in browser session. */
export async function registerThroughForm(
  t: TestApp,
  fields: Record<string, string>,
  options?: Parameters<typeof browserSession>[1],
) {
  const browser = browserSession(t, options);
  await browser.get("/register");
  const { res } = await browser.post("/register", fields);
  if (res.status !== 303) throw new Error(`register form answered ${res.status}`);
  return browser;
}

/** Elements an injection would have created: inline scripts and any on* handler attribute. Parsed, not grepped. */
export async function injectedElements(html: string): Promise<string[]> {
  const found: string[] = [];
  await new HTMLRewriter()
    .on("*", {
      element(el) {
        if (el.tagName === "script" && !el.hasAttribute("src")) found.push("inline <script>");
        for (const [name] of el.attributes) if (name.startsWith("on")) found.push(`${el.tagName}[${name}]`);
      },
    })
    .transform(new Response(html))
    .text();
  return found;
}
