import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Validator } from "@seriousme/openapi-schema-validator";
import { Value } from "@sinclair/typebox/value";
import { ErrorBody } from "../../src/features/docs/api-schema.ts";
import type {
  OpenApiDocument,
  Operation,
  Reference,
  Response,
  Schema,
} from "../../src/features/docs/types.ts";
import { ApiDocsPage } from "../../views/docs/api-docs.tsx";
import { createTestApp, type TestApp } from "../helpers/app.ts";

const JSON_URL = "/api/v1/openapi.json";
const GUARD_MESSAGE = "Bearer access token required";
/** Served outside Elysia (src/handlers.ts), so documented by the document itself rather than by a route. */
const LIVE_DOCUMENT = "/api/v1/collab/{projectId}/{path}";
const TERMINAL_SOCKET = "/api/v1/projects/{id}/terminals/{terminalId}";

let t: TestApp;
let doc: OpenApiDocument;
beforeAll(async () => {
  t = await createTestApp();
  doc = await (await t.request(JSON_URL)).json();
}, 60_000);
afterAll(() => t.close());

interface Entry {
  method: string;
  path: string;
  operation: Operation;
}

const operations = (): Entry[] =>
  Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({ method, path, operation: operation as Operation })),
  );

/** The operations of routes the app itself serves: all but the live-document socket. */
/** The sockets: served outside the app's routes (src/handlers.ts), so documented by hand. */
const SOCKETS = [LIVE_DOCUMENT, TERMINAL_SOCKET];
const servedOperations = () => operations().filter((e) => !(SOCKETS.includes(e.path) && e.method === "get"));

/** The app's own JSON routes (not the document's route itself), named as OpenAPI names them. */
const jsonRoutes = () =>
  t.app.routes
    .filter((r) => (r.path.startsWith("/api/v1/") || r.path.startsWith("/preview/")) && r.path !== JSON_URL)
    .map((r) => ({
      route: r,
      method: r.method.toLowerCase(),
      path: r.path
        .replace(/(.)\/$/, "$1")
        .replace(/:(\w+)/g, "{$1}")
        .replace(/\/\*$/, "/{path}"),
    }));

type RouteDetail = { summary?: string; tags?: string[]; responses?: Record<string, unknown> };

const resolve = (ref: string): unknown =>
  ref
    .slice(2)
    .split("/")
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], doc);

/** A value the schema accepts, built from its types, limits and enums. */
function example(schema: Schema): unknown {
  if (schema.$ref) return example(resolve(schema.$ref) as Schema);
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  if (schema.default !== undefined) return schema.default;
  if (schema.examples?.[0] !== undefined) return schema.examples[0];
  const union = schema.anyOf ?? schema.oneOf;
  if (union?.[0]) return example(union[0]);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === "object")
    return Object.fromEntries((schema.required ?? []).map((k) => [k, example(schema.properties?.[k] ?? {})]));
  if (type === "array") return [];
  if (type === "integer" || type === "number") return schema.minimum ?? 1;
  if (type === "boolean") return true;
  return "x".repeat(Math.max(1, schema.minLength ?? 1));
}

/** A request to the operation that passes its validation, without any credentials. */
function requestFor({ method, path, operation }: Entry): [string, RequestInit] {
  const url = path.replace("{path}", "src/a.txt").replace(/\{\w+\}/g, "00000000-0000-4000-8000-000000000000");
  const query = new URLSearchParams();
  for (const p of operation.parameters ?? [])
    if (p.in === "query" && p.required) query.set(p.name, String(example(p.schema ?? {})));
  const body = operation.requestBody?.content["application/json"]?.schema;
  const init: RequestInit = { method: method.toUpperCase() };
  if (body) {
    init.body = JSON.stringify(example(body));
    init.headers = { "content-type": "application/json" };
  }
  return [query.size ? `${url}?${query}` : url, init];
}

describe("the OpenAPI document", () => {
  test("is served as JSON and is a valid OpenAPI 3.1 document", async () => {
    const res = await t.request(JSON_URL);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    const result = await new Validator().validate(doc as unknown as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  test("every /api/v1 route documents itself: a summary, a tag, a success and its errors", () => {
    const routes = jsonRoutes();
    expect(routes.length).toBeGreaterThan(20);
    for (const { route, method, path } of routes) {
      const detail = (route.hooks.detail ?? {}) as RouteDetail;
      const declared = Object.keys({
        ...(route.hooks.response as Record<string, unknown> | undefined),
        ...detail.responses,
      });
      expect({
        method,
        path,
        summary: Boolean(detail.summary),
        tagged: (detail.tags ?? []).length > 0,
        success: declared.some((status) => /^2\d\d$/.test(status)),
        errors: ["500", "503"].every((status) => declared.includes(status)),
      }).toEqual({ method, path, summary: true, tagged: true, success: true, errors: true });
    }
  });

  test("documents every JSON route of the app as the route declares it", () => {
    const tags = new Set(doc.tags.map((tag) => tag.name));
    for (const { route, method, path } of jsonRoutes()) {
      const operation = doc.paths[path]?.[method as keyof OpenApiDocument["paths"][string]];
      const detail = (route.hooks.detail ?? {}) as RouteDetail;
      const declared = Object.keys({
        ...(route.hooks.response as Record<string, unknown> | undefined),
        ...detail.responses,
      });
      expect({
        method,
        path,
        summary: operation?.summary,
        statuses: Object.keys(operation?.responses ?? {}),
      }).toEqual({ method, path, summary: detail.summary, statuses: declared.sort() });
      expect(operation!.tags.every((tag) => tags.has(tag))).toBe(true);
    }
    const ids = operations().map((e) => e.operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test("holds the JSON face (and the previews it issues tokens for) only: no HTML page, OAuth redirect or operations route", () => {
    expect(servedOperations().length).toBe(jsonRoutes().length);
    expect(Object.keys(doc.paths[LIVE_DOCUMENT] ?? {})).toEqual(["get"]);
    expect(Object.keys(doc.paths["/preview/{projectId}/{path}"] ?? {})).toEqual(["get"]);
    for (const path of Object.keys(doc.paths)) expect(path).toMatch(/^\/(api\/v1|preview)\//);
    for (const path of [
      "/projects",
      "/projects/{id}",
      "/login",
      "/api/docs",
      JSON_URL,
      "/healthz",
      "/metrics",
    ])
      expect(doc.paths[path]).toBeUndefined();
  });

  test("describes path and query parameters, request bodies and bearer security", () => {
    const list = doc.paths["/api/v1/projects"]?.get;
    const limit = list?.parameters?.find((p) => p.name === "limit");
    expect(limit).toMatchObject({ in: "query", required: false, schema: { type: "integer", maximum: 100 } });
    const save = doc.paths["/api/v1/projects/{id}/files/{path}"]?.put;
    expect(save?.parameters?.map((p) => `${p.in}:${p.name}`)).toEqual(["path:id", "path:path"]);
    expect(save?.requestBody?.content["application/json"]?.schema?.required).toEqual(["content"]);
    expect(save?.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.paths["/api/v1/auth/login"]?.post?.security).toEqual([]);
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
  });

  test("gives every error as a reusable response of the one Error schema, every reference resolving", () => {
    const referenced = new Set<string>();
    for (const { operation } of operations())
      for (const [status, response] of Object.entries(operation.responses)) {
        if (/^[123]\d\d$/.test(status)) continue;
        expect(response).toHaveProperty("$ref");
        const ref = (response as Reference).$ref;
        referenced.add(ref);
        const shared = resolve(ref) as Response;
        expect(shared.content?.["application/json"]?.schema).toEqual({ $ref: "#/components/schemas/Error" });
      }
    for (const name of [
      "BadRequest",
      "Unauthorized",
      "Forbidden",
      "NotFound",
      "Conflict",
      "PayloadTooLarge",
      "UpgradeRequired",
      "TooManyRequests",
      "InternalError",
      "BadGateway",
      "ServiceUnavailable",
    ])
      expect(referenced).toContain(`#/components/responses/${name}`);
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    for (const ref of new Set(refs))
      expect({ ref, resolved: resolve(JSON.parse(`{${ref}}`).$ref) !== undefined }).toEqual({
        ref,
        resolved: true,
      });
    const limited = doc.components.responses.TooManyRequests;
    expect(limited?.headers?.["Retry-After"]).toEqual({ $ref: "#/components/headers/Retry-After" });
    expect(doc.components.headers["Retry-After"]?.required).toBe(true);
  });

  test("describes the error bodies the app really sends", async () => {
    const error = doc.components.schemas.Error!;
    expect(error.required).toEqual(["error"]);
    expect(error.properties?.error?.required).toEqual(["code", "message"]);
    const unauthorized = await (await t.request("/api/v1/auth/me")).json();
    expect(unauthorized.error).toMatchObject({ code: "unauthorized", message: GUARD_MESSAGE });
    expect(Value.Check(ErrorBody, unauthorized)).toBe(true);
    const invalid = await t.request("/api/v1/auth/register", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "a@b.co", password: "long enough!", firstName: "", lastName: "L" }),
    });
    expect(invalid.status).toBe(400);
    const body = await invalid.json();
    expect(Value.Check(ErrorBody, body)).toBe(true);
    expect(body.error).toMatchObject({
      code: "invalid_request",
      message: expect.stringContaining("firstName"),
    });
  });

  test("documents the live-document WebSocket, which the app serves outside its routes", () => {
    const socket = doc.paths[LIVE_DOCUMENT]?.get;
    expect(socket?.summary).toContain("WebSocket");
    expect(socket?.description).toContain("y-websocket");
    expect(Object.keys(socket?.responses ?? {})).toEqual(["101", "401", "403", "404", "426", "503"]);
    expect(socket?.parameters?.map((p) => `${p.in}:${p.name}`)).toEqual([
      "path:projectId",
      "path:path",
      "query:token",
    ]);
    expect(socket?.security).toEqual([{ accessTokenQuery: [] }, { sessionCookie: [] }]);
  });

  test("documents the terminal WebSocket, also served outside the routes, beside the terminal's DELETE", () => {
    const socket = doc.paths[TERMINAL_SOCKET]?.get;
    expect(socket?.summary).toContain("WebSocket");
    expect(socket?.description).toContain('{"type":"resize","cols":N,"rows":N}');
    expect(socket?.description).toContain("64 KiB");
    expect(Object.keys(socket?.responses ?? {})).toEqual(["101", "401", "403", "404", "426"]);
    expect(socket?.security).toEqual([{ accessTokenQuery: [] }, { sessionCookie: [] }]);
    expect(doc.paths[TERMINAL_SOCKET]?.delete?.operationId).toBe("closeTerminal");
  });

  test("documents the streams: the JSON answer and the events of chat and runs", () => {
    for (const [path, schema] of [
      ["/api/v1/ai/chat", "ChatAnswer"],
      ["/api/v1/sandbox/execute", "RunResult"],
    ] as const) {
      const ok = doc.paths[path]?.post?.responses["200"] as Response;
      expect(ok.content?.["application/json"]?.schema).toEqual({ $ref: `#/components/schemas/${schema}` });
      expect(ok.content?.["text/event-stream"]?.schema?.description).toContain("Server-sent events");
    }
  });

  test("marks exactly the operations the app guards as needing a bearer token", async () => {
    for (const entry of servedOperations()) {
      const res = await t.request(...requestFor(entry));
      const body = res.headers.get("content-type")?.includes("json") ? await res.json() : {};
      const guarded = res.status === 401 && body.error?.message === GUARD_MESSAGE;
      const { method, path } = entry;
      expect({ method, path, guarded }).toEqual({
        method,
        path,
        guarded: entry.operation.security.length > 0,
      });
    }
  });

  test("is built once: the same bytes and ETag every time, and 304 to a matching If-None-Match", async () => {
    const first = await t.request(JSON_URL);
    const second = await t.request(JSON_URL);
    expect(await second.text()).toBe(await first.text());
    const etag = first.headers.get("etag")!;
    expect(second.headers.get("etag")).toBe(etag);
    expect((await t.request(JSON_URL, { headers: { "if-none-match": etag } })).status).toBe(304);
  });
});

describe("the API docs page", () => {
  test("renders every operation from the same document, linking to the JSON", async () => {
    const res = await t.request("/api/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(res.headers.get("content-security-policy")).toContain("script-src 'self'");
    const html = await res.text();
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain(`href="${JSON_URL}"`);
    for (const { path, operation } of operations()) {
      expect(html).toContain(path);
      expect(html).toContain(`id="${operation.operationId}"`);
    }
    expect(html).toContain("Authorization: Bearer &lt;access token&gt;");
    expect(html).not.toContain("<access token>");
    expect(html).not.toMatch(/<script(?![^>]*src="\/assets\/)/);
  });

  test("escapes everything it takes from the document", () => {
    const hostile = "<script>alert(1)</script>";
    const evil: OpenApiDocument = {
      ...doc,
      info: { ...doc.info, title: hostile, description: `\`${hostile}\` and ${hostile}` },
      tags: [{ name: hostile, description: hostile }],
      paths: {
        [`/api/v1/${hostile}`]: {
          get: {
            operationId: `x"><img src=x onerror=alert(1)>`,
            tags: [hostile],
            summary: hostile,
            description: hostile,
            security: [],
            parameters: [
              {
                name: hostile,
                in: "query",
                description: hostile,
                schema: { type: "string", pattern: hostile },
              },
            ],
            responses: {
              "200": {
                description: hostile,
                content: {
                  "application/json": {
                    schema: { type: "object", properties: { [hostile]: { description: hostile } } },
                  },
                },
              },
            },
          },
        },
      },
    };
    const html = ApiDocsPage({ doc: evil, jsonUrl: JSON_URL }) as string;
    expect(html).not.toContain(hostile);
    expect(html).not.toContain('x"><img');
    expect(html).toContain('id="x&#34;><img');
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });
});
