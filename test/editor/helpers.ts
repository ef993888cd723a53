import type { TestApp } from "../helpers/app.ts";
import { registerUser } from "../helpers/auth.ts";
import { browserSession } from "../helpers/html.ts";
import { api } from "../helpers/projects.ts";

/** A user signed in through the login form, with a project of their own (JavaScript template). */
export async function signedInWithProject(t: TestApp) {
  const user = await registerUser(t);
  const browser = browserSession(t);
  await browser.get("/login");
  const { res } = await browser.post("/login", { email: user.email, password: user.password });
  if (res.status !== 303) throw new Error(`login form answered ${res.status}`);
  const client = api(t, user.auth);
  const project = await client.project({ name: "Demo" });
  await browser.get(`/projects/${project.id}`); // picks up the CSRF token of the page
  const headers = (extra: Record<string, string> = {}) => ({
    cookie: browser.jar.header(),
    origin: "http://localhost",
    "x-csrf-token": browser.token ?? "",
    ...extra,
  });
  return {
    user,
    browser,
    client,
    project,
    /** A fragment request as htmx sends it. */
    hx: (path: string) => t.request(path, { headers: headers({ "hx-request": "true" }) }),
    /** A form post as htmx sends it (CSRF header, urlencoded body). */
    form: (path: string, fields: Record<string, string>, extra: Record<string, string> = {}) =>
      t.request(path, {
        method: "POST",
        headers: headers({
          "hx-request": "true",
          "content-type": "application/x-www-form-urlencoded",
          ...extra,
        }),
        body: new URLSearchParams(fields),
      }),
    /** A save as the editor island sends it. */
    put: (path: string, body: unknown, extra: Record<string, string> = {}) =>
      t.request(`/projects/${project.id}/files/${path}`, {
        method: "PUT",
        headers: headers({ "content-type": "application/json", accept: "application/json", ...extra }),
        body: JSON.stringify(body),
      }),
  };
}
