import type { OperationDoc } from "./catalogue.ts";

/** Accounts, tokens and sessions (API.md "Auth"). */
export const AUTH_OPERATIONS: Record<string, OperationDoc> = {
  "POST /api/v1/auth/register": {
    operationId: "register",
    tag: "Auth",
    summary: "Create an account",
    description:
      "Passwords need at least 10 characters, not whitespace alone (400 naming `password`). The new account is signed in at once. At most 20 " +
      "registrations per hour from one address (`RATE_LIMIT_REGISTER`).",
    auth: false,
    success: { status: 201, description: "The account, signed in.", schema: "AuthResult" },
    errors: ["Conflict", "TooManyRequests"],
  },
  "POST /api/v1/auth/login": {
    operationId: "login",
    tag: "Auth",
    summary: "Sign in",
    description:
      "An unknown email and a wrong password both answer 401 `invalid_credentials`. After 10 failed " +
      "attempts in 15 minutes for one address and email (`RATE_LIMIT_LOGIN`), or 50 from one address " +
      "across all emails (`RATE_LIMIT_LOGIN_IP`), 429 with `Retry-After` and a growing lockout.",
    auth: false,
    success: { status: 200, description: "Signed in.", schema: "AuthResult" },
    errors: ["Unauthorized", "TooManyRequests"],
  },
  "POST /api/v1/auth/refresh": {
    operationId: "refreshTokens",
    tag: "Auth",
    summary: "Renew the tokens",
    description:
      "Spends the refresh token and answers a new pair. Presenting a spent refresh token again " +
      "revokes its whole session (401).",
    auth: false,
    success: { status: 200, description: "A new access and refresh token.", schema: "Tokens" },
    errors: ["Unauthorized"],
  },
  "POST /api/v1/auth/logout": {
    operationId: "logout",
    tag: "Auth",
    summary: "Sign out",
    description: "Ends the session the refresh token belongs to. An unknown token is not an error.",
    auth: false,
    success: { status: 204, description: "Signed out." },
  },
  "GET /api/v1/auth/me": {
    operationId: "currentUser",
    tag: "Auth",
    summary: "The signed-in user",
    auth: "api",
    success: { status: 200, description: "The caller's account.", schema: "CurrentUser" },
  },
  "GET /api/v1/auth/sessions": {
    operationId: "listSessions",
    tag: "Auth",
    summary: "List active sessions",
    description: "Every signed-in session of the caller, most recently used first.",
    auth: "api",
    success: { status: 200, description: "The sessions.", schema: "SessionList" },
  },
  "DELETE /api/v1/auth/sessions/:id": {
    operationId: "endSession",
    tag: "Auth",
    summary: "End a session",
    description: "Its refresh token and its access tokens stop working at once, on every instance.",
    auth: "api",
    success: { status: 204, description: "Ended." },
    errors: ["NotFound"],
    params: { id: "A session id from the list." },
  },
};
