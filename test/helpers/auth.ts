import type { TestApp } from "./app.ts";

let counter = 0;

/** A unique, valid registration body. */
export function newAccount(
  overrides: Partial<Record<"email" | "password" | "firstName" | "lastName", string>> = {},
) {
  counter++;
  return {
    email: `user${counter}-${crypto.randomUUID().slice(0, 8)}@example.com`,
    password: "correct horse battery",
    firstName: "Ada",
    lastName: "Lovelace",
    ...overrides,
  };
}

/** POST JSON through the app. */
export function postJson(t: TestApp, path: string, body: unknown, headers: Record<string, string> = {}) {
  return t.request(path, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

/** Register a fresh account through the API and return its credentials and tokens. */
export async function registerUser(t: TestApp, overrides: Parameters<typeof newAccount>[0] = {}) {
  const account = newAccount(overrides);
  const res = await postJson(t, "/api/v1/auth/register", account);
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as {
    user: { id: string; email: string };
    token: string;
    refreshToken: string;
    expiresIn: number;
  };
  return { ...account, ...body, auth: { authorization: `Bearer ${body.token}` } };
}
