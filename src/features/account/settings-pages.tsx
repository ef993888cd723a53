import { Elysia, t } from "elysia";
import { DeleteAccount } from "../../../views/account/_delete-account.tsx";
import { PasswordForm } from "../../../views/account/_password-form.tsx";
import { ProfileForm } from "../../../views/account/_profile-form.tsx";
import { SignInMethods } from "../../../views/account/_sign-in-methods.tsx";
import { AccountPage, type AccountPageProps } from "../../../views/account/account.tsx";
import { displayName } from "../../../views/layouts/app.tsx";
import { requestContext } from "../../common/http.ts";
import type { Deps } from "../../deps.ts";
import { AppError, ConflictError, NotFoundError, ValidationError } from "../../errors.ts";
import { html, redirectAfterPost, wantsFragment } from "../../plugins/htmx.ts";
import { type FieldErrors, formErrors, serviceErrorMessage, validationErrors } from "../auth/form-errors.ts";
import { newPasswordProblem } from "../auth/model.ts";
import { oauthErrorMessage } from "../auth/oauth/errors.ts";
import type { OAuthProviderName } from "../auth/oauth/providers.ts";
import { beginAuthorization } from "../auth/oauth/routes.ts";
import { type CookieJar, clearSessionCookies } from "../auth/session-cookies.ts";
import { sessionPlugin, type Viewer } from "../auth/session-guard.ts";
import { exportAccount, exportFileName } from "./export.ts";
import { LinkParams, PasswordBody, type PasswordInput, ProfileBody } from "./model.ts";
import * as account from "./service.ts";

// Forms are checked by hand so errors render inline (422), not as a 400.
const FormBody = t.Record(t.String(), t.String({ maxLength: 4096 }));
const LABELS: Record<OAuthProviderName, string> = { google: "Google", github: "GitHub" };
const isProvider = (value: string | undefined): value is OAuthProviderName =>
  value === "google" || value === "github";

type Failure = { status: number; errors: FieldErrors; headers?: Record<string, string> };

/** A service failure as a form shows it; `passwordField` is where a wrong password is reported. */
function formFailure(error: unknown, passwordField: string): Failure {
  if (error instanceof ValidationError) return { status: 422, errors: validationErrors(error) };
  if (error instanceof AppError && error.code === "invalid_credentials")
    return { status: 403, errors: { [passwordField]: "That password is not right" } };
  const { status, message, headers } = serviceErrorMessage(error);
  return { status, errors: { form: message }, ...(headers ? { headers } : {}) };
}

/** Everything the account page shows; `query` carries the outcome of an OAuth link. */
export async function accountPageProps(
  deps: Deps,
  viewer: Viewer,
  query: { linked?: string | undefined; error?: string | undefined } = {},
): Promise<AccountPageProps> {
  const [methods, impact] = await Promise.all([
    account.signInMethods(deps, viewer.user.id),
    account.deletionImpact(deps, viewer.user.id),
  ]);
  return {
    user: viewer.user,
    csrfToken: viewer.csrfToken,
    methods: {
      password: methods.password,
      linked: methods.providers,
      configured: { google: Boolean(deps.config.oauth.google), github: Boolean(deps.config.oauth.github) },
      notice: isProvider(query.linked)
        ? `${LABELS[query.linked]} is linked: you can sign in with it.`
        : undefined,
      error: oauthErrorMessage(query.error),
    },
    impact,
  };
}

/** The account page's forms: name, password, provider links, export and deletion. */
export function accountSettingsPages(deps: Deps) {
  const ctx = (request: Request) => requestContext(request, deps.config.trustProxyHops);
  /**
   * The answer to a form: its section alone for htmx; otherwise back to the page after a
   * success (post/redirect/get), or the whole page with the section's errors.
   */
  const answer = async (
    request: Request,
    viewer: Viewer,
    section: JSX.Element,
    failure?: Failure,
    page: Partial<AccountPageProps> = {},
  ) => {
    if (wantsFragment(request)) return html(section, failure?.status, failure?.headers);
    if (!failure) return redirectAfterPost(request, "/account");
    const props = { ...(await accountPageProps(deps, viewer)), ...page };
    return html(<AccountPage {...props} />, failure.status, failure.headers);
  };

  return new Elysia({ name: "account-settings-pages" })
    .use(sessionPlugin(deps))
    .post(
      "/account/profile",
      async ({ viewer, body, request }) => {
        const values = { firstName: body.firstName ?? "", lastName: body.lastName ?? "" };
        const errors = formErrors(ProfileBody, values);
        const form = (props: Parameters<typeof ProfileForm>[0]) => <ProfileForm {...props} />;
        if (Object.keys(errors).length > 0) {
          const failure = { status: 422, errors };
          return answer(request, viewer, form({ csrfToken: viewer.csrfToken, values, errors }), failure, {
            profileErrors: errors,
          });
        }
        const user = await account.updateProfile(deps, viewer.user.id, values);
        const saved = form({ csrfToken: viewer.csrfToken, values: user, notice: "Name saved." });
        // The header greets the user by name: it follows the change without a reload.
        const header = (
          <hx-partial hx-target="#viewer-name" hx-swap="innerHTML" safe>
            {displayName(user)}
          </hx-partial>
        );
        return answer(
          request,
          viewer,
          <>
            {saved}
            {header}
          </>,
        );
      },
      { session: true, body: FormBody },
    )
    .post(
      "/account/password",
      async ({ viewer, body, request }) => {
        const hasPassword = viewer.user.hasPassword;
        const input: PasswordInput = {
          newPassword: body.newPassword ?? "",
          ...(hasPassword ? { currentPassword: body.currentPassword ?? "" } : {}),
        };
        const section = (props: { errors?: FieldErrors; notice?: string; hasPassword?: boolean }) => (
          <PasswordForm csrfToken={viewer.csrfToken} hasPassword={hasPassword} {...props} />
        );
        const errors = formErrors(PasswordBody, input);
        const problem = newPasswordProblem(input.newPassword);
        if (problem) errors.newPassword ??= `New password ${problem}`;
        if (hasPassword && !input.currentPassword) errors.currentPassword ??= "Current password is required";
        const failure = Object.keys(errors).length > 0 ? { status: 422, errors } : undefined;
        if (failure)
          return answer(request, viewer, section({ errors: failure.errors }), failure, {
            passwordErrors: failure.errors,
          });
        try {
          const ended = await account.changePassword(deps, viewer.principal, input, ctx(request));
          const notice = `Password ${hasPassword ? "changed" : "set"}. ${ended} other session${ended === 1 ? " was" : "s were"} signed out.`;
          return answer(request, viewer, section({ notice, hasPassword: true }));
        } catch (error) {
          const failed = formFailure(error, "currentPassword");
          return answer(request, viewer, section({ errors: failed.errors }), failed, {
            passwordErrors: failed.errors,
          });
        }
      },
      { session: true, body: FormBody },
    )
    .post(
      "/account/links/:provider",
      ({ viewer, params, request, cookie, set }) => {
        const location = beginAuthorization(deps, params.provider, request, cookie, {
          linkUserId: viewer.user.id,
        });
        // On `set`, not a returned Response, so the state cookie's Set-Cookie rides along.
        set.status = 303;
        set.headers.location = location;
        set.headers["cache-control"] = "no-store";
      },
      { session: true, params: LinkParams },
    )
    .post(
      "/account/links/:provider/unlink",
      async ({ viewer, params, request }) => {
        const label = LABELS[params.provider];
        let notice: string | undefined;
        let error: string | undefined;
        try {
          await account.unlinkProvider(deps, viewer.user.id, params.provider, ctx(request));
          notice = `${label} is unlinked.`;
        } catch (failure) {
          if (!(failure instanceof ConflictError || failure instanceof NotFoundError)) throw failure;
          error = failure.message;
        }
        const { methods } = await accountPageProps(deps, viewer);
        const section = (
          <SignInMethods csrfToken={viewer.csrfToken} {...methods} notice={notice} error={error} />
        );
        const failed = error ? { status: 409, errors: { form: error } } : undefined;
        return answer(request, viewer, section, failed, { methods: { ...methods, error } });
      },
      { session: true, params: LinkParams },
    )
    .get(
      "/account/export",
      ({ viewer }) =>
        new Response(exportAccount(deps, viewer.user.id), {
          headers: {
            "content-type": "application/zip",
            "content-disposition": `attachment; filename="${exportFileName()}"`,
            "cache-control": "no-store",
          },
        }),
      { session: true },
    )
    .post(
      "/account/delete",
      async ({ viewer, body, request, cookie }) => {
        const confirm = { password: body.password, email: body.email };
        try {
          await account.deleteAccount(deps, viewer.principal, confirm, ctx(request));
        } catch (error) {
          const failed = formFailure(error, "password");
          const { impact } = await accountPageProps(deps, viewer);
          const section = (
            <DeleteAccount
              csrfToken={viewer.csrfToken}
              hasPassword={viewer.user.hasPassword}
              email={viewer.user.email}
              errors={failed.errors}
              {...impact}
            />
          );
          return answer(request, viewer, section, failed, { deleteErrors: failed.errors });
        }
        clearSessionCookies(cookie as CookieJar, deps.config.production);
        return redirectAfterPost(request, "/", { full: true });
      },
      { session: true, body: FormBody },
    );
}
