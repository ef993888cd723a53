import { expect, test } from "bun:test";
import { MemoryCache } from "../../src/adapters/cache/memory.ts";
import { silentLogger } from "../helpers/logs.ts";

test("the memory cache drops expired entries nobody reads again", async () => {
  const cache = new MemoryCache(silentLogger(), { sweepIntervalMs: 20 });
  for (let i = 0; i < 100; i++) await cache.set(`written-once-${i}`, "x", 0.05);
  await cache.set("kept", "x");
  expect(cache.size).toBe(101);
  await Bun.sleep(120);
  expect(cache.size).toBe(1);
  await cache.close();
});

test("a subscriber that throws does not stop delivery to the others", async () => {
  const cache = new MemoryCache(silentLogger());
  const received: string[] = [];
  await cache.subscribe("c", () => {
    throw new Error("boom");
  });
  await cache.subscribe("c", (message) => received.push(message));
  await cache.publish("c", "still delivered");
  await Bun.sleep(10);
  expect(received).toEqual(["still delivered"]);
  await cache.close();
});

test("a publish is delivered after the publisher's own code has run", async () => {
  const cache = new MemoryCache(silentLogger());
  const order: string[] = [];
  await cache.subscribe("c", () => order.push("delivered"));
  const published = cache.publish("c", "m");
  order.push("publisher continues");
  await published;
  await Bun.sleep(10);
  expect(order).toEqual(["publisher continues", "delivered"]);
  await cache.close();
});
