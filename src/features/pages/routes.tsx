import { Elysia } from "elysia";
import { LandingPage } from "../../../views/pages/landing.tsx";

const HTML = { "content-type": "text/html; charset=utf-8" };

/** Public pages that need no account. */
export function pageRoutes() {
  return new Elysia({ name: "pages" }).get(
    "/",
    () => new Response(LandingPage() as string, { headers: HTML }),
  );
}
