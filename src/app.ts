import { Elysia } from "elysia";
import type { Deps } from "./deps.ts";
import { accountPages } from "./features/account/pages.tsx";
import { accountRoutes } from "./features/account/routes.ts";
import { aiPages } from "./features/ai/pages.tsx";
import { aiRoutes } from "./features/ai/routes.ts";
import { csrfPlugin } from "./features/auth/csrf.ts";
import { oauthRoutes } from "./features/auth/oauth/routes.ts";
import { authPages } from "./features/auth/pages.tsx";
import { authRoutes } from "./features/auth/routes.ts";
import { contextPages } from "./features/context/pages.tsx";
import { contextRoutes } from "./features/context/routes.ts";
import { apiDocs } from "./features/docs/routes.ts";
import { editorPages } from "./features/editor/pages.tsx";
import { transferPages } from "./features/files/transfer-pages.tsx";
import { transferRoutes } from "./features/files/transfer-routes.ts";
import { gitPages } from "./features/git/pages.tsx";
import { gitRoutes } from "./features/git/routes.ts";
import { healthRoutes } from "./features/health/routes.ts";
import { offlineRoutes } from "./features/offline/routes.ts";
import { pageRoutes } from "./features/pages/routes.tsx";
import { previewPages } from "./features/preview/pages.tsx";
import { previewRoutes } from "./features/preview/routes.ts";
import { previewSite } from "./features/preview/serve.ts";
import { importRoutes } from "./features/projects/import-routes.ts";
import { memberPages } from "./features/projects/member-pages.tsx";
import { memberRoutes } from "./features/projects/member-routes.ts";
import { projectPages } from "./features/projects/pages.tsx";
import { projectRoutes } from "./features/projects/routes.ts";
import { sandboxPages } from "./features/sandbox/pages.ts";
import { sandboxRoutes } from "./features/sandbox/routes.ts";
import { terminalPages } from "./features/terminal/pages.tsx";
import { terminalRoutes } from "./features/terminal/routes.ts";
import { usagePages } from "./features/usage/pages.tsx";
import { bodyLimit } from "./plugins/body-limit.ts";
import { cachePolicy } from "./plugins/cache-policy.ts";
import { errorPlugin } from "./plugins/errors.tsx";
import { securityHeadersWrap } from "./plugins/security-headers.ts";
import { staticPlugin } from "./plugins/static.ts";
import { routeTracker, transport } from "./plugins/transport.ts";
import { nameValidationFields } from "./plugins/validation-fields.ts";

/**
 * The composition root: both faces of Aura on the given dependencies, without listening.
 * The JSON face (`/api/v1`, bearer or cookie auth) and the HTML face (pages and htmx
 * fragments) share the transport, error, body-limit and static layers.
 */
export function createApp(deps: Deps) {
  const app = new Elysia()
    .wrap(transport(deps.logger, deps.metrics))
    .wrap(cachePolicy())
    .use(errorPlugin({ logger: deps.logger, debug: deps.config.debugErrors }))
    .use(routeTracker())
    .use(bodyLimit())
    .use(staticPlugin())
    .use(offlineRoutes())
    .use(healthRoutes(deps))
    .use(authRoutes(deps))
    .use(accountRoutes(deps))
    .use(projectRoutes(deps))
    .use(memberRoutes(deps))
    .use(transferRoutes(deps))
    .use(importRoutes(deps))
    .use(gitRoutes(deps))
    .use(contextRoutes(deps))
    .use(sandboxRoutes(deps))
    .use(terminalRoutes(deps))
    .use(aiRoutes(deps))
    .use(previewRoutes(deps))
    .use(previewSite(deps))
    .use(oauthRoutes(deps))
    .use(htmlFace(deps))
    .use(pageRoutes(deps))
    .use(apiDocs);
  nameValidationFields(app);
  return app;
}

export type App = ReturnType<typeof createApp>;

/**
 * The browser-facing face: security headers on every response, and the CSRF check on every
 * state-changing request of the pages registered here, after it (an Elysia hook guards only
 * the routes registered after it: new HTML routes belong in this list).
 */
function htmlFace(deps: Deps) {
  return new Elysia({ name: "html-face" })
    .wrap(securityHeadersWrap(deps.config.production, deps.config.previewOrigin))
    .use(csrfPlugin(deps))
    .use(authPages(deps))
    .use(accountPages(deps))
    .use(projectPages(deps))
    .use(editorPages(deps))
    .use(transferPages(deps))
    .use(gitPages(deps))
    .use(memberPages(deps))
    .use(sandboxPages(deps))
    .use(terminalPages(deps))
    .use(aiPages(deps))
    .use(contextPages(deps))
    .use(previewPages(deps))
    .use(usagePages(deps));
}
