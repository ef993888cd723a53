import { t } from "elysia";

/** Passwords: at least 10 characters (docs/api.md); the upper bound only stops abuse of the hasher. */
const PASSWORD_MIN = 10;

/**
 * What is wrong with a password being set, beyond its length, or undefined. Whitespace alone
 * (spaces, tabs, any Unicode space) is refused: it passes the length rule yet is among the first
 * things guessed. Every place that sets a password asks this, so the rule has one home.
 */
export function newPasswordProblem(password: string): string | undefined {
  if (!/\S/u.test(password))
    return "must contain a character other than whitespace (spaces alone are easy to guess)";
  return undefined;
}

// Surrounding whitespace is allowed (pasted addresses); the service trims and lowercases.
const email = t.String({
  maxLength: 254,
  pattern: "^\\s*[^\\s@]+@[^\\s@]+\\.[^\\s@]+\\s*$",
  description: "Email address",
});
const name = t.String({ minLength: 1, maxLength: 100 });

export const RegisterBody = t.Object({
  email,
  password: t.String({
    minLength: PASSWORD_MIN,
    maxLength: 1024,
    description: `At least ${PASSWORD_MIN} characters, not whitespace alone`,
  }),
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
