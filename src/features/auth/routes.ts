import { Elysia } from "elysia";
import type { Deps } from "../../deps.ts";
import { authPlugin } from "../../plugins/auth.ts";
import { clientIp } from "../../plugins/client-ip.ts";
import { LoginBody, RefreshBody, RegisterBody, SessionParams } from "./model.ts";
import * as auth from "./service.ts";

/** Where the request came from, as the auth service records it. */
export function requestContext(request: Request, trustProxyHops: number): auth.RequestContext {
  return { ip: clientIp(request, trustProxyHops), userAgent: request.headers.get("user-agent") ?? undefined };
}

const tokensOnly = ({
  token,
  refreshToken,
  expiresIn,
}: Pick<auth.IssuedTokens, "token" | "refreshToken" | "expiresIn">) => ({
  token,
  refreshToken,
  expiresIn,
});

/** The JSON face of accounts: API.md's /api/v1/auth routes, plus the user's sessions. */
export function authRoutes(deps: Deps) {
  const ctx = (request: Request) => requestContext(request, deps.config.trustProxyHops);
  return new Elysia({ prefix: "/api/v1/auth" })
    .use(authPlugin(deps))
    .post(
      "/register",
      async ({ body, request, set }) => {
        const { user, ...issued } = await auth.register(deps, body, ctx(request));
        set.status = 201;
        return { user, ...tokensOnly(issued) };
      },
      { body: RegisterBody },
    )
    .post(
      "/login",
      async ({ body, request }) => {
        const { user, ...issued } = await auth.login(deps, body, ctx(request));
        return { user, ...tokensOnly(issued) };
      },
      { body: LoginBody },
    )
    .post(
      "/refresh",
      async ({ body, request }) => {
        const issued = await auth.refresh(deps, body.refreshToken, ctx(request));
        // Without a grace window a new refresh token is always issued.
        return tokensOnly({ ...issued, refreshToken: issued.refreshToken! });
      },
      { body: RefreshBody },
    )
    .post(
      "/logout",
      async ({ body, request, set }) => {
        await auth.logout(deps, body.refreshToken, ctx(request));
        set.status = 204;
      },
      { body: RefreshBody },
    )
    .get(
      "/me",
      async ({ principal }) => ({ user: auth.publicUser(await auth.currentUser(deps, principal.userId)) }),
      {
        auth: true,
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
      { auth: true },
    )
    .delete(
      "/sessions/:id",
      async ({ principal, params, set }) => {
        await auth.endSession(deps, principal.userId, params.id);
        set.status = 204;
      },
      { auth: true, params: SessionParams },
    );
}
