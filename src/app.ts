import { Elysia } from "elysia";
import type { Deps } from "./deps.ts";
import { aiRoutes } from "./features/ai/routes.ts";
import { oauthRoutes } from "./features/auth/oauth/routes.ts";
import { authRoutes } from "./features/auth/routes.ts";
import { contextRoutes } from "./features/context/routes.ts";
import { apiDocs } from "./features/docs/routes.ts";
import { healthRoutes } from "./features/health/routes.ts";
import { offlineRoutes } from "./features/offline/routes.ts";
import { pageRoutes } from "./features/pages/routes.tsx";
import { memberRoutes } from "./features/projects/member-routes.ts";
import { projectRoutes } from "./features/projects/routes.ts";
import { sandboxRoutes } from "./features/sandbox/routes.ts";
import { bodyLimit } from "./plugins/body-limit.ts";
import { cachePolicy } from "./plugins/cache-policy.ts";
import { errorPlugin } from "./plugins/errors.tsx";
import { htmlFace } from "./plugins/html-face.ts";
import { staticPlugin } from "./plugins/static.ts";
import { routeTracker, transport } from "./plugins/transport.ts";
import { nameValidationFields } from "./plugins/validation-fields.ts";

/** Build the HTTP application on the given dependencies, without listening. */
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
    .use(projectRoutes(deps))
    .use(memberRoutes(deps))
    .use(contextRoutes(deps))
    .use(sandboxRoutes(deps))
    .use(aiRoutes(deps))
    .use(oauthRoutes(deps))
    .use(htmlFace(deps))
    .use(pageRoutes(deps))
    .use(apiDocs);
  nameValidationFields(app);
  return app;
}

export type App = ReturnType<typeof createApp>;
