import { describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ConfigError,
  DERIVED_UID_BLOCK,
  DERIVED_UID_FIRST,
  HELICONE_GATEWAY_URL,
  loadConfig,
  parseRate,
  parseSize,
} from "../src/config.ts";

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
    expect(config.rateLimits.login).toEqual({ points: 10, durationSeconds: 900 });
    expect(config.rateLimits.loginIp).toEqual({ points: 50, durationSeconds: 900 });
    expect(config.oauth.google).toBeUndefined();
    expect(config.ai.maxStreamsPerUser).toBe(4);
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
    ["RATE_LIMIT_LOGIN_IP", "50 per 15 minutes"],
    ["LOG_LEVEL", "loud"],
    ["AI_MAX_STREAMS_PER_USER", "-1"],
    ["AI_MAX_STREAMS_PER_USER", "four"],
    ["JWT_SECRET", "short"],
    ["SANDBOX_UID_BASE", "0"],
    ["SANDBOX_UID_BASE", "60000x"],
    ["SANDBOX_MEMORY_MIB", "8"],
    ["SANDBOX_TMP_MIB", "0"],
    ["SANDBOX_PROCESSES", "4"],
    ["AURA_DEBUG", "yes please"],
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

  test("error stacks stay out of responses unless AURA_DEBUG asks, and production refuses to send them", () => {
    expect(loadConfig({ ...base(), NODE_ENV: "development" }).debugErrors).toBe(false);
    expect(loadConfig({ ...base(), NODE_ENV: "development", AURA_DEBUG: "1" }).debugErrors).toBe(true);
    expect(loadConfig({ ...base(), AURA_DEBUG: "0" }).debugErrors).toBe(false);
    const error = failure({ NODE_ENV: "production", AURA_DEBUG: "1" });
    expect(error.variable).toBe("AURA_DEBUG");
    expect(error.message).toContain("NODE_ENV=production");
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

  test("RATE_LIMIT_LOGIN_IP sets the failed logins allowed per address across emails", () => {
    expect(loadConfig({ ...base(), RATE_LIMIT_LOGIN_IP: "200/1h" }).rateLimits.loginIp).toEqual({
      points: 200,
      durationSeconds: 3600,
    });
  });

  test("AI_MAX_STREAMS_PER_USER sets the per-user limit of AI calls in progress; 0 turns it off", () => {
    expect(loadConfig({ ...base(), AI_MAX_STREAMS_PER_USER: "2" }).ai.maxStreamsPerUser).toBe(2);
    expect(loadConfig({ ...base(), AI_MAX_STREAMS_PER_USER: "0" }).ai.maxStreamsPerUser).toBe(0);
  });

  test("rate specs accept seconds, minutes and hours", () => {
    expect(parseRate("X", "5/30s")).toEqual({ points: 5, durationSeconds: 30 });
    expect(parseRate("X", "100/15m")).toEqual({ points: 100, durationSeconds: 900 });
    expect(parseRate("X", "20/1h")).toEqual({ points: 20, durationSeconds: 3600 });
  });

  test("the local sandbox's limits default to 512 MiB, 64 MiB per tmpfs and 64 processes, and can be set", () => {
    expect(loadConfig(base()).sandbox).toMatchObject({
      memoryBytes: 512 * 1024 * 1024,
      tmpBytes: 64 * 1024 * 1024,
      processes: 64,
    });
    const set = loadConfig({
      ...base(),
      SANDBOX_MEMORY_MIB: "1024",
      SANDBOX_TMP_MIB: "16",
      SANDBOX_PROCESSES: "128",
    }).sandbox;
    expect(set).toMatchObject({
      memoryBytes: 1024 * 1024 * 1024,
      tmpBytes: 16 * 1024 * 1024,
      processes: 128,
    });
  });

  test("two instances on one host get their own name and disjoint uid ranges; a restart keeps them", () => {
    const env = base();
    const a = loadConfig(env).sandbox;
    const again = loadConfig(env).sandbox;
    const otherDir = loadConfig(base()).sandbox;
    const otherPort = loadConfig({ ...env, PORT: "3001" }).sandbox;
    expect(again).toEqual(a);
    expect(a.instance).toMatch(/^[0-9a-f]{12}$/);
    for (const b of [otherDir, otherPort]) {
      expect(b.instance).not.toBe(a.instance);
      // Each range is base … base + 1023 (the probe uid and up to 1023 slots).
      expect(Math.abs(b.uidBase - a.uidBase)).toBeGreaterThanOrEqual(DERIVED_UID_BLOCK);
    }
    for (const c of [a, otherDir, otherPort]) {
      expect(c.uidBase).toBeGreaterThanOrEqual(DERIVED_UID_FIRST);
      expect(c.uidBase + DERIVED_UID_BLOCK).toBeLessThanOrEqual(0x7ffe0000);
      expect((c.uidBase - DERIVED_UID_FIRST) % DERIVED_UID_BLOCK).toBe(0);
    }
  });

  test("SANDBOX_UID_BASE overrides the derived uid range", () => {
    expect(loadConfig({ ...base(), SANDBOX_UID_BASE: "200000" }).sandbox.uidBase).toBe(200000);
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
