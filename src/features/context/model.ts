import { t } from "elysia";

export const ContextQuery = t.Object({
  q: t.String({ minLength: 1, maxLength: 500, pattern: "\\S", description: "What to look for" }),
  limit: t.Optional(t.Integer({ minimum: 1, maximum: 50, default: 10 })),
});
