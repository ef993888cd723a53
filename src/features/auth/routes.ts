import { Elysia, t } from "elysia";
import { requestContext } from "../../common/http.ts";
import type { Deps } from "../../deps.ts";
import { apiModels, bearer, dateTime, errors, noAuth, noContent } from "../docs/api-schema.ts";
import { authPlugin } from "./auth-guard.ts";
import { LoginBody, RefreshBody, RegisterBody, SessionParams } from "./model.ts";
import * as auth from "./service.ts";

const tokensOnly = ({
  token,
  refreshToken,
  expiresIn,
}: Pick<auth.IssuedTokens, "token" | "refreshToken" | "expiresIn">) => ({
  token,
  refreshToken,
  expiresIn,
});

/** The account as the JSON face answers it (also the account routes' `{user}`). */
export const User = t.Object({
  id: t.String({ format: "uuid" }),
  email: t.String({ description: "Lowercased" }),
  firstName: t.Nullable(t.String({ description: "Null when unknown (an OAuth account without one)" })),
  lastName: t.Nullable(t.String({ description: "Null when unknown (an OAuth account without one)" })),
});

const tokens = {
  token: t.String({ description: "Access token (JWT) for `Authorization: Bearer …`" }),
  refreshToken: t.String({ description: "Spend it once at /auth/refresh for a new pair" }),
  expiresIn: t.Integer({ description: "Seconds until the access token expires" }),
};

/** What the routes answer, as reference models (`components.schemas` of the document). */
const models = {
  User,
  AuthResult: t.Object({ user: User, ...tokens }, { description: "The account, signed in." }),
  Tokens: t.Object(tokens, { description: "A new access and refresh token." }),
  CurrentUser: t.Object({ user: User }, { description: "The caller's account." }),
  SessionList: t.Object(
    {
      sessions: t.Array(
        t.Object({
          id: t.String({ description: "The session (refresh-token family) id" }),
          userAgent: t.Nullable(t.String()),
          ip: t.Nullable(t.String()),
          createdAt: dateTime("When the session signed in"),
          lastUsedAt: dateTime("When its refresh token was last renewed"),
          current: t.Boolean({ description: "True for the session of the calling access token" }),
        }),
      ),
    },
    { description: "The caller's sessions, most recently used first." },
  ),
};

/** The JSON face of accounts: the /api/v1/auth routes of docs/api.md, plus the user's sessions. */
export function authRoutes(deps: Deps) {
  const ctx = (request: Request) => requestContext(request, deps.config.trustProxyHops);
  return new Elysia({ prefix: "/api/v1/auth", tags: ["Auth"] })
    .use(apiModels)
    .model(models)
    .use(authPlugin(deps))
    .post(
      "/register",
      async ({ body, request, set }) => {
        const { user, ...issued } = await auth.register(deps, body, ctx(request));
        set.status = 201;
        return { user, ...tokensOnly(issued) };
      },
      {
        body: RegisterBody,
        response: { 201: "AuthResult", ...errors(400, 409, 413, 429) },
        detail: {
          operationId: "register",
          summary: "Create an account",
          description:
            "Passwords need at least 10 characters, not whitespace alone (400 naming `password`). The new " +
            "account is signed in at once. An email already registered is a 409. At most 20 registrations " +
            "per hour from one address (`RATE_LIMIT_REGISTER`).",
          ...noAuth,
        },
      },
    )
    .post(
      "/login",
      async ({ body, request }) => {
        const { user, ...issued } = await auth.login(deps, body, ctx(request));
        return { user, ...tokensOnly(issued) };
      },
      {
        body: LoginBody,
        response: { 200: "AuthResult", ...errors(400, 401, 413, 429) },
        detail: {
          operationId: "login",
          summary: "Sign in",
          description:
            "An unknown email and a wrong password both answer 401 `invalid_credentials`. After 10 failed " +
            "attempts in 15 minutes for one address and email (`RATE_LIMIT_LOGIN`), or 50 from one address " +
            "across all emails (`RATE_LIMIT_LOGIN_IP`), 429 with `Retry-After` and a growing lockout.",
          ...noAuth,
        },
      },
    )
    .post(
      "/refresh",
      async ({ body, request }) => {
        const issued = await auth.refresh(deps, body.refreshToken, ctx(request));
        // Without a grace window a new refresh token is always issued.
        return tokensOnly({ ...issued, refreshToken: issued.refreshToken! });
      },
      {
        body: RefreshBody,
        response: { 200: "Tokens", ...errors(400, 401, 413, 429) },
        detail: {
          operationId: "refreshTokens",
          summary: "Renew the tokens",
          description:
            "Spends the refresh token and answers a new pair. Presenting a spent refresh token again " +
            "revokes its whole session (401).",
          ...noAuth,
        },
      },
    )
    .post(
      "/logout",
      async ({ body, request, set }) => {
        await auth.logout(deps, body.refreshToken, ctx(request));
        set.status = 204;
      },
      {
        body: RefreshBody,
        response: { 204: noContent("Signed out."), ...errors(400, 413) },
        detail: {
          operationId: "logout",
          summary: "Sign out",
          description: "Ends the session the refresh token belongs to. An unknown token is not an error.",
          ...noAuth,
        },
      },
    )
    .get(
      "/me",
      async ({ principal }) => ({ user: auth.publicUser(await auth.currentUser(deps, principal.userId)) }),
      {
        auth: true,
        response: { 200: "CurrentUser", ...errors(401, 429) },
        detail: { operationId: "currentUser", summary: "The signed-in user", ...bearer("api") },
      },
    )
    .get(
      "/sessions",
      async ({ principal }) => ({
        sessions: (await auth.listSessions(deps, principal.userId)).map((s) => ({
          ...s,
          current: s.id === principal.sessionId,
        })),
      }),
      {
        auth: true,
        response: { 200: "SessionList", ...errors(401, 429) },
        detail: {
          operationId: "listSessions",
          summary: "List active sessions",
          description: "Every signed-in session of the caller, most recently used first.",
          ...bearer("api"),
        },
      },
    )
    .delete(
      "/sessions/:id",
      async ({ principal, params, set }) => {
        await auth.endSession(deps, principal.userId, params.id);
        set.status = 204;
      },
      {
        auth: true,
        params: SessionParams,
        response: { 204: noContent("Ended."), ...errors(400, 401, 404, 429) },
        detail: {
          operationId: "endSession",
          summary: "End a session",
          description: "Its refresh token and its access tokens stop working at once, on every instance.",
          ...bearer("api"),
        },
      },
    );
}
