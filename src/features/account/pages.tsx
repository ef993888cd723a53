import { Elysia, t } from "elysia";
import { SessionsList } from "../../../views/account/_sessions.tsx";
import { AccountPage } from "../../../views/account/account.tsx";
import { SessionsPage } from "../../../views/account/sessions.tsx";
import type { Deps } from "../../deps.ts";
import { html, redirectAfterPost, wantsFragment } from "../../plugins/htmx.ts";
import { SessionParams } from "../auth/model.ts";
import * as auth from "../auth/service.ts";
import { type CookieJar, clearSessionCookies } from "../auth/session-cookies.ts";
import { sessionPlugin, type Viewer } from "../auth/session-guard.ts";
import { accountPageProps, accountSettingsPages } from "./settings-pages.tsx";

// Where an OAuth link sends the browser back: `linked=<provider>` or `error=<code>`; only known values are shown.
const AccountQuery = t.Object({
  linked: t.Optional(t.String({ maxLength: 16 })),
  error: t.Optional(t.String({ maxLength: 64 })),
  provider: t.Optional(t.String({ maxLength: 16 })),
});

/** The signed-in account pages: the account (with its forms, in settings-pages) and sessions. */
export function accountPages(deps: Deps) {
  // After a revoke: the refreshed list for htmx, the page again (post/redirect/get) otherwise.
  const sessionsAfterChange = async (request: Request, viewer: Viewer, notice: string) => {
    if (!wantsFragment(request)) return redirectAfterPost(request, "/account/sessions");
    const sessions = await auth.listSessions(deps, viewer.user.id);
    return html(
      <SessionsList
        sessions={sessions}
        currentId={viewer.principal.sessionId}
        csrfToken={viewer.csrfToken}
        notice={notice}
      />,
    );
  };

  return new Elysia({ name: "account-pages" })
    .use(sessionPlugin(deps))
    .use(accountSettingsPages(deps))
    .get(
      "/account",
      async ({ viewer, query }) => html(<AccountPage {...(await accountPageProps(deps, viewer, query))} />),
      { session: true, query: AccountQuery },
    )
    .get(
      "/account/sessions",
      async ({ viewer, request }) => {
        const props = {
          sessions: await auth.listSessions(deps, viewer.user.id),
          currentId: viewer.principal.sessionId,
          csrfToken: viewer.csrfToken,
        };
        return html(
          wantsFragment(request) ? (
            <SessionsList {...props} />
          ) : (
            <SessionsPage {...props} user={viewer.user} />
          ),
        );
      },
      { session: true },
    )
    .post(
      "/account/sessions/:id/revoke",
      async ({ viewer, params, request, cookie }) => {
        const jar = cookie as CookieJar;
        await auth.endSession(deps, viewer.user.id, params.id);
        if (params.id === viewer.principal.sessionId) {
          clearSessionCookies(jar, deps.config.production);
          return redirectAfterPost(request, "/login", { full: true });
        }
        return sessionsAfterChange(request, viewer, "That session has been signed out.");
      },
      { session: true, params: SessionParams },
    )
    .post(
      "/account/sessions/revoke-others",
      async ({ viewer, request }) => {
        const count = await auth.endOtherSessions(deps, viewer.user.id, viewer.principal.sessionId);
        const notice = `Signed out ${count} other session${count === 1 ? "" : "s"}.`;
        return sessionsAfterChange(request, viewer, notice);
      },
      { session: true },
    );
}
