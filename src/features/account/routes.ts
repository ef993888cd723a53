import { Elysia, t } from "elysia";
import { requestContext } from "../../common/http.ts";
import type { Deps } from "../../deps.ts";
import { NotFoundError } from "../../errors.ts";
import { authPlugin } from "../auth/auth-guard.ts";
import { User } from "../auth/routes.ts";
import { publicUser } from "../auth/service.ts";
import { apiModels, bearer, errors, noContent } from "../docs/api-schema.ts";
import { exportAccount, exportFileName } from "./export.ts";
import { DeleteAccountBody, LinkPathParams, PasswordBody, ProfileBody } from "./model.ts";
import * as account from "./service.ts";

const models = {
  CurrentUser: t.Object({ user: User }, { description: "The caller's account." }),
};

/**
 * The JSON face of one's own account (docs/api.md, "Account"): name, password, provider links,
 * export and deletion, under /api/v1/auth beside sign-in.
 */
export function accountRoutes(deps: Deps) {
  const ctx = (request: Request) => requestContext(request, deps.config.trustProxyHops);
  return new Elysia({ prefix: "/api/v1/auth", tags: ["Auth"] })
    .use(apiModels)
    .model(models)
    .use(authPlugin(deps))
    .patch(
      "/me",
      async ({ principal, body }) => ({
        user: publicUser(await account.updateProfile(deps, principal.userId, body)),
      }),
      {
        auth: true,
        body: ProfileBody,
        response: { 200: "CurrentUser", ...errors(400, 401, 413, 429) },
        detail: {
          operationId: "updateCurrentUser",
          summary: "Change your name",
          description:
            "Sets `firstName` and/or `lastName` (at most 100 characters each); a field left out stays, and an " +
            "empty string clears it.",
          ...bearer("api"),
        },
      },
    )
    .post(
      "/password",
      async ({ principal, body, request, set }) => {
        await account.changePassword(deps, principal, body, ctx(request));
        set.status = 204;
      },
      {
        auth: true,
        body: PasswordBody,
        response: {
          204: noContent("Changed; every other session has ended."),
          ...errors(400, 401, 403, 413, 429),
        },
        detail: {
          operationId: "changePassword",
          summary: "Change or set your password",
          description:
            "With a password on the account, `currentPassword` is required (400 naming it when missing) and a " +
            "wrong one is 403 `invalid_credentials`; wrong attempts count like failed sign-ins " +
            "(`RATE_LIMIT_LOGIN`, then 429 with `Retry-After`). An account that signs in only with Google or " +
            "GitHub sets its first password without one. `newPassword`: at least 10 characters, not whitespace " +
            "alone. Every other session of the account ends at once (their refresh and access tokens are " +
            "refused); the calling one stays.",
          ...bearer("api"),
        },
      },
    )
    .delete(
      "/me",
      async ({ principal, body, request, set }) => {
        await account.deleteAccount(deps, principal, body, ctx(request));
        set.status = 204;
      },
      {
        auth: true,
        body: DeleteAccountBody,
        response: {
          204: noContent("The account and its data are gone."),
          ...errors(400, 401, 403, 413, 429),
        },
        detail: {
          operationId: "deleteCurrentUser",
          summary: "Delete your account",
          description:
            "Confirmed by `password` when the account has one (403 `invalid_credentials` when wrong, counted like " +
            "failed sign-ins), else by `email`, the account's address typed out (400 naming `email`). Deletes " +
            "every project the account owns — for all of its members — with files, history, live documents, " +
            "conversations and the code index; leaves the projects of others it is a member of; ends every " +
            "session. Its tokens are refused from then on.",
          ...bearer("api"),
        },
      },
    )
    .get(
      "/me/export",
      ({ principal }) =>
        new Response(exportAccount(deps, principal.userId), {
          headers: {
            "content-type": "application/zip",
            "content-disposition": `attachment; filename="${exportFileName()}"`,
            "cache-control": "no-store",
          },
        }),
      {
        auth: true,
        response: errors(401, 429),
        detail: {
          operationId: "exportCurrentUser",
          summary: "Export your data",
          description:
            "A zip of everything the account holds: `profile.json` (the account, its sign-in methods, the " +
            "projects it is a member of and the host of its saved git token, never the token), " +
            "`projects/<name>-<id>/project.json`, `…/git.json` (its git remote, branch and last known " +
            "commits, when it has one) and `…/files/<path>` for each project it owns, and " +
            "`conversations.json` (its AI chats).",
          responses: {
            200: {
              description: "The archive, streamed as it is built.",
              content: { "application/zip": { schema: { type: "string", format: "binary" } } },
            },
          },
          ...bearer("api"),
        },
      },
    )
    .delete(
      "/me/links/:provider",
      async ({ principal, params, request, set }) => {
        const { provider } = params;
        if (provider !== "google" && provider !== "github") throw new NotFoundError("Link");
        await account.unlinkProvider(deps, principal.userId, provider, ctx(request));
        set.status = 204;
      },
      {
        auth: true,
        params: LinkPathParams,
        response: { 204: noContent("Unlinked."), ...errors(400, 401, 404, 409, 429) },
        detail: {
          operationId: "unlinkProvider",
          summary: "Unlink Google or GitHub",
          description:
            "Stops that provider account from signing in to this one. 404 when it is not linked (or no such " +
            "provider); 409 when it is " +
            "the last way to sign in (no password and no other provider). Linking happens in the browser, " +
            "from the account page.",
          ...bearer("api"),
        },
      },
    );
}
