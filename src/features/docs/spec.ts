// The generator alone: the package's index also carries its Scalar and Swagger UI pages, which Aura does not serve.
import { toOpenAPISchema, unwrapSchema } from "@elysiajs/openapi/openapi";
import type { AnyElysia, InternalRoute } from "elysia";
import pkg from "../../../package.json" with { type: "json" };
import { OPERATIONS, type OperationDoc, TAGS } from "./catalogue.ts";
import { ERROR_RESPONSES, type ErrorName, errorComponents } from "./errors.ts";
import { RESPONSE_SCHEMAS } from "./schemas.ts";
import {
  type JsonObject,
  METHODS,
  type Method,
  type OpenApiDocument,
  type Operation,
  type Parameter,
  type Response,
  type Schema,
} from "./types.ts";

const VERSION = "3.1.0";
const JSON_FACE = /^\/api\/v1\//;
/** The routes of the document itself; never part of it. */
export const DOCS_PATHS = { json: "/api/v1/openapi.json", page: "/api/docs" } as const;

const DESCRIPTION =
  "The JSON face of Aura: the same services as the web pages, for scripts, the CLI and tests. " +
  "Send `Authorization: Bearer <access token>` (from register, login or refresh) on every route marked " +
  'as needing a token. Every error body is `{"error": {"code", "message", "errorId"?}}`; `errorId` ' +
  "comes with 5xx answers and is logged with the failure. Authenticated calls count against a per-user " +
  "allowance (`RATE_LIMIT_API`, or `RATE_LIMIT_EDITOR` for editor traffic) and carry `RateLimit-*` " +
  "headers; every 429 carries `Retry-After`.";

const RATE_HEADERS = ["RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"];
const errorRef = (name: ErrorName) => ({ $ref: `#/components/responses/${name}` });

/** The OpenAPI path of an Elysia route pattern: `{param}`s, the `*` tail named `path`, no trailing slash. */
function openApiPath(routePath: string): string {
  return routePath
    .replace(/(.)\/$/, "$1")
    .replace(/:([^/]+)/g, "{$1}")
    .replace(/\/\*$/, "/{path}");
}

/** Plain JSON: drops TypeBox's symbol keys and shares nothing with the live route schemas. */
const plainJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

const COERCED_FORMATS = new Set([
  "integer",
  "numeric",
  "boolean",
  "date-time",
  "ObjectString",
  "ArrayString",
]);

/**
 * Undo Elysia's query coercion in a schema: it widens `integer` to `integer | string(format: integer)`
 * so that query strings validate; a client should see the integer.
 */
function uncoerce(schema: Schema): Schema {
  const { anyOf, ...rest } = schema;
  if (anyOf) {
    const kept = anyOf.filter((s) => !(s.type === "string" && s.format && COERCED_FORMATS.has(s.format)));
    if (kept.length === 1 && kept.length < anyOf.length) return uncoerce({ ...rest, ...kept[0] });
    return { ...rest, anyOf: kept.map(uncoerce) };
  }
  if (rest.properties)
    rest.properties = Object.fromEntries(Object.entries(rest.properties).map(([k, v]) => [k, uncoerce(v)]));
  if (rest.items) rest.items = uncoerce(rest.items);
  return rest;
}

const uncoerceAll = (schemas: Record<string, Schema>) =>
  Object.fromEntries(Object.entries(schemas).map(([name, schema]) => [name, uncoerce(schema)]));

function parametersOf(route: InternalRoute, generated: Operation | undefined, doc: OperationDoc | undefined) {
  const parameters: Parameter[] = (generated?.parameters ?? []).map((p) => {
    const { description, ...schema } = uncoerce(p.schema ?? {});
    const about = doc?.params?.[p.name] ?? description;
    return { ...p, ...(about ? { description: about } : {}), schema };
  });
  if (route.path.endsWith("/*"))
    parameters.push({
      name: "path",
      in: "path",
      required: true,
      ...(doc?.params?.path ? { description: doc.params.path } : {}),
      schema: { type: "string", minLength: 1 },
    });
  return parameters;
}

function responsesOf(route: InternalRoute, doc: OperationDoc | undefined, secured: boolean) {
  const hooks = route.hooks as { body?: unknown; query?: unknown; params?: unknown };
  const responses: Operation["responses"] = {};
  if (doc) {
    const { status, description, schema, stream } = doc.success;
    const ok: Response = {
      description: stream ? `${description} With \`Accept: text/event-stream\`: ${stream}` : description,
    };
    if (secured)
      ok.headers = Object.fromEntries(RATE_HEADERS.map((h) => [h, { $ref: `#/components/headers/${h}` }]));
    if (schema) ok.content = { "application/json": { schema: { $ref: `#/components/schemas/${schema}` } } };
    if (stream)
      ok.content = {
        ...ok.content,
        "text/event-stream": { schema: { type: "string", description: stream } },
      };
    responses[String(status)] = ok;
  }
  const errors = new Set<ErrorName>(doc?.errors);
  if (hooks.body || hooks.query || hooks.params || route.path.includes("*")) errors.add("BadRequest");
  if (hooks.body) errors.add("PayloadTooLarge");
  if (secured) errors.add("Unauthorized").add("TooManyRequests");
  errors.add("InternalError").add("ServiceUnavailable");
  const byStatus = [...errors].sort((a, b) => ERROR_RESPONSES[a].status - ERROR_RESPONSES[b].status);
  for (const name of byStatus) responses[String(ERROR_RESPONSES[name].status)] ??= errorRef(name);
  return responses;
}

function operationOf(route: InternalRoute, generated: Operation | undefined): Operation {
  const doc = OPERATIONS[`${route.method} ${route.path}`];
  const detail = (route.hooks.detail ?? {}) as Partial<Operation>;
  const summary = detail.summary ?? doc?.summary;
  const description = detail.description ?? doc?.description;
  const security = detail.security ?? (doc?.auth ? [{ bearerAuth: [] }] : []);
  const parameters = parametersOf(route, generated, doc);
  const body = (route.hooks as { body?: unknown }).body;
  const bodySchema = body ? (unwrapSchema(body as never, undefined, "input", VERSION) as Schema) : undefined;
  const operation: Operation & JsonObject = {
    operationId: detail.operationId ?? doc?.operationId ?? generated?.operationId ?? "",
    tags: detail.tags ?? [doc?.tag ?? "Other"],
    ...(summary ? { summary } : {}),
    ...(description ? { description } : {}),
    security,
    ...(doc?.auth ? { "x-allowance": doc.auth } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(bodySchema
      ? { requestBody: { required: true, content: { "application/json": { schema: uncoerce(bodySchema) } } } }
      : {}),
    responses: { ...responsesOf(route, doc, security.length > 0), ...generated?.responses },
  };
  return plainJson(operation);
}

/**
 * Build the OpenAPI 3.1 document of the app's JSON face (`/api/v1/…`) from its registered routes:
 * `@elysiajs/openapi` turns the routes' TypeBox schemas into parameters and bodies; the catalogue
 * adds what routes do not declare (summaries, auth, success bodies) and every route gets the
 * error responses it can give.
 */
export function buildOpenApi(app: AnyElysia): OpenApiDocument {
  const generated = toOpenAPISchema(app, { paths: [/^(?!\/api\/v1\/)/] }, undefined, undefined, VERSION)
    .paths as Record<string, Partial<Record<Method, Operation>>>;
  const paths: OpenApiDocument["paths"] = {};
  for (const route of app.routes) {
    const method = route.method.toLowerCase() as Method;
    if (!JSON_FACE.test(route.path) || !METHODS.includes(method)) continue;
    if ((route.hooks.detail as { hide?: boolean } | undefined)?.hide || route.path === DOCS_PATHS.json)
      continue;
    const pluginPath = route.path.replace(/:([^/]+)/g, "{$1}");
    const path = openApiPath(route.path);
    paths[path] = { ...paths[path], [method]: operationOf(route, generated[pluginPath]?.[method]) };
  }
  const errors = errorComponents();
  const used = new Set(Object.values(paths).flatMap((item) => Object.values(item).flatMap((op) => op.tags)));
  const known = new Set<string>(TAGS.map((t) => t.name));
  return {
    openapi: VERSION,
    info: { title: "Aura IDE API", version: pkg.version, description: DESCRIPTION },
    tags: [
      ...TAGS.filter((t) => used.has(t.name)),
      ...[...used].filter((t) => !known.has(t)).map((name) => ({ name })),
    ],
    paths,
    components: {
      schemas: {
        ...uncoerceAll(plainJson(RESPONSE_SCHEMAS as Record<string, Schema>)),
        ...(errors.schemas as Record<string, Schema>),
      },
      responses: errors.responses as unknown as Record<string, Response>,
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
      },
    },
  };
}
