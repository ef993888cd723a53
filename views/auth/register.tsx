import { LINK } from "../components/_button.tsx";
import { OAuthButtons, type OAuthProviders } from "../components/_oauth-buttons.tsx";
import { AuthLayout } from "../layouts/auth.tsx";
import { RegisterForm, type RegisterFormProps } from "./_register-form.tsx";
import { withNext } from "./urls.ts";

/** The sign-up page. */
export function RegisterPage(props: RegisterFormProps & { providers: OAuthProviders }) {
  return (
    <AuthLayout title="Create your account" heading="Create your account" csrfToken={props.csrfToken}>
      <div class="space-y-5">
        <OAuthButtons providers={props.providers} next={props.next} />
        <RegisterForm {...props} />
        <p class="text-center text-sm text-slate-600 dark:text-slate-400">
          Already have an account?{" "}
          <a href={withNext("/login", props.next)} class={`${LINK} font-medium`}>
            Sign in
          </a>
        </p>
      </div>
    </AuthLayout>
  );
}
