import { LINK } from "../components/_button.tsx";
import { OAuthButtons, type OAuthProviders } from "../components/_oauth-buttons.tsx";
import { AuthLayout } from "../layouts/auth.tsx";
import { LoginForm, type LoginFormProps } from "./_login-form.tsx";
import { withNext } from "./urls.ts";

/** The sign-in page. */
export function LoginPage(props: LoginFormProps & { providers: OAuthProviders }) {
  return (
    <AuthLayout title="Sign in" heading="Sign in to Aura" csrfToken={props.csrfToken}>
      <div class="space-y-5">
        <OAuthButtons providers={props.providers} next={props.next} />
        <LoginForm {...props} />
        <p class="text-center text-sm text-slate-600 dark:text-slate-400">
          New to Aura?{" "}
          <a href={withNext("/register", props.next)} class={`${LINK} font-medium`}>
            Create an account
          </a>
        </p>
      </div>
    </AuthLayout>
  );
}
