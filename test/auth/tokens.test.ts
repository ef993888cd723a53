import { describe, expect, test } from "bun:test";
import { UnauthorizedError } from "../../src/errors.ts";
import { createAccessTokens } from "../../src/features/auth/tokens.ts";

describe("access tokens", () => {
  const tokens = createAccessTokens("a-test-secret-that-is-long-enough-0123456789");
  const claims = { userId: "u-1", sessionId: "s-1" };

  test("a token verified once still expires on time (the verified-token cache honours exp)", async () => {
    // exp has whole-second precision: a 2 s token is valid for between 1 and 2 s.
    const token = await tokens.sign(claims, 2);
    expect(await tokens.verify(token)).toEqual(claims);
    expect(await tokens.verify(token)).toEqual(claims);
    await Bun.sleep(2100);
    await expect(tokens.verify(token)).rejects.toBeInstanceOf(UnauthorizedError);
  });

  test("only the exact signed string is remembered: one changed character fails", async () => {
    const token = await tokens.sign(claims);
    await tokens.verify(token);
    const last = token.at(-2) === "A" ? "B" : "A";
    const altered = `${token.slice(0, -2)}${last}${token.at(-1)}`;
    await expect(tokens.verify(altered)).rejects.toBeInstanceOf(UnauthorizedError);
  });

  test("another secret's instance does not accept this one's tokens, verified or not", async () => {
    const token = await tokens.sign(claims);
    await tokens.verify(token);
    const other = createAccessTokens("another-secret-that-is-long-enough-9876543210");
    await expect(other.verify(token)).rejects.toBeInstanceOf(UnauthorizedError);
  });
});
