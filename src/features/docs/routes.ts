import { type AnyElysia, Elysia } from "elysia";
import { ApiDocsPage } from "../../../views/docs/api-docs.tsx";
import { buildOpenApi, DOCS_PATHS } from "./spec.ts";

interface Rendered {
  body: string;
  etag: string;
}

const rendered = (body: string): Rendered => ({
  body,
  etag: `"${new Bun.CryptoHasher("sha1").update(body).digest("hex").slice(0, 16)}"`,
});

function answer(request: Request, { body, etag }: Rendered, type: string): Response {
  const headers = { "content-type": type, "cache-control": "no-cache", etag };
  if (request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
  return new Response(body, { headers });
}

/**
 * The API reference: `/api/v1/openapi.json` (OpenAPI 3.1, generated from the routes' own schemas
 * and `detail`) and `/api/docs`, the same document rendered as a page that needs no script. Use
 * as `.use(apiDocs)` on the whole app, after the JSON routes: it documents the app it is used
 * in. Both are built on first request, once.
 */
export function apiDocs<const App extends AnyElysia>(app: App): App {
  let built: Promise<{ json: Rendered; page: Rendered }> | undefined;
  const docs = () =>
    (built ??= buildOpenApi(app).then((doc) => ({
      json: rendered(JSON.stringify(doc)),
      page: rendered(ApiDocsPage({ doc, jsonUrl: DOCS_PATHS.json }) as string),
    })));
  const hide = { detail: { hide: true } };
  return app.use(
    new Elysia({ name: "api-docs" })
      .get(
        DOCS_PATHS.json,
        async ({ request }) => answer(request, (await docs()).json, "application/json; charset=utf-8"),
        hide,
      )
      .get(
        DOCS_PATHS.page,
        async ({ request }) => answer(request, (await docs()).page, "text/html; charset=utf-8"),
        hide,
      ),
  ) as App;
}
