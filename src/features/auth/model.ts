import { t } from "elysia";

/** Passwords: at least 10 characters (API.md); the upper bound only stops abuse of the hasher. */
export const PASSWORD_MIN = 10;

// Surrounding whitespace is allowed (pasted addresses); the service trims and lowercases.
const email = t.String({
  maxLength: 254,
  pattern: "^\\s*[^\\s@]+@[^\\s@]+\\.[^\\s@]+\\s*$",
  description: "Email address",
});
const name = t.String({ minLength: 1, maxLength: 100 });

export const RegisterBody = t.Object({
  email,
  password: t.String({ minLength: PASSWORD_MIN, maxLength: 1024 }),
  firstName: name,
  lastName: name,
});

// Login accepts any shape of password so a short one is "invalid credentials", not a 400 hint.
export const LoginBody = t.Object({
  email: t.String({ minLength: 1, maxLength: 254 }),
  password: t.String({ maxLength: 1024 }),
});

export const RefreshBody = t.Object({ refreshToken: t.String({ minLength: 1, maxLength: 200 }) });

export const SessionParams = t.Object({ id: t.String({ maxLength: 64 }) });

export type RegisterInput = typeof RegisterBody.static;
export type LoginInput = typeof LoginBody.static;
