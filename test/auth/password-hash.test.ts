import { describe, expect, test } from "bun:test";
import { hashPassword, verifyPassword } from "../../src/features/auth/password-hash.ts";
import { currentUser } from "../../src/features/auth/service.ts";
import { createTestApp } from "../helpers/app.ts";
import { registerUser } from "../helpers/auth.ts";

describe("password hashing", () => {
  test("new hashes are argon2id at 19 MiB, 2 passes, 1 lane", async () => {
    const hash = await hashPassword("correct horse battery");
    expect(hash).toStartWith("$argon2id$v=19$m=19456,t=2,p=1$");
    expect(await verifyPassword("correct horse battery", hash)).toBe(true);
    expect(await verifyPassword("correct horse batterY", hash)).toBe(false);
  });

  test("a hash made with Bun's default parameters (64 MiB) still verifies", async () => {
    const old = await Bun.password.hash("an older password", { algorithm: "argon2id" });
    expect(old).toContain("m=65536");
    expect(await verifyPassword("an older password", old)).toBe(true);
  });
});

describe("the signed-in user", () => {
  test("as routes and pages see it carries whether a password is set, never the hash", async () => {
    const t = await createTestApp();
    try {
      const user = await registerUser(t);
      const seen = await currentUser(t.deps, user.user.id);
      expect(seen.hasPassword).toBe(true);
      expect(seen).not.toHaveProperty("passwordHash");
      expect(JSON.stringify(seen)).not.toContain("$argon2");
    } finally {
      await t.close();
    }
  });
});
