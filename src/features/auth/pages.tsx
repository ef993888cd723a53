import { Elysia, t } from "elysia";
import { LoginForm } from "../../../views/auth/_login-form.tsx";
import { RegisterForm } from "../../../views/auth/_register-form.tsx";
import { LoginPage } from "../../../views/auth/login.tsx";
import { RegisterPage } from "../../../views/auth/register.tsx";
import { requestContext } from "../../common/http.ts";
import type { Deps } from "../../deps.ts";
import { html, redirectAfterPost, wantsFragment } from "../../plugins/htmx.ts";
import { issueCsrfToken } from "./csrf.ts";
import { type FieldErrors, formErrors, serviceErrorMessage } from "./form-errors.ts";
import { LoginBody, type LoginInput, newPasswordProblem, RegisterBody, type RegisterInput } from "./model.ts";
import { HOME, safeNextPath } from "./next-path.ts";
import { oauthErrorMessage } from "./oauth/errors.ts";
import * as auth from "./service.ts";
import {
  type CookieJar,
  clearSessionCookies,
  refreshCookie,
  writeSessionCookies,
} from "./session-cookies.ts";
import { currentViewer } from "./session-guard.ts";

// Forms are checked against the auth models by hand so errors render inline (422), not as a 400.
const FormBody = t.Record(t.String(), t.String({ maxLength: 4096 }));
const NextQuery = t.Object({ next: t.Optional(t.String({ maxLength: 2048 })) });
// An OAuth callback that failed sends the browser here with a code; only known codes are shown.
const LoginQuery = t.Object({
  next: t.Optional(t.String({ maxLength: 2048 })),
  error: t.Optional(t.String({ maxLength: 64 })),
  provider: t.Optional(t.String({ maxLength: 16 })),
});

const hasErrors = (errors: FieldErrors) => Object.keys(errors).length > 0;

/** The HTML face of accounts: sign-up, sign-in and sign-out forms over the auth service. */
export function authPages(deps: Deps) {
  const production = deps.config.production;
  const providers = { google: Boolean(deps.config.oauth.google), github: Boolean(deps.config.oauth.github) };
  const ctx = (request: Request) => requestContext(request, deps.config.trustProxyHops);

  return new Elysia({ name: "auth-pages" })
    .get(
      "/register",
      async ({ request, cookie, query, redirect }) => {
        const jar = cookie as CookieJar;
        const next = safeNextPath(query.next);
        if (await currentViewer(deps, request, jar)) return redirect(next ?? HOME, 303);
        const csrfToken = issueCsrfToken(deps, jar);
        return html(
          wantsFragment(request) ? (
            <RegisterForm {...{ csrfToken, next }} />
          ) : (
            <RegisterPage {...{ csrfToken, next, providers }} />
          ),
        );
      },
      { query: NextQuery },
    )
    .post(
      "/register",
      async ({ request, cookie, body, query }) => {
        const jar = cookie as CookieJar;
        const csrfToken = issueCsrfToken(deps, jar);
        const next = safeNextPath(query.next);
        const values = {
          email: body.email ?? "",
          firstName: (body.firstName ?? "").trim(),
          lastName: (body.lastName ?? "").trim(),
        };
        const render = (errors: FieldErrors, status: number, headers?: Record<string, string>) => {
          const props = { csrfToken, next, values, errors };
          return html(
            wantsFragment(request) ? (
              <RegisterForm {...props} />
            ) : (
              <RegisterPage {...props} providers={providers} />
            ),
            status,
            headers,
          );
        };
        const input = { ...values, password: body.password };
        const errors = formErrors(RegisterBody, input);
        const problem = typeof input.password === "string" ? newPasswordProblem(input.password) : undefined;
        if (problem) errors.password ??= `Password ${problem}`;
        if (hasErrors(errors)) return render(errors, 422);
        try {
          const issued = await auth.register(deps, input as RegisterInput, ctx(request));
          writeSessionCookies(jar, issued, production);
          return redirectAfterPost(request, next ?? HOME);
        } catch (error) {
          const { status, message, headers } = serviceErrorMessage(error);
          return render(status === 409 ? { email: message } : { form: message }, status, headers);
        }
      },
      { body: FormBody, query: NextQuery },
    )
    .get(
      "/login",
      async ({ request, cookie, query, redirect }) => {
        const jar = cookie as CookieJar;
        const next = safeNextPath(query.next);
        if (await currentViewer(deps, request, jar)) return redirect(next ?? HOME, 303);
        const csrfToken = issueCsrfToken(deps, jar);
        const errors = { form: oauthErrorMessage(query.error) };
        return html(
          wantsFragment(request) ? (
            <LoginForm {...{ csrfToken, next, errors }} />
          ) : (
            <LoginPage {...{ csrfToken, next, errors, providers }} />
          ),
        );
      },
      { query: LoginQuery },
    )
    .post(
      "/login",
      async ({ request, cookie, body, query }) => {
        const jar = cookie as CookieJar;
        const csrfToken = issueCsrfToken(deps, jar);
        const next = safeNextPath(query.next);
        const values = { email: body.email ?? "" };
        const render = (errors: FieldErrors, status: number, headers?: Record<string, string>) => {
          const props = { csrfToken, next, values, errors };
          return html(
            wantsFragment(request) ? (
              <LoginForm {...props} />
            ) : (
              <LoginPage {...props} providers={providers} />
            ),
            status,
            headers,
          );
        };
        const input = { email: values.email, password: body.password };
        const errors = formErrors(LoginBody, input);
        if (!input.password) errors.password ??= "Password is required";
        if (hasErrors(errors)) return render(errors, 422);
        try {
          const issued = await auth.login(deps, input as LoginInput, ctx(request));
          writeSessionCookies(jar, issued, production);
          return redirectAfterPost(request, next ?? HOME);
        } catch (error) {
          const { status, message, headers } = serviceErrorMessage(error);
          return render({ form: message }, status, headers);
        }
      },
      { body: FormBody, query: NextQuery },
    )
    .post("/logout", async ({ request, cookie }) => {
      const jar = cookie as CookieJar;
      const refreshToken = refreshCookie(jar, production);
      if (refreshToken) await auth.logout(deps, refreshToken, ctx(request));
      clearSessionCookies(jar, production);
      const done = redirectAfterPost(request, "/", { full: true });
      // The browser forgets what Aura kept in it: local copies of documents, unsaved offline
      // edits (the page asked first), the offline pages and the service worker. Not "cache":
      // pages are never cached, and the hashed assets are not the user's.
      done.headers.set("clear-site-data", '"storage"');
      return done;
    });
}
