import { t } from "elysia";

// Optional names: an empty string clears one (an OAuth account may have none).
const name = t.String({ maxLength: 100 });

export const ProfileBody = t.Object({
  firstName: t.Optional(name),
  lastName: t.Optional(name),
});

export const PasswordBody = t.Object({
  currentPassword: t.Optional(
    t.String({ maxLength: 1024, description: "Required when the account already has a password" }),
  ),
  newPassword: t.String({
    minLength: 10,
    maxLength: 1024,
    description: "At least 10 characters, not whitespace alone",
  }),
});

export const DeleteAccountBody = t.Object({
  password: t.Optional(
    t.String({ maxLength: 1024, description: "Required when the account has a password" }),
  ),
  email: t.Optional(
    t.String({
      maxLength: 254,
      description: "For an account without a password: its email address, typed out to confirm",
    }),
  ),
});

export const LinkParams = t.Object({
  provider: t.UnionEnum(["google", "github"], { description: "OAuth provider" }),
});

/** The JSON face names a link by any string: one that is no provider is a link that does not exist (404). */
export const LinkPathParams = t.Object({
  provider: t.String({ maxLength: 64, description: "`google` or `github`" }),
});

export type PasswordInput = typeof PasswordBody.static;
