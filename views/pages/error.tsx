import { LINK } from "../components/_button.tsx";
import { ErrorNotice, type ErrorProps } from "../components/_error.tsx";
import { Logo } from "../components/_logo.tsx";
import { BaseLayout } from "../layouts/base.tsx";

const TITLES: Record<number, string> = {
  400: "That request didn't look right",
  401: "Please sign in",
  403: "Not allowed",
  404: "Page not found",
  413: "That was too large",
  429: "Slow down a little",
};

/** A full error page for non-HTMX requests. */
export function ErrorPage(props: ErrorProps) {
  const title = TITLES[props.status] ?? (props.status >= 500 ? "Something went wrong" : "Error");
  return (
    <BaseLayout title={title} bodyClass="min-h-screen">
      <div class="mx-auto max-w-xl px-6 py-10">
        <Logo />
        <h1 class="mt-12 mb-6 text-3xl font-bold" safe>
          {title}
        </h1>
        <ErrorNotice {...props} />
        <p class="mt-8">
          <a href="/" class={LINK}>
            Back to Aura
          </a>
        </p>
      </div>
    </BaseLayout>
  );
}
