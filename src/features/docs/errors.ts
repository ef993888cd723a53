import type { JsonObject } from "./types.ts";

/*
 * The error answers of the JSON face as reusable OpenAPI components. Every body has the shape
 * the error plugin writes (src/plugins/errors.tsx): `{"error": {"code", "message", "errorId"?}}`.
 */

const ERROR_REF = { $ref: "#/components/schemas/Error" };

interface ErrorComponent {
  status: number;
  description: string;
  code: string;
  message: string;
  schema?: JsonObject;
  headers?: Record<string, JsonObject>;
}

const header = (name: string) => ({ $ref: `#/components/headers/${name}` });

/** Every error response the JSON routes can give, by component name. */
export const ERROR_RESPONSES = {
  BadRequest: {
    status: 400,
    description:
      "The body, query or path failed validation (or the body is not JSON); `message` names the field.",
    code: "invalid_request",
    message: "body.name: Expected string length greater or equal to 1",
  },
  Unauthorized: {
    status: 401,
    description:
      "No access token, or one with a bad signature, expired, of the wrong type or of an ended session.",
    code: "unauthorized",
    message: "Access token expired",
  },
  Forbidden: {
    status: 403,
    description: "Authenticated, but not allowed to do this.",
    code: "forbidden",
    message: "Forbidden",
  },
  NotFound: {
    status: 404,
    description: "No such resource, or it belongs to someone else (the two are indistinguishable).",
    code: "not_found",
    message: "Project not found",
  },
  Conflict: {
    status: 409,
    description: "The request clashes with what is stored (a duplicate, or a name already taken).",
    code: "conflict",
    message: "An account with this email already exists",
  },
  FileConflict: {
    status: 409,
    description:
      "`baseVersion` is stale: the file was saved since. `current` is what is stored now. (A path that " +
      "would be both a file and a folder is a 409 too, without `current`; its message names the clash.)",
    code: "conflict",
    message: "The file changed since you opened it",
    schema: { $ref: "#/components/schemas/FileConflict" },
  },
  PayloadTooLarge: {
    status: 413,
    description: "The body, a file or the project is over its limit; the message says which.",
    code: "payload_too_large",
    message: "Request body is over its limit of 1048576 bytes",
  },
  TooManyRequests: {
    status: 429,
    description: "Rate limited. Wait `Retry-After` seconds before trying again.",
    code: "rate_limited",
    message: "Rate limit reached; slow down",
    headers: {
      "Retry-After": header("Retry-After"),
      "RateLimit-Limit": header("RateLimit-Limit"),
      "RateLimit-Remaining": header("RateLimit-Remaining"),
      "RateLimit-Reset": header("RateLimit-Reset"),
    },
  },
  InternalError: {
    status: 500,
    description: "An unexpected failure. `errorId` is logged with the stack; quote it when reporting.",
    code: "internal_error",
    message: "Internal server error",
  },
  BadGateway: {
    status: 502,
    description: "An upstream (the AI models) failed or answered badly; the message says which.",
    code: "upstream_error",
    message: "The AI models are unavailable right now (timeout).",
  },
  ServiceUnavailable: {
    status: 503,
    description: "A dependency (database, AI, sandbox) is unavailable; the message says which.",
    code: "unavailable",
    message: "Database unavailable: still opening",
  },
} satisfies Record<string, ErrorComponent>;

export type ErrorName = keyof typeof ERROR_RESPONSES;

/** The status an error component answers with. */
export const errorStatus = (name: ErrorName): number => ERROR_RESPONSES[name].status;

const RATE_HEADERS = {
  "RateLimit-Limit": "Requests the allowance grants per window.",
  "RateLimit-Remaining": "Requests left in the current window.",
  "RateLimit-Reset": "Seconds until the window resets.",
};

/** `components.schemas`, `components.responses` and `components.headers` for the errors. */
export function errorComponents() {
  const responses: Record<string, JsonObject> = {};
  for (const [name, e] of Object.entries(ERROR_RESPONSES) as [ErrorName, ErrorComponent][]) {
    const error = {
      code: e.code,
      message: e.message,
      ...(e.status >= 500 ? { errorId: "5f0c2a8e-3d5b-4a8e-9a51-2f4b8c1d7e90" } : {}),
    };
    responses[name] = {
      description: e.description,
      ...(e.headers ? { headers: e.headers } : {}),
      content: { "application/json": { schema: e.schema ?? ERROR_REF, example: { error } } },
    };
  }
  return {
    schemas: {
      Error: {
        type: "object",
        required: ["error"],
        properties: {
          error: {
            type: "object",
            required: ["code", "message"],
            properties: {
              code: { type: "string", description: "Stable and machine-readable, e.g. `not_found`" },
              message: { type: "string", description: "For people; may change" },
              errorId: {
                type: "string",
                description: "Only on 5xx: the id the server logged the failure under",
              },
            },
          },
          stack: {
            type: "string",
            description: "Only on an unexpected 5xx when the server runs with AURA_DEBUG=1",
          },
        },
      },
      FileConflict: {
        allOf: [
          ERROR_REF,
          {
            type: "object",
            required: ["current"],
            properties: {
              current: {
                type: "object",
                required: ["version", "content"],
                properties: { version: { type: "integer" }, content: { type: "string" } },
              },
            },
          },
        ],
      },
    },
    responses,
    headers: {
      "Retry-After": {
        description: "Seconds to wait before retrying.",
        required: true,
        schema: { type: "integer", minimum: 1 },
      },
      ...Object.fromEntries(
        Object.entries(RATE_HEADERS).map(([name, description]) => [
          name,
          { description, schema: { type: "integer", minimum: 0 } },
        ]),
      ),
    },
  };
}
