import type { AnyElysia } from "elysia";
import pkg from "../../../package.json" with { type: "json" };
import { FILE_PATH_RULES } from "./api-schema.ts";
import { errorComponents, errorResponseRef, RATE_HEADERS } from "./errors.ts";
import {
  METHODS,
  type Method,
  type OpenApiDocument,
  type Operation,
  type Parameter,
  type Response,
  type Schema,
} from "./types.ts";

const VERSION = "3.1.0";
/** The routes of the document itself; never part of it. */
export const DOCS_PATHS = { json: "/api/v1/openapi.json", page: "/api/docs" } as const;
/**
 * Everything but the JSON face (`/api/v1/…`) and the previews it issues tokens for: pages, forms,
 * OAuth redirects, health, assets.
 */
const NOT_JSON_FACE = /^(?!\/api\/v1\/|\/preview\/)/;

/** The groups of the reference, in the order the page shows them. */
const TAGS = [
  { name: "Auth", description: "Accounts, tokens and sessions." },
  { name: "Projects", description: "The projects the caller owns or is a member of." },
  { name: "Members", description: "Who may use a project, and how: owner, editor or viewer." },
  { name: "Files", description: "Reading and saving a project's files." },
  { name: "Git", description: "A project imported from a git remote: status, commit, push and pull." },
  { name: "Live documents", description: "Editing a file together, live, over a WebSocket." },
  { name: "Code search", description: "Search over a project's indexed code." },
  { name: "AI", description: "Completion, chat and analysis, grounded in the project's code." },
  { name: "Sandbox", description: "Running code in an isolated sandbox." },
  { name: "Terminal", description: "A shell in the sandbox with the project's files, over a WebSocket." },
  { name: "Preview", description: "A web project's files as a sandboxed static site, by preview token." },
];

const DESCRIPTION =
  "The JSON face of Aura: the same services as the web pages, for scripts, the CLI and tests. " +
  "Send `Authorization: Bearer <access token>` (from register, login or refresh) on every route marked " +
  'as needing a token. Every error body is `{"error": {"code", "message", "errorId"?}}`; `errorId` ' +
  "comes with 5xx answers and is logged with the failure. Authenticated calls count against a per-user " +
  "allowance (`RATE_LIMIT_API`, or `RATE_LIMIT_EDITOR` for editor traffic) and carry `RateLimit-*` " +
  "headers; every 429 carries `Retry-After`. What this document cannot say (error codes, file paths, " +
  "paging, the events of the streams, the WebSocket protocol) is in docs/api.md.";

/**
 * `GET /api/v1/collab/{projectId}/{path}`: served outside Elysia (src/handlers.ts upgrades it
 * before the app sees the request), so no route documents it.
 */
const LIVE_DOCUMENT: Operation = {
  operationId: "openLiveDocument",
  tags: ["Live documents"],
  summary: "Edit a file live (WebSocket)",
  description:
    "A WebSocket speaking the y-websocket protocol (message type 0: y-protocols sync step 1, step 2 and " +
    "updates; 1: awareness; 3: awareness query) over the file's shared Yjs document, whose text is " +
    '`doc.getText("content")`; an unmodified `y-websocket` client works. Authenticated by the session ' +
    "cookie (a page of another site is refused with 403) or by `?token=<access token>`. The upgrade is " +
    "refused before any document is loaded; once open, viewers receive every edit but their updates are " +
    "dropped. Close codes: 1003 a text frame or an undecodable message, 1009 a message over 2 MiB, 4401 " +
    "session ended, 4403 access changed, 4404 the file was deleted or renamed, 4413 the document would " +
    "exceed 1 MiB, 1001 the server is restarting, 1011 the server could not keep up. See docs/api.md " +
    "and docs/live-documents.md.",
  security: [{ accessTokenQuery: [] }, { sessionCookie: [] }],
  parameters: [
    {
      name: "projectId",
      in: "path",
      required: true,
      description: "The project's id.",
      schema: { type: "string" },
    },
    {
      name: "path",
      in: "path",
      required: true,
      description: `${FILE_PATH_RULES} Anything else is a 404.`,
      schema: { type: "string", minLength: 1 },
    },
    {
      name: "token",
      in: "query",
      required: false,
      description: "An access token, for clients without the session cookie.",
      schema: { type: "string" },
    },
  ],
  responses: {
    "101": {
      description:
        "Switching Protocols: the socket is open and speaks y-websocket. The server starts with sync step 1; " +
        "after each stored batch of the client's updates it sends a sync step 1 carrying its state vector " +
        "(a receipt: what it has is stored).",
    },
    "401": errorResponseRef("401")!,
    "403": errorResponseRef("403")!,
    "404": errorResponseRef("404")!,
    "426": errorResponseRef("426")!,
    "503": errorResponseRef("503")!,
  },
};

/** `GET /api/v1/projects/{id}/terminals/{terminalId}`: upgraded outside Elysia too (src/handlers.ts). */
const TERMINAL_SOCKET: Operation = {
  operationId: "attachTerminal",
  tags: ["Terminal"],
  summary: "Attach to a terminal (WebSocket)",
  description:
    "A WebSocket (auth by the session cookie — a page of another site is refused with 403 — or " +
    "`?token=<access token>`; the terminal's creator only, and only while an editor or the owner). " +
    "Terminal data goes both ways as binary frames (a text frame is typed text too). A text frame holding " +
    'a JSON object with a `type` is a control frame: `{"type":"resize","cols":N,"rows":N}`; any other ' +
    "`type` closes with 4400, a frame over 1 MiB with 4413. On every attach the server first sends the " +
    "retained output (the last 64 KiB, in order, once), then everything new. When the terminal ends it " +
    'sends `{"type":"exit","exitCode":N|null,"error"?:"memory"|"processes"|"idle"|"closed"}` as a text ' +
    "frame and closes with 1000; a socket that stops reading is closed with 4429. A terminal lives on the " +
    "instance that started it: route its requests there (sticky). See docs/api.md.",
  security: [{ accessTokenQuery: [] }, { sessionCookie: [] }],
  parameters: [
    { name: "id", in: "path", required: true, description: "The project's id.", schema: { type: "string" } },
    {
      name: "terminalId",
      in: "path",
      required: true,
      description: "The terminal's id, as its creation answered.",
      schema: { type: "string" },
    },
    {
      name: "token",
      in: "query",
      required: false,
      description: "An access token, for clients without the session cookie.",
      schema: { type: "string" },
    },
  ],
  responses: {
    "101": { description: "Switching Protocols: the retained output follows, then the terminal live." },
    "401": errorResponseRef("401")!,
    "403": errorResponseRef("403")!,
    "404": errorResponseRef("404")!,
    "426": errorResponseRef("426")!,
  },
};

/** Plain JSON: drops TypeBox's symbol keys and shares nothing with the live route schemas. */
const plainJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

// Elysia's coercing types (`t.Integer`, `t.Numeric`, `t.Date`, …) accept a string form too.
const COERCED_FORMATS = new Set(["integer", "numeric", "boolean", "ObjectString", "ArrayString"]);

/**
 * A schema as a client sees it: Elysia's coercing types widen `integer` to `integer | string
 * (format: integer)` so that query strings validate, and `t.Date` accepts a date, a date-time or
 * a number; what a client sends in JSON, and every date the API answers, is the plain type.
 */
function uncoerce(schema: Schema): Schema {
  // `$id` names a model inside the generator; `nullable` is OpenAPI 3.0's, which t.Nullable also writes.
  const {
    anyOf,
    $id: _id,
    nullable: _nullable,
    ...rest
  } = schema as Schema & { $id?: string; nullable?: boolean };
  if (anyOf) {
    // `t.Date`: a Date, a date-time, a date or a number going in; always a date-time coming out.
    if (anyOf.some((s) => s.type === "string" && s.format === "date-time"))
      return { ...rest, type: "string", format: "date-time" };
    const kept = anyOf
      .filter((s) => !(s.type === "string" && s.format && COERCED_FORMATS.has(s.format)))
      .map(uncoerce);
    if (kept.length === 1) return uncoerce({ ...rest, ...kept[0] });
    // `T | null` of a plain type: `type: [T, "null"]`, as the generator writes its own.
    const nonNull = kept.filter((s) => s.type !== "null");
    const only = nonNull[0];
    if (kept.length === 2 && nonNull.length === 1 && only && typeof only.type === "string" && !only.anyOf)
      return { ...rest, ...only, type: [only.type, "null"] };
    return { ...rest, anyOf: kept };
  }
  if (rest.properties)
    rest.properties = Object.fromEntries(Object.entries(rest.properties).map(([k, v]) => [k, uncoerce(v)]));
  if (rest.items) rest.items = uncoerce(rest.items);
  return rest;
}

/** The OpenAPI path of a generated path: `{param}`s as they are, `*` named `path`, no trailing slash. */
const openApiPath = (path: string) => path.replace(/(.)\/$/, "$1").replace(/\/\*$/, "/{path}");

/** Parameters declared in `detail` describe (or, for a `*`, add) those the generator found. */
function parametersOf(generated: Parameter[] = [], declared: Parameter[] = []): Parameter[] {
  const parameters = generated.map((p): Parameter => {
    const about = declared.find((d) => d.name === p.name && d.in === p.in);
    const { description, ...schema } = uncoerce(p.schema ?? {});
    const text = about?.description ?? description;
    return { ...p, ...(text ? { description: text } : {}), schema };
  });
  for (const d of declared)
    if (!parameters.some((p) => p.name === d.name && p.in === d.in)) parameters.push(d);
  return parameters;
}

const rateHeaders = () =>
  Object.fromEntries(Object.keys(RATE_HEADERS).map((h) => [h, { $ref: `#/components/headers/${h}` }]));

/**
 * The responses of an operation: the route's `response` schemas, as generated, with what its
 * `detail.responses` adds (a stream's media type; a generator's JSON answer), errors as the
 * reusable responses of their status, and RateLimit headers on the successes of guarded routes.
 */
function responsesOf(
  generated: Record<string, Response> = {},
  declared: Record<string, Response> = {},
  guarded: boolean,
): Operation["responses"] {
  const responses: Operation["responses"] = {};
  const statuses = [...new Set([...Object.keys(generated), ...Object.keys(declared)])].sort();
  for (const status of statuses) {
    const ref = /^[45]/.test(status) ? errorResponseRef(status) : undefined;
    if (ref) {
      responses[status] = ref;
      continue;
    }
    const made = generated[status];
    const said = declared[status];
    // A `t.Void()` has no media type: the generator writes the schema itself as `content`.
    const content = Object.fromEntries(
      Object.entries({ ...made?.content, ...said?.content })
        .filter(([type]) => type.includes("/"))
        .map(([type, media]) => [
          type,
          { ...media, ...(media.schema ? { schema: uncoerce(media.schema) } : {}) },
        ]),
    );
    responses[status] = {
      description: said?.description ?? made?.description ?? "",
      ...(guarded && status.startsWith("2") ? { headers: rateHeaders() } : {}),
      ...(Object.keys(content).length ? { content } : {}),
    };
  }
  return responses;
}

type Generated = {
  paths: Record<string, Partial<Record<Method, Operation>>>;
  components: { schemas: Record<string, Schema> };
};

/**
 * The app as the generator should see it. Every body of the JSON face is JSON, but the
 * body-limit plugin parses bodies with a function of its own, and the generator gives a body
 * parsed by a function no media type: the routes are shown to it as parsed by `json`.
 */
function jsonFaceOf(app: AnyElysia): AnyElysia {
  const routes = () =>
    app.routes.map((route) => ({ ...route, hooks: { ...route.hooks, parse: [{ fn: "json" }] } }));
  return Object.create(app, { getGlobalRoutes: { value: routes } }) as AnyElysia;
}

/**
 * Build the OpenAPI 3.1 document of the app's JSON face (`/api/v1/…`) from its routes: their
 * `detail`, `params`, `query`, `body` and `response` schemas, turned into a document by
 * `@elysiajs/openapi`'s generator, then completed where the generator stops short (see each step).
 */
export async function buildOpenApi(app: AnyElysia): Promise<OpenApiDocument> {
  // Loaded on the first request for the document: it is large and nothing else needs it.
  const { toOpenAPISchema } = await import("@elysiajs/openapi");
  const generated = plainJson(
    toOpenAPISchema(jsonFaceOf(app), { paths: [NOT_JSON_FACE] }, undefined, undefined, VERSION),
  ) as unknown as Generated;
  const paths: OpenApiDocument["paths"] = {};
  for (const route of app.routes) {
    const method = route.method.toLowerCase() as Method;
    const generatedPath = route.path.replace(/:([^/]+)/g, "{$1}");
    const operation = generated.paths[generatedPath]?.[method];
    if (!operation || !METHODS.includes(method)) continue;
    // What the generator drops from `detail` when it has its own: described parameters, streamed answers.
    const detail = plainJson(route.hooks.detail ?? {}) as Partial<Operation>;
    const { parameters, requestBody, responses, ...rest } = operation;
    const guarded = (operation.security ?? []).length > 0;
    const inputs = parametersOf(parameters, detail.parameters);
    const body = requestBody?.content["application/json"]?.schema;
    const path = openApiPath(generatedPath);
    paths[path] = {
      ...paths[path],
      [method]: {
        ...rest,
        security: operation.security ?? [],
        ...(inputs.length ? { parameters: inputs } : {}),
        // A body that is no JSON (a file upload, an archive) is described by the route's `detail`.
        ...(detail.requestBody
          ? { requestBody: detail.requestBody }
          : body
            ? { requestBody: { required: true, content: { "application/json": { schema: uncoerce(body) } } } }
            : {}),
        responses: responsesOf(
          responses as Record<string, Response> | undefined,
          detail.responses as Record<string, Response> | undefined,
          guarded,
        ),
      },
    };
  }
  paths["/api/v1/collab/{projectId}/{path}"] = { get: LIVE_DOCUMENT };
  paths["/api/v1/projects/{id}/terminals/{terminalId}"] = {
    ...paths["/api/v1/projects/{id}/terminals/{terminalId}"],
    get: TERMINAL_SOCKET,
  };
  const used = new Set(Object.values(paths).flatMap((item) => Object.values(item).flatMap((op) => op.tags)));
  const errors = errorComponents();
  return {
    openapi: VERSION,
    info: { title: "Aura IDE API", version: pkg.version, description: DESCRIPTION },
    tags: TAGS.filter((t) => used.has(t.name)),
    paths,
    components: {
      schemas: Object.fromEntries(
        Object.entries(generated.components.schemas).map(([name, schema]) => [name, uncoerce(schema)]),
      ),
      responses: errors.responses,
      headers: errors.headers,
      securitySchemes: {
        bearerAuth: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "JWT",
          description:
            "An access token from register, login or refresh. It lives 15 minutes by default; " +
            "renew it with the refresh token.",
        },
        accessTokenQuery: {
          type: "apiKey",
          in: "query",
          name: "token",
          description: "An access token in the URL, for a WebSocket client that cannot send headers.",
        },
        sessionCookie: {
          type: "apiKey",
          in: "cookie",
          name: "aura_at",
          description:
            "The web pages' session (`__Host-aura_at` in production); renewed on the upgrade if expired.",
        },
      },
    },
  };
}
