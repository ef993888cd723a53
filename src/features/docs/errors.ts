import type { Header, Response } from "./types.ts";

/*
 * The error statuses of the JSON face as reusable responses (`components.responses`), each
 * with the one `Error` body schema the routes name (src/features/docs/api-schema.ts). A route
 * says which statuses it can answer; this says what each means.
 */

interface ErrorStatusDoc {
  name: string;
  description: string;
  code: string;
  message: string;
  headers?: Record<string, { $ref: string }>;
}

const header = (name: string) => ({ $ref: `#/components/headers/${name}` });

/** What each error status means, by status. */
const ERROR_STATUSES: Record<number, ErrorStatusDoc> = {
  400: {
    name: "BadRequest",
    description:
      "The body, query or path failed validation (or the body is not JSON); `message` names the field.",
    code: "invalid_request",
    message: "body.name: Expected string length greater or equal to 1",
  },
  401: {
    name: "Unauthorized",
    description:
      "No access token, or one with a bad signature, expired, of the wrong type or of an ended session.",
    code: "unauthorized",
    message: "Access token expired",
  },
  403: {
    name: "Forbidden",
    description: "Authenticated, but not allowed to do this.",
    code: "forbidden",
    message: "Forbidden",
  },
  404: {
    name: "NotFound",
    description: "No such resource, or it belongs to someone else (the two are indistinguishable).",
    code: "not_found",
    message: "Project not found",
  },
  409: {
    name: "Conflict",
    description:
      "The request clashes with what is stored: a duplicate, a name already taken, or a path that would be " +
      "both a file and a folder (the message names the clash). A save whose `baseVersion` is stale also " +
      "carries `current`, what is stored now.",
    code: "conflict",
    message: "The file changed since you opened it",
  },
  413: {
    name: "PayloadTooLarge",
    description: "The body, a file or the project is over its limit; the message says which.",
    code: "payload_too_large",
    message: "Request body is over its limit of 1048576 bytes",
  },
  426: {
    name: "UpgradeRequired",
    description: "A plain request to a WebSocket address.",
    code: "upgrade_required",
    message: "This address is a WebSocket (the y-websocket protocol)",
  },
  429: {
    name: "TooManyRequests",
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
  500: {
    name: "InternalError",
    description: "An unexpected failure. `errorId` is logged with the stack; quote it when reporting.",
    code: "internal_error",
    message: "Internal server error",
  },
  502: {
    name: "BadGateway",
    description: "An upstream (the AI models) failed or answered badly; the message says which.",
    code: "upstream_error",
    message: "The AI models are unavailable right now (timeout).",
  },
  503: {
    name: "ServiceUnavailable",
    description: "A dependency (database, AI, sandbox) is unavailable; the message says which.",
    code: "unavailable",
    message: "Database unavailable: still opening",
  },
};

/** The reference to the reusable response of an error status, if it has one. */
export function errorResponseRef(status: string): { $ref: string } | undefined {
  const doc = ERROR_STATUSES[Number(status)];
  return doc && { $ref: `#/components/responses/${doc.name}` };
}

export const RATE_HEADERS = {
  "RateLimit-Limit": "Requests the allowance grants per window.",
  "RateLimit-Remaining": "Requests left in the current window.",
  "RateLimit-Reset": "Seconds until the window resets.",
};

/** `components.responses` and `components.headers` for the errors. */
export function errorComponents(): { responses: Record<string, Response>; headers: Record<string, Header> } {
  const responses: Record<string, Response> = {};
  for (const [status, e] of Object.entries(ERROR_STATUSES)) {
    const error = {
      code: e.code,
      message: e.message,
      ...(Number(status) >= 500 ? { errorId: "5f0c2a8e-3d5b-4a8e-9a51-2f4b8c1d7e90" } : {}),
    };
    responses[e.name] = {
      description: e.description,
      ...(e.headers ? { headers: e.headers } : {}),
      content: {
        "application/json": { schema: { $ref: "#/components/schemas/Error" }, example: { error } },
      },
    };
  }
  return {
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
