import type { PropsWithChildren } from "@kitajs/html";
import { assetUrl } from "../../src/assets.ts";

export interface BaseProps {
  title: string;
  /** Extra classes for <body>; pages choose their own frame. */
  bodyClass?: string;
  /** Signed-in and form pages: every htmx request below <body> sends it as X-CSRF-Token. */
  csrfToken?: string | undefined;
}

/** The HTML document every full page shares: styles, htmx, favicon. No inline script. */
export function BaseLayout({ title, bodyClass, csrfToken, children }: PropsWithChildren<BaseProps>) {
  // htmx 4 inherits nothing implicitly; `:inherited` hands the header to every descendant.
  const csrfHeaders = csrfToken
    ? { "hx-headers:inherited": JSON.stringify({ "X-CSRF-Token": csrfToken }) }
    : {};
  return (
    <>
      {"<!doctype html>"}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title safe>{title === "Aura" ? title : `${title} · Aura`}</title>
          <meta name="description" content="Aura — a lightweight, self-hostable web IDE with AI built in." />
          <link rel="icon" href={assetUrl("favicon.svg")} type="image/svg+xml" />
          <link rel="stylesheet" href={assetUrl("app.css")} />
          <script src={assetUrl("htmx.js")} defer></script>
        </head>
        <body class={bodyClass ?? "min-h-screen"} {...csrfHeaders}>
          {children}
        </body>
      </html>
    </>
  );
}
