import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { RedisCache } from "../../src/adapters/cache/redis.ts";
import { UnavailableError } from "../../src/errors.ts";
import { inbox } from "../helpers/inbox.ts";
import { captureLogger, silentLogger } from "../helpers/logs.ts";
import { deleteKeys, randomPrefix, rawPublish, ThrowawayRedis } from "../helpers/redis.ts";

const redisUrl = process.env.REDIS_URL;

if (redisUrl) {
  describe("two Redis-backed instances", () => {
    const prefix = randomPrefix();
    let a: RedisCache;
    let b: RedisCache;

    beforeAll(async () => {
      a = new RedisCache({ url: redisUrl, prefix }, silentLogger());
      b = new RedisCache({ url: redisUrl, prefix }, silentLogger());
      await Promise.all([a.ping(), b.ping()]);
    });
    afterAll(async () => {
      await Promise.all([a.close(), b.close()]);
      await deleteKeys(redisUrl, prefix);
    });

    test("see each other's values and counters", async () => {
      await a.set("shared", "from a");
      expect(await b.get("shared")).toBe("from a");
      await b.del("shared");
      expect(await a.get("shared")).toBeNull();
      expect(await a.incr("hits", 60)).toBe(1);
      expect(await b.incr("hits", 60)).toBe(2);
    });

    test("count one limit together", async () => {
      const options = { name: "together", points: 3, durationSeconds: 60 };
      await a.limiter(options).consume("user");
      await b.limiter(options).consume("user");
      expect(await a.limiter(options).consume("user")).toMatchObject({ allowed: true, remaining: 0 });
      expect(await b.limiter(options).consume("user")).toMatchObject({ allowed: false, remaining: 0 });
      expect(await a.limiter(options).peek("user")).toMatchObject({ allowed: false, remaining: 0 });
    });

    test("count one set of leases together, and a crashed holder's leases lapse", async () => {
      const held = [await a.lease("streams", 2, 0.3), await b.lease("streams", 2, 0.3)];
      expect(held.every((lease) => lease !== null)).toBe(true);
      expect(await a.lease("streams", 2, 0.3)).toBeNull();
      expect(await b.leases("streams")).toBe(2);
      // The holders stop renewing, as an instance that crashed would: their slots come back.
      await Bun.sleep(400);
      expect(await b.leases("streams")).toBe(0);
      expect(await b.lease("streams", 2, 0.3)).not.toBeNull();
    });

    test("receive each other's events, the publisher included", async () => {
      const [onA, onB] = [inbox(), inbox()];
      const subs = [await a.subscribe("news", onA.handler), await b.subscribe("news", onB.handler)];
      await a.publish("news", "from a");
      await b.publish("news", "from b");
      expect((await onA.waitFor(2)).toSorted()).toEqual(["from a", "from b"]);
      expect((await onB.waitFor(2)).toSorted()).toEqual(["from a", "from b"]);
      await Bun.sleep(50);
      expect(onA.messages).toHaveLength(2); // delivered once, not once from Redis and once locally
      await Promise.all(subs.map((unsubscribe) => unsubscribe()));
    });
  });
} else {
  console.warn("two Redis-backed instances skipped: REDIS_URL is not set");
}

/** Run `call` and fail unless it settles within `ms` (the cache must not wait on a dead server). */
async function quickly<T>(call: () => Promise<T>, ms = 300): Promise<T> {
  const started = performance.now();
  try {
    return await call();
  } finally {
    expect(performance.now() - started).toBeLessThan(ms);
  }
}

const binary = ThrowawayRedis.binary();
if (!binary) {
  const reason = "redis-server is not on PATH";
  console.warn(`Redis degradation tests skipped: ${reason}`);
} else {
  describe("a cache whose Redis dies", () => {
    const { logger, lines } = captureLogger();
    const prefix = randomPrefix();
    const events = inbox();
    let server: ThrowawayRedis;
    let cache: RedisCache;

    beforeAll(async () => {
      server = await ThrowawayRedis.launch(binary);
      cache = new RedisCache({ url: server.url, prefix }, logger);
      await cache.ping();
      await cache.subscribe("events", events.handler);
      await cache.set("kept", "yes");
      expect(await cache.get("kept")).toBe("yes");
    });
    afterAll(async () => {
      await cache.close();
      await server.stop();
    });

    test("keeps answering, in-process and quickly, with a single warning", async () => {
      await server.stop();
      await Bun.sleep(100); // let the client notice the closed socket

      expect(await quickly(() => cache.get("kept"))).toBeNull();
      await quickly(() => cache.set("kept", "no"));
      await quickly(() => cache.del("kept"));
      expect(await quickly(() => cache.incr("offline", 60))).toBe(1);
      expect(await quickly(() => cache.incr("offline", 60))).toBe(2);

      const limiter = cache.limiter({ name: "offline", points: 2, durationSeconds: 60 });
      const results = [];
      for (let i = 0; i < 3; i++) results.push(await quickly(() => limiter.consume("user")));
      expect(results.map((r) => r.allowed)).toEqual([true, true, false]);

      // Leases are counted in this process meanwhile.
      const lease = await quickly(() => cache.lease("offline", 1, 60));
      expect(lease).not.toBeNull();
      expect(await quickly(() => cache.lease("offline", 1, 60))).toBeNull();
      await quickly(() => lease!.release());
      expect(await quickly(() => cache.leases("offline"))).toBe(0);

      const pingFailure = await quickly(() => cache.ping().catch((err: unknown) => err));
      expect(pingFailure).toBeInstanceOf(UnavailableError);
      await quickly(() => cache.publish("events", "during outage"));
      expect(await events.waitFor(1)).toEqual(["during outage"]);

      await Bun.sleep(300); // reconnection attempts fail meanwhile; none may log again
      expect(lines.filter((l) => l.level === "warn")).toHaveLength(1);
    });

    test("reconnects when Redis returns, and a subscription from before the outage hears again", async () => {
      await server.start();
      const deadline = Date.now() + 5_000;
      while (
        !(await cache.ping().then(
          () => true,
          () => false,
        ))
      ) {
        if (Date.now() > deadline) throw new Error("the cache did not reconnect within 5 s");
        await Bun.sleep(50);
      }
      expect(lines.filter((l) => l.level === "info" && l.msg.includes("reachable again"))).toHaveLength(1);

      // Published around the cache, so only a live Redis subscription can deliver it.
      while ((await rawPublish(server.url, `${prefix}events`, "after outage")) === 0) {
        if (Date.now() > deadline) throw new Error("the subscription was not restored within 5 s");
        await Bun.sleep(50);
      }
      expect(await events.waitFor(2)).toEqual(["during outage", "after outage"]);
      await cache.set("back", "yes");
      expect(await cache.get("back")).toBe("yes");
      expect(lines.filter((l) => l.level === "warn")).toHaveLength(1);
    });
  });
}
