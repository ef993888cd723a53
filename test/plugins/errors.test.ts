import { describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DrizzleQueryError } from "drizzle-orm/errors";
import { Elysia, t } from "elysia";
import { loadConfig } from "../../src/config.ts";
import { ConflictError, NotFoundError, RateLimitError, UnavailableError } from "../../src/errors.ts";
import { errorPlugin } from "../../src/plugins/errors.tsx";
import { routeTracker, transport } from "../../src/plugins/transport.ts";
import { nameValidationFields } from "../../src/plugins/validation-fields.ts";
import { captureLogger } from "../helpers/logs.ts";

// One schema shared by two routes, as the dashboard and the JSON list share theirs.
const Paging = t.Object({
  page: t.Optional(t.Integer({ minimum: 1, maximum: 1_000_000 })),
  limit: t.Optional(t.Integer({ minimum: 1, maximum: 100 })),
});

/** The error plugin as the app configures it for these variables (NODE_ENV, AURA_DEBUG). */
function appWith(env: Record<string, string>) {
  const config = loadConfig({
    DATA_DIR: mkdtempSync(join(tmpdir(), "aura-errors-")),
    JWT_SECRET: "s".repeat(40),
    ...env,
  });
  const log = captureLogger();
  const app = new Elysia()
    .wrap(transport(log.logger))
    .use(errorPlugin({ logger: log.logger, debug: config.debugErrors }))
    .use(routeTracker())
    .post("/api/v1/things", ({ body }) => body, { body: t.Object({ email: t.String({ format: "email" }) }) })
    .get("/api/v1/pages", ({ query }) => query, { query: Paging })
    .get("/api/v1/other-pages", ({ query }) => query, { query: Paging })
    .put("/api/v1/saves", ({ body }) => body, {
      body: t.Object({
        version: t.Integer({ minimum: 0 }),
        nested: t.Optional(t.Object({ line: t.Integer({ minimum: 1 }) })),
        language: t.Optional(t.Union([t.Literal("python"), t.Literal("css")])),
      }),
    })
    .get("/api/v1/missing", () => {
      throw new NotFoundError("Project");
    })
    .get("/api/v1/stale", () => {
      throw new ConflictError("File changed since you opened it", { current: { version: 3, content: "x" } });
    })
    .get("/api/v1/limited", () => {
      throw new RateLimitError(12.2);
    })
    .get("/api/v1/down", () => {
      throw new UnavailableError("The sandbox could not write a.py into the run's directory (ENOSPC)");
    })
    .get("/api/v1/boom", () => {
      throw new Error("database password is hunter2");
    })
    .get("/api/v1/query", () => {
      // What drizzle throws when a statement fails: its message repeats the SQL.
      throw new DrizzleQueryError(
        "select password_hash from users where email = $1",
        ["ada@example.com"],
        new Error('relation "users" does not exist'),
      );
    })
    .get("/page/boom", () => {
      throw new Error("<script>alert(1)</script>");
    });
  nameValidationFields(app);
  return { app, log };
}

const appFor = (production: boolean) => appWith({ NODE_ENV: production ? "production" : "development" });

const get = (
  app: { handle(r: Request): Promise<Response> },
  path: string,
  headers: Record<string, string> = {},
) => app.handle(new Request(`http://localhost${path}`, { headers }));

describe("error plugin", () => {
  test("a validation failure is a 400 whose message names the field", async () => {
    const { app } = appFor(true);
    const res = await app.handle(
      new Request("http://localhost/api/v1/things", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: 42 }),
      }),
    );
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe("invalid_request");
    expect(body.error.message).toContain("body.email");
  });

  test("a coerced number out of bounds names its field, in the query, a nested body field or a second route", async () => {
    const { app } = appFor(true);
    const message = async (res: Promise<Response>) => {
      const answer = await res;
      expect(answer.status).toBe(400);
      return ((await answer.json()) as { error: { message: string } }).error.message;
    };
    expect(await message(get(app, "/api/v1/pages?page=0"))).toBe(
      "query.page: Expected integer to be greater or equal to 1",
    );
    expect(await message(get(app, "/api/v1/pages?page=1e308"))).toBe(
      "query.page: Expected integer to be less or equal to 1000000",
    );
    // Both hold 200; only limit is out of bounds.
    expect(await message(get(app, "/api/v1/other-pages?page=200&limit=200"))).toBe(
      "query.limit: Expected integer to be less or equal to 100",
    );
    expect(await message(get(app, "/api/v1/pages?page=abc"))).toBe("query.page: Expected an integer");
    const put = (body: unknown) =>
      app.handle(
        new Request("http://localhost/api/v1/saves", {
          method: "PUT",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        }),
      );
    expect(await message(put({ version: "-1" }))).toBe(
      "body.version: Expected integer to be greater or equal to 0",
    );
    expect(await message(put({ version: -1 }))).toBe(
      "body.version: Expected integer to be greater or equal to 0",
    );
    expect(await message(put({ version: 1.5 }))).toBe("body.version: Expected integer");
    expect(await message(put({ version: "x" }))).toBe("body.version: Expected an integer");
    expect(await message(put({ version: 1, nested: { line: "0" } }))).toBe(
      "body.nested.line: Expected integer to be greater or equal to 1",
    );
    expect(await message(put({ version: 1, language: "cobol" }))).toBe(
      "body.language: Expected one of python, css",
    );
  });

  test("service errors keep their status, code and extra fields", async () => {
    const { app } = appFor(true);
    const missing = await get(app, "/api/v1/missing");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { code: "not_found", message: "Project not found" } });

    const stale = await get(app, "/api/v1/stale");
    expect(stale.status).toBe(409);
    expect((await stale.json()).current).toEqual({ version: 3, content: "x" });

    const limited = await get(app, "/api/v1/limited");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("13");
  });

  test("an unexpected error is a 500 with an errorId that is logged with the stack, and no stack in production", async () => {
    const { app, log } = appFor(true);
    const res = await get(app, "/api/v1/boom");
    expect(res.status).toBe(500);
    const body = await res.json();
    expect(body.error.message).toBe("Internal server error");
    expect(body.error.errorId).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(body)).not.toContain("hunter2");
    expect(body.stack).toBeUndefined();
    const logged = log.lines.find((l) => l.errorId === body.error.errorId && l.err);
    expect(logged).toBeDefined();
    expect((logged!.err as { stack: string }).stack).toContain("hunter2");
    const access = log.lines.find((l) => l.msg === "request" && l.status === 500);
    expect(access).toMatchObject({ method: "GET", route: "/api/v1/boom", errorId: body.error.errorId });
  });

  test("a 500 in default development mode has an errorId and neither the stack nor the SQL, which are logged", async () => {
    const { app, log } = appWith({ NODE_ENV: "development" });
    const res = await get(app, "/api/v1/query");
    expect(res.status).toBe(500);
    const body = await res.json();
    expect(body).toEqual({
      error: { code: "internal_error", message: "Internal server error", errorId: expect.any(String) },
    });
    const text = JSON.stringify(body);
    for (const leak of ["password_hash", "select", "Failed query", "ada@example.com", "at "])
      expect(text).not.toContain(leak);
    const logged = log.lines.find((l) => l.errorId === body.error.errorId && l.err);
    expect((logged!.err as { stack: string }).stack).toContain("password_hash");
  });

  test("AURA_DEBUG=1 adds the stack of an unexpected 500 for the developer who asked for it, not of a deliberate one", async () => {
    const { app } = appWith({ NODE_ENV: "development", AURA_DEBUG: "1" });
    const body = await (await get(app, "/api/v1/query")).json();
    expect(body.error.errorId).toBeString();
    expect(body.stack).toContain("Failed query");
    // A deliberate 5xx says what it means in its message; no stack, so no server paths.
    const down = await (await get(app, "/api/v1/down")).json();
    expect(down.error.code).toBe("unavailable");
    expect(down.stack).toBeUndefined();
  });

  test("unknown API routes answer JSON 404", async () => {
    const { app } = appFor(true);
    const res = await get(app, "/api/v1/nothing-here");
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe("not_found");
  });

  test("HTMX requests get an escaped fragment, browsers a full page", async () => {
    const { app } = appFor(true);
    const fragment = await get(app, "/nothing", { "hx-request": "true" });
    expect(fragment.status).toBe(404);
    expect(fragment.headers.get("content-type")).toContain("text/html");
    const html = await fragment.text();
    expect(html.startsWith('<div role="alert"')).toBe(true);

    const page = await get(app, "/nothing", { accept: "text/html" });
    const full = await page.text();
    expect(full.startsWith("<!doctype html>")).toBe(true);
    expect(full).toContain("Page not found");

    const boom = await (await get(app, "/page/boom", { accept: "text/html" })).text();
    expect(boom).not.toContain("<script>alert(1)");
  });
});
