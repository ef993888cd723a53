import { t } from "elysia";

export const ContextQuery = t.Object({
  q: t.String({ minLength: 1, maxLength: 500, pattern: "\\S", description: "What to look for" }),
  limit: t.Optional(t.Integer({ minimum: 1, maximum: 50, default: 10 })),
});

export const SymbolQuery = t.Object({
  q: t.Optional(t.String({ maxLength: 200 })),
  limit: t.Optional(t.Integer({ minimum: 1, maximum: 100, default: 30 })),
});
