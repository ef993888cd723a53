import type { TLiteral } from "@sinclair/typebox";
import { Elysia, type TSchema, t } from "elysia";
import type { Allowance } from "../../plugins/allowances.ts";

/*
 * What the JSON routes document themselves with: the one error body, the statuses a route can
 * fail with, and who may call it. Response schemas are checked by Elysia at run time (and an
 * object is cut down to the properties its schema names), so every schema a route declares must
 * describe exactly what the route answers. Error bodies are written by the error plugin as
 * ready Responses, which Elysia does not check: their schema documents them only.
 */

/** The body of every error the JSON face answers (src/plugins/errors.tsx and the collab upgrade). */
export const ErrorBody = t.Object(
  {
    error: t.Object({
      code: t.String({ description: "Stable and machine-readable, e.g. `not_found`" }),
      message: t.String({ description: "For people; may change" }),
      errorId: t.Optional(
        t.String({ description: "Only on 5xx: the id the server logged the failure under" }),
      ),
    }),
    current: t.Optional(
      t.Object(
        { version: t.Integer({ minimum: 0 }), content: t.String() },
        { description: "Only on a 409 to a save whose `baseVersion` is stale: what is stored now" },
      ),
    ),
    stack: t.Optional(
      t.String({ description: "Only on an unexpected 5xx when the server runs with AURA_DEBUG=1" }),
    ),
  },
  { description: "An error" },
);

/** `Error` as a reference model, so that `response: { 404: "Error" }` names it. Use it in every JSON route plugin. */
export const apiModels = new Elysia({ name: "api-models" }).model({ Error: ErrorBody });

/** The error statuses the JSON face answers with. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 429 | 500 | 502 | 503;

type Errors<S extends ErrorStatus> = { [K in S | 500 | 503]: "Error" };

/**
 * The error responses of a route: the given statuses, and 500 and 503 (a failure, or a
 * dependency such as the database unavailable), which every route can answer.
 */
export function errors<const S extends ErrorStatus>(...statuses: S[]): Errors<S> {
  return Object.fromEntries([...statuses, 500, 503].map((status) => [status, "Error"])) as Errors<S>;
}

/** `detail` of a route anyone may call. */
export const noAuth = { security: [] };

/**
 * `detail` of a route behind the `auth` guard: a bearer access token, and a call counted
 * against the caller's allowance (`x-allowance`, which the docs page names).
 */
export const bearer = (allowance: Allowance) => ({
  security: [{ bearerAuth: [] }],
  "x-allowance": allowance,
});

/** A 204's response: no body. */
export const noContent = (description: string) => t.Void({ description });

/** A timestamp: a Date in the handler, an ISO 8601 date-time string in the JSON. */
export const dateTime = (description: string) => t.Date({ description });

/** One of the listed strings (an `enum` in the document); typed by hand, as TypeBox types a mapped union as `never`. */
export const oneOf = <const V extends readonly [string, ...string[]]>(
  values: V,
  options?: { description?: string },
) =>
  t.Union([...values].map((value) => t.Literal(value)) as TLiteral<V[number]>[], options) as TSchema & {
    static: V[number];
  };

/** The `:id` of a project's routes, described (the generator names it only). */
export const projectIdParameter = {
  name: "id",
  in: "path",
  required: true,
  description: "The project's id.",
} as const;

/** What a file path in a URL may be (src/features/files/paths.ts checks it). */
export const FILE_PATH_RULES =
  "The file's path in the project, e.g. `src/app.js`, as the rest of the URL. Percent-decoded once, " +
  "then checked: relative, `/`-separated (`%2F` is a separator too), at most 500 bytes, no `.`, `..` or " +
  "empty segment, no backslash, NUL or control character.";

/**
 * The `*` at the end of a route, in the document `{path}`: the generator knows only `:name`
 * parameters, so a route with a file path declares it in `detail.parameters`.
 */
export const filePathParameter = {
  name: "path",
  in: "path",
  required: true,
  description: `${FILE_PATH_RULES} Anything else is a 400.`,
  schema: { type: "string", minLength: 1 },
} as const;
