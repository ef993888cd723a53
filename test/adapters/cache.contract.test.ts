import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { MemoryCache } from "../../src/adapters/cache/memory.ts";
import { RedisCache } from "../../src/adapters/cache/redis.ts";
import type { Cache } from "../../src/adapters/cache/types.ts";
import { inbox } from "../helpers/inbox.ts";
import { silentLogger } from "../helpers/logs.ts";
import { deleteKeys, randomPrefix } from "../helpers/redis.ts";

interface Subject {
  cache: Cache;
  cleanup(): Promise<void>;
}

/** The behaviour every Cache implementation must share; `make` builds a fresh, ready one. */
function cacheContract(name: string, make: () => Promise<Subject>) {
  describe(`${name} cache`, () => {
    let subject: Subject;
    let cache: Cache;
    let n = 0;
    const unique = (what: string) => `${what}-${++n}`;

    beforeAll(async () => {
      subject = await make();
      cache = subject.cache;
    });
    afterAll(async () => {
      await subject.cache.close();
      await subject.cleanup();
    });

    test("a key that was never set reads as null", async () => {
      expect(await cache.get(unique("missing"))).toBeNull();
    });

    test("a value reads back until it is deleted", async () => {
      const key = unique("value");
      await cache.set(key, "one");
      await cache.set(key, "two");
      expect(await cache.get(key)).toBe("two");
      await cache.del(key);
      expect(await cache.get(key)).toBeNull();
    });

    test("a value with a TTL disappears once it has passed, and one without stays", async () => {
      const [short, forever] = [unique("ttl"), unique("forever")];
      await cache.set(short, "soon gone", 0.3);
      await cache.set(forever, "kept");
      expect(await cache.get(short)).toBe("soon gone");
      await Bun.sleep(400);
      expect(await cache.get(short)).toBeNull();
      expect(await cache.get(forever)).toBe("kept");
    });

    test("incr creates a counter at `by` and adds to it", async () => {
      const key = unique("counter");
      expect(await cache.incr(key)).toBe(1);
      expect(await cache.incr(key)).toBe(2);
      expect(await cache.incr(key, undefined, 5)).toBe(7);
      expect(await cache.get(key)).toBe("7");
    });

    test("incr sets the TTL when it creates the counter and does not extend it", async () => {
      const key = unique("window");
      expect(await cache.incr(key, 0.3)).toBe(1);
      await Bun.sleep(150);
      expect(await cache.incr(key, 0.3)).toBe(2);
      await Bun.sleep(250);
      expect(await cache.get(key)).toBeNull();
      expect(await cache.incr(key, 0.3)).toBe(1);
    });

    test("incr refuses a value that is not an integer", async () => {
      const key = unique("text");
      await cache.set(key, "abc");
      await expect(cache.incr(key)).rejects.toThrow();
    });

    test("a limiter allows `points` then denies with a reset time", async () => {
      const limiter = cache.limiter({ name: unique("allow"), points: 3, durationSeconds: 60 });
      const results = [];
      for (let i = 0; i < 4; i++) results.push(await limiter.consume("ip-1"));
      expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
      expect(results.map((r) => r.remaining)).toEqual([2, 1, 0, 0]);
      const denied = results[3]!;
      expect(denied.limit).toBe(3);
      expect(denied.resetMs).toBeGreaterThan(0);
      expect(denied.resetMs).toBeLessThanOrEqual(60_000);
      expect((await limiter.consume("ip-2")).allowed).toBe(true);
    });

    test("a limiter can take several points at once", async () => {
      const limiter = cache.limiter({ name: unique("bulk"), points: 5, durationSeconds: 60 });
      expect(await limiter.consume("k", 4)).toMatchObject({ allowed: true, remaining: 1 });
      expect(await limiter.consume("k", 2)).toMatchObject({ allowed: false, remaining: 0 });
    });

    test("peek reports the state without consuming", async () => {
      const limiter = cache.limiter({ name: unique("peek"), points: 2, durationSeconds: 60 });
      expect(await limiter.peek("k")).toEqual({ allowed: true, limit: 2, remaining: 2, resetMs: 0 });
      await limiter.consume("k");
      expect(await limiter.peek("k")).toMatchObject({ allowed: true, remaining: 1 });
      expect(await limiter.peek("k")).toMatchObject({ allowed: true, remaining: 1 });
      await limiter.consume("k");
      const exhausted = await limiter.peek("k");
      expect(exhausted).toMatchObject({ allowed: false, remaining: 0 });
      expect(exhausted.resetMs).toBeGreaterThan(0);
    });

    test("reset clears a key's count", async () => {
      const limiter = cache.limiter({ name: unique("reset"), points: 1, durationSeconds: 60 });
      await limiter.consume("k");
      expect((await limiter.consume("k")).allowed).toBe(false);
      await limiter.reset("k");
      expect(await limiter.consume("k")).toMatchObject({ allowed: true, remaining: 0 });
    });

    test("limiters asked for with the same options share their counts", async () => {
      const options = { name: unique("shared"), points: 2, durationSeconds: 60 };
      await cache.limiter(options).consume("k");
      expect(await cache.limiter(options).consume("k")).toMatchObject({ allowed: true, remaining: 0 });
    });

    test("a key hands out `limit` leases, then none until one is released; keys count apart", async () => {
      const [key, other] = [unique("slots"), unique("other-slots")];
      const held = [];
      for (let i = 0; i < 3; i++) held.push(await cache.lease(key, 3, 60));
      expect(held.every((lease) => lease !== null)).toBe(true);
      expect(await cache.lease(key, 3, 60)).toBeNull();
      expect(await cache.leases(key)).toBe(3);
      expect(await cache.lease(other, 3, 60)).not.toBeNull();
      await held[0]!.release();
      await held[0]!.release(); // twice is harmless: it frees one slot, not two
      expect(await cache.leases(key)).toBe(2);
      expect(await cache.lease(key, 3, 60)).not.toBeNull();
      expect(await cache.lease(key, 3, 60)).toBeNull();
    });

    test("a lease that is not renewed lapses after its TTL and frees its slot; a renewed one stays", async () => {
      const key = unique("lapsing");
      // The kept lease lives 1 s from each renewal and the dropped one 0.3 s, so the checks
      // below hold with ≥ 0.5 s to spare on a loaded machine.
      const kept = (await cache.lease(key, 2, 1))!;
      const dropped = (await cache.lease(key, 2, 0.3))!;
      expect(await cache.lease(key, 2, 0.3)).toBeNull();
      await Bun.sleep(150);
      expect(await kept.renew()).toBe(true);
      await Bun.sleep(400);
      // Only the renewed lease is left: one slot is free again, and the lapsed lease cannot come back.
      expect(await cache.leases(key)).toBe(1);
      expect(await dropped.renew()).toBe(false);
      expect(await cache.lease(key, 2, 0.3)).not.toBeNull();
      expect(await cache.leases(key)).toBe(2);
    });

    test("a published message reaches every subscriber of its channel only", async () => {
      const [channel, other] = [unique("events"), unique("elsewhere")];
      const [first, second, stranger] = [inbox(), inbox(), inbox()];
      const subs = [
        await cache.subscribe(channel, first.handler),
        await cache.subscribe(channel, second.handler),
        await cache.subscribe(other, stranger.handler),
      ];
      await cache.publish(channel, "hello");
      expect(await first.waitFor(1)).toEqual(["hello"]);
      expect(await second.waitFor(1)).toEqual(["hello"]);
      expect(stranger.messages).toEqual([]);
      await Promise.all(subs.map((unsubscribe) => unsubscribe()));
    });

    test("unsubscribe stops delivery to that subscriber only", async () => {
      const channel = unique("leaving");
      const [leaving, staying] = [inbox(), inbox()];
      const unsubscribe = await cache.subscribe(channel, leaving.handler);
      const unsubscribeStaying = await cache.subscribe(channel, staying.handler);
      await unsubscribe();
      await cache.publish(channel, "after");
      expect(await staying.waitFor(1)).toEqual(["after"]);
      await Bun.sleep(50);
      expect(leaving.messages).toEqual([]);
      await unsubscribeStaying();
    });

    test("ping resolves while the backing store is reachable", async () => {
      await expect(cache.ping()).resolves.toBeUndefined();
    });
  });
}

cacheContract("memory", async () => ({
  cache: new MemoryCache(silentLogger()),
  cleanup: async () => {},
}));

const redisUrl = process.env.REDIS_URL;
if (redisUrl) {
  cacheContract("redis", async () => {
    const prefix = randomPrefix();
    const cache = new RedisCache({ url: redisUrl, prefix }, silentLogger());
    await cache.ping();
    return { cache, cleanup: () => deleteKeys(redisUrl, prefix) };
  });
} else {
  console.warn("redis cache contract skipped: REDIS_URL is not set");
}
