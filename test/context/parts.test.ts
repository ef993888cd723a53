import { describe, expect, test } from "bun:test";
import { MemoryCache } from "../../src/adapters/cache/memory.ts";
import { type IndexJob, IndexQueue, ProjectLocks } from "../../src/features/context/queue.ts";
import { ProjectStates } from "../../src/features/context/states.ts";
import type { ChunkPayload, IndexedEntry, VectorStore } from "../../src/features/context/types.ts";
import { silentLogger } from "../helpers/logs.ts";

/** The code index's parts on their own; test/context/indexing.test.ts covers them together. */

describe("index queue", () => {
  /** A queue whose jobs wait for `release` and are recorded as `kind:project[:path]`. */
  const queueOf = () => {
    const ran: string[] = [];
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const queue = new IndexQueue(async (job: IndexJob) => {
      await gate;
      ran.push(job.kind === "file" ? `file:${job.projectId}:${job.path}` : `project:${job.projectId}`);
    }, silentLogger());
    return { queue, ran, release };
  };

  test("a waiting job covers later changes of its file, and a project job covers its files", async () => {
    const { queue, ran, release } = queueOf();
    queue.fileChanged("p", "a.ts"); // running (waits for the gate)
    queue.fileChanged("p", "b.ts");
    queue.fileChanged("p", "b.ts");
    queue.fileChanged("q", "c.ts");
    expect(queue.depth).toBe(3);
    queue.projectChanged("p"); // replaces p's waiting file job
    queue.fileChanged("p", "d.ts"); // covered by it
    expect(queue.depth).toBe(3);
    release();
    await queue.idle();
    expect(ran).toEqual(["file:p:a.ts", "file:q:c.ts", "project:p"]);
    expect(queue.depth).toBe(0);
  });

  test("a failed job is logged and the queue goes on; closed, it takes no more", async () => {
    const ran: string[] = [];
    const queue = new IndexQueue(async (job) => {
      if (job.projectId === "bad") throw new Error("boom");
      ran.push(job.projectId);
    }, silentLogger());
    queue.projectChanged("bad");
    queue.projectChanged("good");
    await queue.idle();
    expect(ran).toEqual(["good"]);
    await queue.close();
    queue.projectChanged("late");
    await queue.idle();
    expect(ran).toEqual(["good"]);
  });

  test("a project's tasks run one at a time, in order, even after a failure", async () => {
    const locks = new ProjectLocks();
    const log: string[] = [];
    const task =
      (name: string, ms: number, fail = false) =>
      async () => {
        log.push(`${name}+`);
        await Bun.sleep(ms);
        log.push(`${name}-`);
        if (fail) throw new Error(name);
        return name;
      };
    const first = locks.run("p", task("a", 20, true));
    const second = locks.run("p", task("b", 1));
    const other = locks.run("q", task("c", 1));
    await expect(first).rejects.toThrow("a");
    expect(await second).toBe("b");
    expect(await other).toBe("c");
    expect(log.indexOf("b+")).toBeGreaterThan(log.indexOf("a-"));
    expect(log.indexOf("c+")).toBeLessThan(log.indexOf("a-"));
  });
});

describe("project states", () => {
  const entry = (id: string): IndexedEntry => ({
    id,
    payload: {
      project_id: "p",
      filename: `${id}.ts`,
      function_name: id,
      class_name: null,
      language: "typescript",
      code_snippet: `function ${id}() {}`,
      line_start: 1,
      line_end: 1,
      content_hash: id,
    } satisfies ChunkPayload,
  });
  /** A store whose `entries` answers from `rows` and counts its calls; `fail` makes it throw once. */
  const storeOf = (rows: IndexedEntry[]) => {
    const store = {
      loads: 0,
      fail: false,
      async entries() {
        store.loads++;
        await Bun.sleep(5);
        if (store.fail) {
          store.fail = false;
          throw new Error("store down");
        }
        return [...rows];
      },
    };
    return store;
  };
  const statesOf = (store: ReturnType<typeof storeOf>, cache?: MemoryCache) => {
    const reconciled: string[] = [];
    const states = new ProjectStates({
      store: store as unknown as VectorStore,
      cache,
      logger: silentLogger(),
      reconcile: (projectId) => reconciled.push(projectId),
    });
    return { states, reconciled };
  };

  test("concurrent callers share one load; a failed load is not kept", async () => {
    const store = storeOf([entry("invoice")]);
    const { states } = statesOf(store);
    store.fail = true;
    await expect(states.get("p", false)).rejects.toThrow("store down");
    const [one, two] = await Promise.all([states.get("p", false), states.get("p", false)]);
    expect(one).toBe(two);
    expect(one.entries.size).toBe(1);
    expect(one.lexical.search("invoice", 1)[0]?.id).toBe("invoice");
    expect(store.loads).toBe(2);
  });

  test("a change drops the state here and on another instance; one dropped while loading still answers", async () => {
    const cache = new MemoryCache(silentLogger());
    const store = storeOf([entry("a")]);
    const here = statesOf(store, cache).states;
    const there = statesOf(store, cache).states;
    try {
      await Bun.sleep(5); // both subscribed
      const loaded = await there.get("p", false);
      const loading = here.get("p", false);
      await here.changed("p");
      expect((await loading).entries.size).toBe(1);
      await Bun.sleep(5); // the announcement travels
      expect(await there.get("p", false)).not.toBe(loaded);
      expect(store.loads).toBe(3);
      // The state dropped while loading was not kept: the next get loads again, and that one stays.
      await here.get("p", false);
      await here.get("p", false);
      expect(store.loads).toBe(4);
    } finally {
      await here.close();
      await there.close();
      await cache.close();
    }
  });

  test("the first load that finds chunks asks for a reconcile once, unless the project is in step", async () => {
    const { states, reconciled } = statesOf(storeOf([entry("a")]));
    await states.get("p", true);
    await states.get("p", true);
    states.inStep("q");
    await states.get("q", true);
    await Bun.sleep(1);
    expect(reconciled).toEqual(["p"]);
    const empty = statesOf(storeOf([]));
    await empty.states.get("p", true);
    await Bun.sleep(1);
    expect(empty.reconciled).toEqual([]);
  });
});
