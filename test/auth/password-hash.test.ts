import { describe, expect, test } from "bun:test";
import { hashPassword, verifyPassword } from "../../src/features/auth/password-hash.ts";

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
