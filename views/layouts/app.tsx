import type { PropsWithChildren } from "@kitajs/html";
import { assetUrl } from "../../src/assets.ts";
import type { AccountUser } from "../../src/db/schema/users.ts";
import { Button, NAV_ITEM } from "../components/_button.tsx";
import { CsrfField } from "../components/_csrf-field.tsx";
import { Logo } from "../components/_logo.tsx";
import { BaseLayout } from "./base.tsx";

export interface AppLayoutProps {
  title: string;
  user: AccountUser;
  csrfToken: string;
  /** Which nav item is the current page. */
  section: "projects" | "usage" | "account";
}

/** The name to greet a user by: their full name, or their email when they gave none. */
export function displayName(user: Pick<AccountUser, "firstName" | "lastName" | "email">): string {
  return [user.firstName, user.lastName].filter(Boolean).join(" ").trim() || user.email;
}

const NAV = [
  { section: "projects", href: "/projects", label: "Projects" },
  { section: "usage", href: "/usage", label: "Usage" },
  { section: "account", href: "/account", label: "Account" },
] as const;

/** The signed-in shell: header with navigation, the user's name and a sign-out button. */
export function AppLayout({ title, user, csrfToken, section, children }: PropsWithChildren<AppLayoutProps>) {
  return (
    <BaseLayout title={title} csrfToken={csrfToken}>
      <div class="flex min-h-screen flex-col">
        <header class="border-b border-slate-200 dark:border-ink-700">
          {/* On a phone the navigation takes a row of its own under the logo and Sign out. */}
          <div class="mx-auto flex w-full max-w-5xl flex-wrap items-center gap-x-3 gap-y-1 px-4 py-2 sm:flex-nowrap sm:gap-6 sm:px-6 sm:py-3">
            <Logo />
            <nav
              aria-label="Main"
              class="order-last -mx-2.5 flex w-full items-center gap-1 text-sm sm:order-none sm:mx-0 sm:w-auto"
            >
              {NAV.map((item) => (
                <a
                  href={item.href}
                  aria-current={item.section === section ? "page" : undefined}
                  class={NAV_ITEM}
                >
                  {item.label}
                </a>
              ))}
            </nav>
            <div class="ml-auto flex min-w-0 items-center gap-3 text-sm">
              <span
                id="viewer-name"
                class="hidden max-w-48 truncate text-slate-600 sm:inline dark:text-slate-300"
                safe
              >
                {displayName(user)}
              </span>
              <form method="post" action="/logout">
                <CsrfField token={csrfToken} />
                <Button type="submit">Sign out</Button>
              </form>
            </div>
          </div>
        </header>
        <main class="mx-auto w-full max-w-5xl flex-1 px-4 py-8 sm:px-6 sm:py-10">{children}</main>
      </div>
      <script type="module" src={assetUrl("signout.js")}></script>
    </BaseLayout>
  );
}
