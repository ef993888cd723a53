import { Elysia, t } from "elysia";
import { UsagePage } from "../../../views/usage/usage.tsx";
import type { Deps } from "../../deps.ts";
import { html } from "../../plugins/htmx.ts";
import { sessionPlugin } from "../auth/session-guard.ts";
import { PERIODS, type Period, usageReport } from "./service.ts";

const Query = t.Object({
  days: t.Optional(t.Union(PERIODS.map((d) => t.Literal(String(d))))),
});

/** The usage dashboards: `/usage` (your own) and `/admin/usage` (everyone's; admins only, else 403). */
export function usagePages(deps: Deps) {
  const page =
    (everyone: boolean) =>
    async ({
      viewer,
      query,
    }: {
      viewer: { user: Parameters<typeof UsagePage>[0]["user"]; csrfToken: string };
      query: { days?: string };
    }) => {
      const days = Number(query.days ?? 30) as Period;
      const report = await usageReport(
        deps,
        { userId: viewer.user.id, role: viewer.user.role },
        { days, everyone },
      );
      return html(<UsagePage user={viewer.user} csrfToken={viewer.csrfToken} report={report} />);
    };
  return new Elysia({ name: "usage-pages" })
    .use(sessionPlugin(deps))
    .get("/usage", page(false), { session: true, query: Query })
    .get("/admin/usage", page(true), { session: true, query: Query });
}
