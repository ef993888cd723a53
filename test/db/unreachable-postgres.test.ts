import { expect, test } from "bun:test";
import { openDatabase } from "../../src/db/client.ts";
import { UnavailableError } from "../../src/errors.ts";
import { createLogger } from "../../src/logger.ts";

test("an unreachable PostgreSQL keeps the handle unready, redacts the password and stops retrying on close", async () => {
  const lines: string[] = [];
  const logger = createLogger({ logLevel: "warn" }, { write: (line: string) => lines.push(line) });
  const handle = openDatabase(
    {
      databaseUrl: "postgres://postgres:s3cret-pw@127.0.0.1:1/x",
      dataDir: "/nonexistent",
      retry: { initialMs: 50, maxMs: 100 },
    },
    logger,
  );
  // openDatabase must not block on the connection: the handle comes back still opening.
  expect(handle.status()).toEqual({ kind: "postgres", ready: false, error: "still opening" });

  while (lines.length < 2) await Bun.sleep(20);
  const status = handle.status();
  expect(status.ready).toBe(false);
  expect(status.error).toBeString();
  expect(lines.join("\n")).not.toContain("s3cret-pw");
  expect(lines[0]).toContain("postgres://[redacted]@127.0.0.1:1/x");

  const failure = await handle.get(200).catch((e: unknown) => e);
  expect(failure).toBeInstanceOf(UnavailableError);
  expect((failure as Error).message).toStartWith("Database unavailable: ");
  expect((failure as Error).message).not.toContain("s3cret-pw");
  expect(handle.ping()).rejects.toBeInstanceOf(UnavailableError);

  await handle.close();
  const attempts = lines.length;
  await Bun.sleep(300);
  expect(lines.length).toBe(attempts);
  expect(handle.status()).toEqual({ kind: "postgres", ready: false, error: "closed" });
  expect(handle.get(1_000)).rejects.toBeInstanceOf(UnavailableError);
});
