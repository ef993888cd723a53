import { expect, test } from "bun:test";
import { DrizzleQueryError } from "drizzle-orm/errors";
import { describeDbError, isUniqueViolation, sqlState } from "../../src/db/errors.ts";

const driverError = (code: string, message: string) => Object.assign(new Error(message), { code });

test("a unique violation is recognised bare and inside drizzle's query wrapper", () => {
  const raw = driverError("23505", 'duplicate key value violates unique constraint "users_email_unique"');
  expect(isUniqueViolation(raw)).toBe(true);
  expect(isUniqueViolation(new DrizzleQueryError("insert into users ...", [], raw))).toBe(true);
  expect(isUniqueViolation(driverError("23503", "foreign key"))).toBe(false);
  expect(isUniqueViolation("23505")).toBe(false);
});

test("a network error code is not mistaken for a SQLSTATE", () => {
  expect(sqlState(driverError("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:1"))).toBeUndefined();
});

test("a failure is described by the driver's message rather than drizzle's query dump", () => {
  const wrapped = new DrizzleQueryError("CREATE TABLE ... (a very long migration)", [], new Error("boom"));
  expect(describeDbError(wrapped)).toBe("boom");
  expect(describeDbError(new Error("plain"))).toBe("plain");
});
