import { Elysia } from "elysia";
import { LandingPage } from "../../../views/pages/landing.tsx";
import type { Deps } from "../../deps.ts";
import { currentViewer } from "../auth/session-guard.ts";

const HTML = { "content-type": "text/html; charset=utf-8" };

/** Public pages that need no account; signed-in visitors of `/` go to their projects. */
export function pageRoutes(deps: Deps) {
  return new Elysia({ name: "pages" }).get("/", async ({ request, cookie, redirect }) => {
    if (await currentViewer(deps, request, cookie)) return redirect("/projects", 303);
    return new Response(LandingPage() as string, { headers: HTML });
  });
}
