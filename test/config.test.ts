import { describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, HELICONE_GATEWAY_URL, loadConfig, parseRate, parseSize } from "../src/config.ts";

const SECRET = "s".repeat(40);
const base = () => ({ DATA_DIR: mkdtempSync(join(tmpdir(), "aura-config-")), JWT_SECRET: SECRET });

function failure(env: Record<string, string>): ConfigError {
  try {
    loadConfig({ ...base(), ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected loadConfig to refuse");
}

describe("configuration", () => {
  test("boots with no variables at all, using the documented defaults", () => {
    const dir = mkdtempSync(join(tmpdir(), "aura-config-"));
    const config = loadConfig({ DATA_DIR: dir });
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.redisUrl).toBeUndefined();
    expect(config.ai.baseUrl).toBeUndefined();
    expect(config.rateLimits.api).toEqual({ points: 100, durationSeconds: 900 });
    expect(config.rateLimits.register).toEqual({ points: 20, durationSeconds: 3600 });
    expect(config.oauth.google).toBeUndefined();
    expect(config.storage).toEqual({
      projectBytes: 50 * 1024 * 1024,
      userBytes: 500 * 1024 * 1024,
      userProjects: 100,
    });
  });

  test.each([
    ["PORT", "abc"],
    ["PORT", "70000"],
    ["NODE_ENV", "staging"],
    ["DATABASE_URL", "mysql://x"],
    ["DATABASE_URL", "not a url"],
    ["REDIS_URL", "http://127.0.0.1"],
    ["QDRANT_URL", "ftp://q"],
    ["AI_BASE_URL", "localhost:11434"],
    ["RATE_LIMIT_API", "100 per minute"],
    ["RATE_LIMIT_LOGIN", "0/15m"],
    ["LOG_LEVEL", "loud"],
    ["JWT_SECRET", "short"],
    ["PROJECT_SIZE_LIMIT", "50 megabytes"],
    ["PROJECT_SIZE_LIMIT", "1000"],
    ["USER_STORAGE_QUOTA", "-1"],
    ["USER_STORAGE_QUOTA", "99999999TiB"],
    ["USER_PROJECT_LIMIT", "lots"],
  ])("refuses %s=%p and names the variable", (name, value) => {
    const error = failure({ [name]: value });
    expect(error.variable).toBe(name);
    expect(error.message.startsWith(`${name}:`)).toBe(true);
  });

  test("an OAuth client id without its secret is refused by name", () => {
    expect(failure({ GITHUB_CLIENT_ID: "abc" }).variable).toBe("GITHUB_CLIENT_SECRET");
    expect(failure({ GOOGLE_CLIENT_SECRET: "abc" }).variable).toBe("GOOGLE_CLIENT_ID");
  });

  test("production refuses to start without JWT_SECRET", () => {
    const dir = mkdtempSync(join(tmpdir(), "aura-config-"));
    expect(() => loadConfig({ DATA_DIR: dir, NODE_ENV: "production" })).toThrow("JWT_SECRET");
    expect(existsSync(join(dir, "jwt-secret"))).toBe(false);
  });

  test("development generates one JWT secret, keeps it private in DATA_DIR and reuses it", () => {
    const dir = mkdtempSync(join(tmpdir(), "aura-config-"));
    const first = loadConfig({ DATA_DIR: dir }).jwtSecret;
    const second = loadConfig({ DATA_DIR: dir }).jwtSecret;
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(second).toBe(first);
    expect(readFileSync(join(dir, "jwt-secret"), "utf8")).toBe(first);
    expect(statSync(join(dir, "jwt-secret")).mode & 0o077).toBe(0);
  });

  test("HELICONE_API_KEY alone points the AI at Helicone's gateway; AI_API_KEY falls back to OPENAI_API_KEY", () => {
    const config = loadConfig({ ...base(), HELICONE_API_KEY: "h", OPENAI_API_KEY: "o" });
    expect(config.ai.baseUrl).toBe(HELICONE_GATEWAY_URL);
    expect(config.ai.apiKey).toBe("o");
    const own = loadConfig({
      ...base(),
      HELICONE_API_KEY: "h",
      AI_BASE_URL: "http://127.0.0.1:11434/v1",
      AI_API_KEY: "a",
    });
    expect(own.ai.baseUrl).toBe("http://127.0.0.1:11434/v1");
    expect(own.ai.apiKey).toBe("a");
  });

  test("rate specs accept seconds, minutes and hours", () => {
    expect(parseRate("X", "5/30s")).toEqual({ points: 5, durationSeconds: 30 });
    expect(parseRate("X", "100/15m")).toEqual({ points: 100, durationSeconds: 900 });
    expect(parseRate("X", "20/1h")).toEqual({ points: 20, durationSeconds: 3600 });
  });

  test("storage limits take bytes or KiB/MiB/GiB/TiB; a quota or project limit of 0 turns it off", () => {
    expect(parseSize("X", "1048576")).toBe(1024 * 1024);
    expect(parseSize("X", "512KiB")).toBe(512 * 1024);
    expect(parseSize("X", "2gib")).toBe(2 * 1024 ** 3);
    const config = loadConfig({
      ...base(),
      PROJECT_SIZE_LIMIT: "1MiB",
      USER_STORAGE_QUOTA: "0",
      USER_PROJECT_LIMIT: "0",
    });
    expect(config.storage).toEqual({ projectBytes: 1024 * 1024, userBytes: 0, userProjects: 0 });
  });

  test("empty values count as unset", () => {
    const config = loadConfig({ ...base(), DATABASE_URL: "", PORT: " " });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.port).toBe(3000);
  });
});
