import { Elysia } from "elysia";
import { ErrorNotice } from "../../views/components/_error.tsx";
import { ErrorPage } from "../../views/pages/error.tsx";
import { AppError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import { wantsJson } from "./negotiate.ts";
import { noteErrorId } from "./request-info.ts";

interface HttpError {
  status: number;
  code: string;
  message: string;
  extra?: Record<string, unknown> | undefined;
  headers?: Record<string, string> | undefined;
}

interface ValueError {
  path?: string;
  message?: string;
  value?: unknown;
  schema?: { anyOf?: { const?: unknown; format?: string }[] };
  /** Per variant of a union, what was wrong against it. */
  errors?: { First(): { message?: string } | undefined }[];
}

// Elysia's coercing types are a union of a string in one of these formats and the type itself.
const COERCED: Record<string, string> = {
  integer: "Expected an integer",
  numeric: "Expected a number",
  boolean: "Expected true or false",
};

/** TypeBox says only "Expected union value"; say what the union allows where that is short. */
function unionDetail(error: ValueError): string | undefined {
  const variants = error.schema?.anyOf ?? [];
  const format = variants.find((v) => v.format && COERCED[v.format])?.format;
  if (format) {
    // A number out of bounds: what the numeric variant says ("… greater or equal to 0").
    const numeric = variants.findIndex((v) => !v.format);
    const own = typeof error.value === "string" ? undefined : error.errors?.[numeric]?.First()?.message;
    return own ?? COERCED[format];
  }
  if (variants.length > 0 && variants.every((v) => "const" in v))
    return `Expected one of ${variants.map((v) => String(v.const)).join(", ")}`;
  return undefined;
}

/** Describe a validation failure by the field it names, e.g. `body.email: Expected string`. */
function validationMessage(error: unknown): string {
  const e = error as { type?: string; valueError?: ValueError };
  const field = (e.valueError?.path ?? "").replace(/^\//, "").replaceAll("/", ".");
  // "property" is a coercion failing after decoding; validation-fields.ts names those itself.
  const where = e.type && e.type !== "property" ? e.type : "request";
  const message = e.valueError?.message;
  const detail =
    (message === "Expected union value" && e.valueError ? unionDetail(e.valueError) : undefined) ??
    message ??
    "is invalid";
  return field ? `${where}.${field}: ${detail}` : `${where}: ${detail}`;
}

function toHttpError(code: string | number, error: unknown): HttpError {
  if (error instanceof AppError) return error;
  // Elysia wraps whatever a body parser throws (our 413 and 400 included) in a ParseError.
  if (code === "PARSE" && (error as Error).cause instanceof AppError)
    return (error as Error).cause as AppError;
  switch (code) {
    case "VALIDATION":
      return { status: 400, code: "invalid_request", message: validationMessage(error) };
    case "PARSE":
      return { status: 400, code: "invalid_request", message: "body: could not be parsed" };
    case "NOT_FOUND":
      return { status: 404, code: "not_found", message: "Not found" };
    case "INVALID_COOKIE_SIGNATURE":
      return { status: 400, code: "invalid_request", message: "cookie: invalid signature" };
    default:
      return { status: 500, code: "internal_error", message: "Internal server error" };
  }
}

/**
 * The one error handler: the API's JSON error shape for the JSON face, an HTML fragment for HTMX
 * requests, a full page otherwise. 5xx get an errorId that is logged with the stack; the
 * stack (which carries SQL text and internal messages) is sent only with `debug` (AURA_DEBUG).
 */
export function errorPlugin({ logger, debug }: { logger: Logger; debug: boolean }) {
  return new Elysia({ name: "errors" }).onError({ as: "global" }, ({ code, error, request }) => {
    const http = toHttpError(code, error);
    let errorId: string | undefined;
    if (http.status >= 500) {
      errorId = crypto.randomUUID();
      noteErrorId(request, errorId);
      logger.error(
        { err: error, errorId, method: request.method, path: new URL(request.url).pathname },
        http.message,
      );
    }
    const headers: Record<string, string> = { ...http.headers };

    if (wantsJson(request)) {
      const body: Record<string, unknown> = {
        error: { code: http.code, message: http.message, ...(errorId ? { errorId } : {}) },
        ...http.extra,
      };
      // Only an unexpected error's: an AppError's message is written for the client, and its stack
      // adds nothing but the server's file paths.
      if (debug && http.status >= 500 && error instanceof Error && !(error instanceof AppError))
        body.stack = error.stack;
      return Response.json(body, { status: http.status, headers });
    }
    headers["content-type"] = "text/html; charset=utf-8";
    const props = { status: http.status, message: http.message, errorId };
    const html = request.headers.get("hx-request") === "true" ? ErrorNotice(props) : ErrorPage(props);
    return new Response(html as string, { status: http.status, headers });
  });
}
