import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createMemo } from "../../src/adapters/cache/memo.ts";
import { MemoryCache } from "../../src/adapters/cache/memory.ts";
import { RedisCache } from "../../src/adapters/cache/redis.ts";
import type { Cache } from "../../src/adapters/cache/types.ts";
import { silentLogger } from "../helpers/logs.ts";
import { deleteKeys, randomPrefix } from "../helpers/redis.ts";

interface Subject {
  /** Two caches that share their data, as two instances sharing one server would (the same one for memory). */
  caches: [Cache, Cache];
  /** Drop everything the server holds, as a restart of an unpersisted server would. */
  flush(): Promise<void>;
  cleanup(): Promise<void>;
}

/** A loader that counts its calls and returns the current value of `source`. */
function counted(source: { value: string | undefined }) {
  const loader = async () => {
    loader.calls++;
    return source.value === undefined ? undefined : { value: source.value };
  };
  loader.calls = 0;
  return loader;
}

function memoContract(name: string, make: () => Promise<Subject>) {
  describe(`memo over the ${name} cache`, () => {
    let subject: Subject;
    let n = 0;
    const scope = () => `scope-${++n}`;
    beforeAll(async () => {
      subject = await make();
    });
    afterAll(async () => {
      await Promise.all(subject.caches.map((c) => c.close()));
      await subject.cleanup();
    });

    test("a value is loaded once, then served without loading", async () => {
      const memo = createMemo(subject.caches[0]);
      const s = scope();
      const load = counted({ value: "a" });
      // The first read finds no generation: one is stored before loading, and the value kept under it.
      expect(await memo.read(s, "k", load)).toEqual({ value: "a" });
      expect(await memo.read(s, "k", load)).toEqual({ value: "a" });
      expect(await memo.read(s, "k", load)).toEqual({ value: "a" });
      expect(load.calls).toBe(1);
      // Another instance finds the generation and keeps its own copy after one load.
      const other = createMemo(subject.caches[1]);
      const otherLoad = counted({ value: "a" });
      for (let i = 0; i < 3; i++) expect(await other.read(s, "k", otherLoad)).toEqual({ value: "a" });
      expect(otherLoad.calls).toBe(1);
    });

    test("concurrent reads share one load, on a new scope and after an invalidation", async () => {
      const memo = createMemo(subject.caches[0]);
      const s = scope();
      const source = { value: "first" };
      let calls = 0;
      const slowLoad = async () => {
        calls++;
        const value = source.value;
        await Bun.sleep(20);
        return { value };
      };
      const burst = () => Promise.all(Array.from({ length: 10 }, () => memo.read(s, "k", slowLoad)));
      expect(await burst()).toEqual(Array.from({ length: 10 }, () => ({ value: "first" })));
      expect(calls).toBe(1);
      source.value = "second";
      await memo.invalidate(s);
      expect(await burst()).toEqual(Array.from({ length: 10 }, () => ({ value: "second" })));
      expect(calls).toBe(2);
    });

    test("a read that joins a load started before an invalidation does not get the old value", async () => {
      const memo = createMemo(subject.caches[0]);
      const s = scope();
      const source = { value: "old" };
      const gate = Promise.withResolvers<void>();
      const load = async () => {
        const value = source.value;
        await gate.promise;
        return { value };
      };
      await memo.read(s, "warm", async () => ({ value: "x" })); // the scope has a generation now
      const early = memo.read(s, "k", load);
      await Bun.sleep(5);
      source.value = "new";
      await memo.invalidate(s);
      const late = memo.read(s, "k", load);
      gate.resolve();
      expect(await early).toEqual({ value: "old" });
      expect(await late).toEqual({ value: "new" });
      expect(await memo.read(s, "k", load)).toEqual({ value: "new" });
    });

    test("a failed load is shared by the reads waiting on it, and not remembered", async () => {
      const memo = createMemo(subject.caches[0]);
      const s = scope();
      let calls = 0;
      const failing = async () => {
        calls++;
        await Bun.sleep(10);
        throw new Error("database down");
      };
      const reads = await Promise.allSettled(Array.from({ length: 3 }, () => memo.read(s, "k", failing)));
      for (const read of reads)
        expect(read).toMatchObject({ status: "rejected", reason: { message: "database down" } });
      expect(calls).toBe(1);
      expect(await memo.read(s, "k", async () => ({ value: "back" }))).toEqual({ value: "back" });
    });

    test("after invalidate the next read loads the new value; other scopes keep theirs", async () => {
      const memo = createMemo(subject.caches[0]);
      const [s, other] = [scope(), scope()];
      const source = { value: "old" };
      const load = counted(source);
      const otherLoad = counted({ value: "x" });
      for (let i = 0; i < 3; i++) {
        await memo.read(s, "k", load);
        await memo.read(other, "k", otherLoad);
      }
      source.value = "new";
      await memo.invalidate(s);
      expect(await memo.read(s, "k", load)).toEqual({ value: "new" });
      const before = otherLoad.calls;
      await memo.read(other, "k", otherLoad);
      expect(otherLoad.calls).toBe(before);
    });

    test("a write announced by one instance is seen by another", async () => {
      const [a, b] = [createMemo(subject.caches[0]), createMemo(subject.caches[1])];
      const s = scope();
      const source = { value: "v1" };
      const load = counted(source);
      for (let i = 0; i < 3; i++) await b.read(s, "k", load);
      await a.writing(s, async () => {
        source.value = "v2";
      });
      expect(await b.read(s, "k", load)).toEqual({ value: "v2" });
    });

    test("a write to several scopes retires each of them on the other instance, and no other scope", async () => {
      const [a, b] = [createMemo(subject.caches[0]), createMemo(subject.caches[1])];
      const [project, reader, bystander] = [scope(), scope(), scope()];
      const source = { value: "v1" };
      const loads = [counted(source), counted(source), counted(source)] as const;
      const readAll = () =>
        Promise.all([project, reader, bystander].map((s, i) => b.read(s, "k", loads[i]!)));
      for (let i = 0; i < 3; i++) await readAll();
      await a.writing([project, reader], async () => {
        source.value = "v2";
      });
      expect(await readAll()).toEqual([{ value: "v2" }, { value: "v2" }, { value: "v1" }]);
      await a.invalidate([bystander]);
      expect(await readAll()).toEqual([{ value: "v2" }, { value: "v2" }, { value: "v2" }]);
      expect(loads.map((l) => l.calls)).toEqual([2, 2, 2]);
    });

    test("writing invalidates even when the write fails part-way", async () => {
      const memo = createMemo(subject.caches[0]);
      const s = scope();
      const source = { value: "before" };
      const load = counted(source);
      for (let i = 0; i < 3; i++) await memo.read(s, "k", load);
      const failing = memo.writing(s, async () => {
        source.value = "half-written";
        throw new Error("disk full");
      });
      await expect(failing).rejects.toThrow("disk full");
      expect(await memo.read(s, "k", load)).toEqual({ value: "half-written" });
    });

    test("not-found is never kept", async () => {
      const memo = createMemo(subject.caches[0]);
      const s = scope();
      const source: { value: string | undefined } = { value: undefined };
      const load = counted(source);
      for (let i = 0; i < 3; i++) expect(await memo.read(s, "k", load)).toBeUndefined();
      source.value = "created";
      expect(await memo.read(s, "k", load)).toEqual({ value: "created" });
    });

    test("a cache server that restarts empty never brings stale values back", async () => {
      const memo = createMemo(subject.caches[0]);
      const s = scope();
      const source = { value: "kept" };
      const load = counted(source);
      for (let i = 0; i < 3; i++) await memo.read(s, "k", load);
      await subject.flush();
      source.value = "changed while the server was down";
      expect(await memo.read(s, "k", load)).toEqual({ value: "changed while the server was down" });
    });

    test("values past their maximum age are loaded again", async () => {
      const memo = createMemo(subject.caches[0], { maxAgeMs: 50 });
      const s = scope();
      const source = { value: "one" };
      const load = counted(source);
      for (let i = 0; i < 3; i++) await memo.read(s, "k", load);
      source.value = "two";
      await Bun.sleep(80);
      expect(await memo.read(s, "k", load)).toEqual({ value: "two" });
    });

    test("the memory budget evicts the least recently used values", async () => {
      const memo = createMemo(subject.caches[0], { maxBytes: 1000 });
      const s = scope();
      const load = counted({ value: "big" });
      const first = counted({ value: "first" });
      await memo.read(s, "warm", load);
      for (let i = 0; i < 2; i++) await memo.read(s, "first", first, () => 90);
      for (let i = 0; i < 20; i++) await memo.read(s, `filler-${i}`, load, () => 90);
      const calls = first.calls;
      await memo.read(s, "first", first, () => 90);
      expect(first.calls).toBe(calls + 1);
    });
  });
}

memoContract("memory", async () => {
  const cache = new MemoryCache(silentLogger());
  // Both "instances" share one in-process cache: the embedded setup is a single process.
  return {
    caches: [cache, cache],
    flush: async () => {
      // A memory cache only empties when the process restarts, which also empties the memo;
      // deleting the generations is the closest equivalent.
      for (let i = 0; i < 100; i++) await cache.del(`memo:gen:scope-${i}`);
    },
    cleanup: async () => {},
  };
});

const redisUrl = process.env.REDIS_URL;
if (redisUrl) {
  memoContract("redis", async () => {
    const prefix = randomPrefix();
    const caches: [Cache, Cache] = [
      new RedisCache({ url: redisUrl, prefix }, silentLogger()),
      new RedisCache({ url: redisUrl, prefix }, silentLogger()),
    ];
    await Promise.all(caches.map((c) => c.ping()));
    return { caches, flush: () => deleteKeys(redisUrl, prefix), cleanup: () => deleteKeys(redisUrl, prefix) };
  });
} else {
  console.warn("redis memo contract skipped: REDIS_URL is not set");
}
