import { Elysia } from "elysia";
import type { Deps } from "../../deps.ts";
import { UnauthorizedError } from "../../errors.ts";
import { type Allowance, createAllowances } from "../../plugins/allowances.ts";
import { authenticate } from "./service.ts";

export type { Allowance } from "../../plugins/allowances.ts";

/** The caller of an authenticated JSON route. */
export interface Principal {
  userId: string;
  sessionId: string;
}

/**
 * The JSON face's guard: `{ auth: true }` (or `"editor"`) on a route requires a valid Bearer
 * access token whose session is still active, resolves `principal`, and counts the call
 * against the user's allowance, answering with RateLimit-* headers and 429 when spent.
 */
export function authPlugin(deps: Pick<Deps, "db" | "cache" | "memo" | "config" | "tokens">) {
  const allowances = createAllowances(deps);
  return new Elysia({ name: "auth" }).macro({
    auth: (allowance: true | Allowance) => ({
      async resolve({ request, set }) {
        const header = request.headers.get("authorization") ?? "";
        const match = /^Bearer\s+(\S+)$/i.exec(header);
        if (!match) throw new UnauthorizedError("Bearer access token required");
        const principal: Principal = await authenticate(deps, match[1]!);

        await allowances.charge(allowance === true ? "api" : allowance, principal.userId, set);
        return { principal };
      },
    }),
  });
}
