import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { MemoryCache } from "../../src/adapters/cache/memory.ts";
import { RedisCache } from "../../src/adapters/cache/redis.ts";
import type { Cache } from "../../src/adapters/cache/types.ts";
import { recordInteractions } from "../../src/db/queries/ai.ts";
import { users } from "../../src/db/schema/users.ts";
import { createSpendLedger } from "../../src/features/ai/spend.ts";
import { databaseImplementations, type TestDatabase } from "../helpers/db.ts";
import { silentLogger } from "../helpers/logs.ts";
import { deleteKeys, randomPrefix } from "../helpers/redis.ts";

interface CacheSubject {
  name: string;
  /** Two caches sharing their data, as two instances on one server would. */
  make(): Promise<{ caches: [Cache, Cache]; cleanup(): Promise<void> }>;
}

const caches: CacheSubject[] = [
  {
    name: "memory",
    make: async () => {
      const cache = new MemoryCache(silentLogger());
      return { caches: [cache, cache], cleanup: () => cache.close() };
    },
  },
];
const redisUrl = process.env.REDIS_URL;
if (redisUrl) {
  caches.push({
    name: "redis",
    make: async () => {
      const prefix = randomPrefix();
      const pair: [Cache, Cache] = [
        new RedisCache({ url: redisUrl, prefix }, silentLogger()),
        new RedisCache({ url: redisUrl, prefix }, silentLogger()),
      ];
      await Promise.all(pair.map((c) => c.ping()));
      return {
        caches: pair,
        cleanup: async () => {
          await Promise.all(pair.map((c) => c.close()));
          await deleteKeys(redisUrl, prefix);
        },
      };
    },
  });
} else {
  console.warn("spend ledger over Redis skipped: REDIS_URL is not set");
}

for (const implementation of databaseImplementations()) {
  for (const cacheSubject of caches) {
    describe(`daily AI spending on ${implementation.name} with the ${cacheSubject.name} cache`, () => {
      let database: TestDatabase;
      let pair: Awaited<ReturnType<CacheSubject["make"]>>;
      let n = 0;
      beforeAll(async () => {
        database = await implementation.open();
        pair = await cacheSubject.make();
      });
      afterAll(async () => {
        await pair.cleanup();
        await database.cleanup();
      });

      const newUser = async () => {
        const [row] = await database.db
          .insert(users)
          .values({ email: `spender-${++n}-${crypto.randomUUID().slice(0, 6)}@example.com` })
          .returning({ id: users.id });
        return row!.id;
      };
      /** A charged call's row, as the gateway writes it (optionally on an earlier day). */
      const row = (userId: string, cost: number, createdAt?: Date) =>
        recordInteractions(database.db, [
          {
            userId,
            requestType: "completion",
            model: "m",
            cost,
            ...(createdAt ? { createdAt } : {}),
          },
        ]);

      test("the first check sums today's rows only; yesterday's spending does not count", async () => {
        const ledger = createSpendLedger({ db: database.handle, cache: pair.caches[0] });
        const user = await newUser();
        await row(user, 0.25);
        await row(user, 0.5);
        await row(user, 40, new Date(Date.now() - 2 * 86_400_000));
        const { cents, renewsAt } = await ledger.today(user);
        expect(cents).toBeCloseTo(0.75, 6);
        expect(renewsAt.getTime() - Date.now()).toBeLessThanOrEqual(86_400_000);
        expect(renewsAt.getUTCHours()).toBe(0);
      });

      test("after the first check, calls are counted as they are recorded, without summing again", async () => {
        const ledger = createSpendLedger({ db: database.handle, cache: pair.caches[0] });
        const user = await newUser();
        await row(user, 1);
        expect((await ledger.today(user)).cents).toBeCloseTo(1, 6);
        // A row written behind the ledger's back is not seen: the counter is what is read…
        await row(user, 100);
        expect((await ledger.today(user)).cents).toBeCloseTo(1, 6);
        // …and a recorded call raises it, fractions of a cent included.
        await ledger.add(user, 0.0125);
        expect((await ledger.today(user)).cents).toBeCloseTo(1.0125, 6);
        await ledger.add(user, 0);
        expect((await ledger.today(user)).cents).toBeCloseTo(1.0125, 6);
      });

      test("another instance's calls count on this one (the counter is in the shared cache)", async () => {
        const here = createSpendLedger({ db: database.handle, cache: pair.caches[0] });
        const there = createSpendLedger({ db: database.handle, cache: pair.caches[1] });
        const user = await newUser();
        expect((await here.today(user)).cents).toBe(0);
        await row(user, 3);
        await there.add(user, 3);
        expect((await here.today(user)).cents).toBeCloseTo(3, 6);
      });

      test("a lost counter is summed again from the rows; a call recorded meanwhile is not lost", async () => {
        const ledger = createSpendLedger({ db: database.handle, cache: pair.caches[0] });
        const user = await newUser();
        await row(user, 2);
        expect((await ledger.today(user)).cents).toBeCloseTo(2, 6);
        const day = new Date().toISOString().slice(0, 10);
        await pair.caches[0].del(`ai:spent:${day}:${user}`);
        // Recorded while there is no counter: adding must not start one at this call's cost alone.
        await row(user, 5);
        await ledger.add(user, 5);
        expect((await ledger.today(user)).cents).toBeCloseTo(7, 6);
      });

      test("a burst of checks that find no counter sums the rows once", async () => {
        let sums = 0;
        const counting: typeof database.handle = Object.assign(Object.create(database.handle), {
          get: () => {
            sums++;
            return database.handle.get();
          },
        });
        const ledger = createSpendLedger({ db: counting, cache: pair.caches[0] });
        const user = await newUser();
        await row(user, 1.5);
        const checks = await Promise.all(Array.from({ length: 10 }, () => ledger.today(user)));
        for (const check of checks) expect(check.cents).toBeCloseTo(1.5, 6);
        expect(sums).toBe(1);
        // Counted from now on, and summed again only when the counter is lost.
        expect((await ledger.today(user)).cents).toBeCloseTo(1.5, 6);
        expect(sums).toBe(1);
      });

      test("users' spending is kept apart", async () => {
        const ledger = createSpendLedger({ db: database.handle, cache: pair.caches[0] });
        const [a, b] = [await newUser(), await newUser()];
        await row(a, 4);
        expect((await ledger.today(a)).cents).toBeCloseTo(4, 6);
        expect((await ledger.today(b)).cents).toBe(0);
        await ledger.add(b, 1);
        expect((await ledger.today(a)).cents).toBeCloseTo(4, 6);
      });
    });
  }
}
