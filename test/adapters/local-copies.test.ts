import { expect, test } from "bun:test";
import { LocalCopies } from "../../src/adapters/cache/local-copies.ts";
import { MemoryCache } from "../../src/adapters/cache/memory.ts";
import type { Cache } from "../../src/adapters/cache/types.ts";
import { silentLogger } from "../helpers/logs.ts";

/** Two instances' copies of one stored value per key, over one shared cache. */
function instances(cache: Pick<Cache, "publish" | "subscribe"> | undefined) {
  const stored = new Map<string, number>();
  const loads: string[] = [];
  const copies = (name: string) =>
    new LocalCopies<{ value: number }>({
      channel: "test:changed",
      cache,
      logger: silentLogger(),
      what: "test",
      max: 8,
      maxAgeMs: 60_000,
      load: async (key) => {
        loads.push(`${name}:${key}`);
        return { value: stored.get(key) ?? 0 };
      },
    });
  return { stored, loads, a: copies("a"), b: copies("b") };
}

test("a change drops the copy on every instance sharing the cache; the others are kept", async () => {
  const cache = new MemoryCache(silentLogger());
  const { stored, loads, a, b } = instances(cache);
  stored.set("p", 1);
  stored.set("q", 1);
  expect((await a.get("p")).value).toBe(1);
  expect((await b.get("p")).value).toBe(1);
  await b.get("q");
  stored.set("p", 2);
  await a.changed("p");
  await Bun.sleep(10);
  expect((await a.get("p")).value).toBe(2);
  expect((await b.get("p")).value).toBe(2);
  await b.get("q");
  expect(loads).toEqual(["a:p", "b:p", "b:q", "a:p", "b:p"]);
  await Promise.all([a.close(), b.close()]);
  await cache.close();
});

test("concurrent gets share one load, and a failed load is not kept", async () => {
  let calls = 0;
  const copies = new LocalCopies<{ n: number }>({
    channel: "test:changed",
    what: "test",
    max: 8,
    maxAgeMs: 60_000,
    load: async () => {
      calls++;
      if (calls === 1) throw new Error("down");
      await Bun.sleep(5);
      return { n: calls };
    },
  });
  await expect(copies.get("k")).rejects.toThrow("down");
  const [x, y] = await Promise.all([copies.get("k"), copies.get("k")]);
  expect(x).toBe(y);
  expect(calls).toBe(2);
  await copies.close();
});

test("without a shared cache a change is this process's only; a cache that fails is logged, not thrown", async () => {
  const local = instances(undefined);
  local.stored.set("p", 1);
  await local.a.get("p");
  await local.b.get("p");
  local.stored.set("p", 2);
  await local.a.changed("p");
  expect((await local.a.get("p")).value).toBe(2);
  expect((await local.b.get("p")).value).toBe(1);

  const broken = {
    publish: async () => {
      throw new Error("unreachable");
    },
    subscribe: async () => {
      throw new Error("unreachable");
    },
  };
  const failing = instances(broken);
  await failing.a.changed("p");
  await failing.a.close();
});
