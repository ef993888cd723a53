import { Elysia } from "elysia";
import type { Deps } from "../deps.ts";
import { accountPages } from "../features/account/pages.tsx";
import { aiPages } from "../features/ai/pages.tsx";
import { authPages } from "../features/auth/pages.tsx";
import { contextPages } from "../features/context/pages.tsx";
import { editorPages } from "../features/editor/pages.tsx";
import { memberPages } from "../features/projects/member-pages.tsx";
import { projectPages } from "../features/projects/pages.tsx";
import { sandboxPages } from "../features/sandbox/pages.ts";
import { usagePages } from "../features/usage/pages.tsx";
import { csrfPlugin } from "./csrf.ts";
import { securityHeadersWrap } from "./security-headers.ts";

/**
 * The browser-facing layer in one plugin: security headers on every response, the CSRF check
 * on every state-changing HTML request registered after it, and the account pages.
 */
export function htmlFace(deps: Deps) {
  return new Elysia({ name: "html-face" })
    .wrap(securityHeadersWrap(deps.config.production))
    .use(csrfPlugin(deps))
    .use(authPages(deps))
    .use(accountPages(deps))
    .use(projectPages(deps))
    .use(editorPages(deps))
    .use(memberPages(deps))
    .use(sandboxPages(deps))
    .use(aiPages(deps))
    .use(contextPages(deps))
    .use(usagePages(deps));
}
