import { t } from "elysia";

export const ProviderParams = t.Object({
  provider: t.UnionEnum(["google", "github"], { description: "OAuth provider" }),
});

export const StartQuery = t.Object({
  next: t.Optional(t.String({ maxLength: 512, description: "Path on this site to land on after sign-in" })),
});

// Providers add their own parameters (Google: scope, authuser, prompt, iss); those pass unread.
export const CallbackQuery = t.Object({
  code: t.Optional(t.String({ maxLength: 2048 })),
  state: t.Optional(t.String({ maxLength: 512 })),
  error: t.Optional(t.String({ maxLength: 256 })),
  error_description: t.Optional(t.String({ maxLength: 2048 })),
});
