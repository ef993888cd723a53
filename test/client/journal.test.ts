import { describe, expect, test } from "bun:test";
import * as Y from "yjs";
import { deletionsCovered, Journal, type JournalStorage } from "../../src/client/editor/journal.ts";

/** localStorage's face over a Map. */
function memoryStorage(): JournalStorage & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
    key: (i) => [...map.keys()][i] ?? null,
    get length() {
      return map.size;
    },
  };
}

const NAME = "aura:journal:doc-1";

/** A server document and a browser's copy of it, the browser's local updates journaled. */
function setup(storage = memoryStorage(), server = new Y.Doc()) {
  if (server.getText("content").length === 0) server.getText("content").insert(0, "hello world\n");
  const browser = new Y.Doc();
  Y.applyUpdate(browser, Y.encodeStateAsUpdate(server));
  const journal = new Journal(storage, NAME);
  browser.on("update", (update: Uint8Array) => journal.add(update));
  /** Deliver what the server lacks, as a sync step 2 from the browser would. */
  const deliver = () => Y.applyUpdate(server, Y.encodeStateAsUpdate(browser, Y.encodeStateVector(server)));
  return { server, browser, text: browser.getText("content"), journal, storage, deliver };
}

describe("the journal of unacknowledged edits", () => {
  test("keeps every edit in storage at once, and a new page takes it over", () => {
    const { text, storage, journal } = setup();
    text.insert(5, ",");
    text.insert(text.length, "more");
    expect([...storage.map.keys()]).toEqual([expect.stringMatching(/^aura:journal:doc-1:/)]);
    const next = new Journal(storage, NAME, "next");
    expect(next.pending).toEqual(journal.pending!);
    expect([...storage.map.keys()]).toEqual(["aura:journal:doc-1:next"]);
  });

  test("two tabs on one file keep their own entries; one's acknowledgement leaves the other's", () => {
    const storage = memoryStorage();
    const a = setup(storage);
    const b = setup(storage, a.server);
    a.text.insert(0, "A");
    b.text.insert(b.text.length, "B");
    expect(storage.map.size).toBe(2);
    a.deliver();
    expect(a.journal.acknowledge(Y.encodeStateVector(a.server))).toBe("nothing");
    expect(storage.map.size).toBe(1);
    // The next page has B's edit, though B never sent it.
    const page = new Y.Doc();
    Y.applyUpdate(page, Y.encodeStateAsUpdate(a.server));
    Y.applyUpdate(page, new Journal(storage, NAME).pending!);
    expect(page.getText("content").toString()).toBe("Ahello world\nB");
  });

  test("edits on top of the page's state come back whole after a reload", () => {
    const first = setup();
    first.text.insert(0, "// typed\n");
    const page = new Y.Doc();
    Y.applyUpdate(page, Y.encodeStateAsUpdate(first.server));
    Y.applyUpdate(page, new Journal(first.storage, NAME).pending!);
    expect(page.getText("content").toString()).toBe("// typed\nhello world\n");
  });

  test("the server's state vector acknowledges inserted text; the journal then empties", () => {
    const { server, text, journal, storage, deliver } = setup();
    text.insert(0, "a");
    expect(journal.acknowledge(Y.encodeStateVector(server))).toBe("edits");
    deliver();
    expect(journal.acknowledge(Y.encodeStateVector(server))).toBe("nothing");
    expect(journal.pending).toBeUndefined();
    expect(storage.map.size).toBe(0);
  });

  test("a state vector that covers only older edits keeps the newer ones", () => {
    const { server, text, journal, deliver } = setup();
    text.insert(0, "a");
    deliver();
    text.insert(0, "b");
    expect(journal.acknowledge(Y.encodeStateVector(server))).toBe("edits");
    const page = new Y.Doc();
    Y.applyUpdate(page, Y.encodeStateAsUpdate(server));
    Y.applyUpdate(page, journal.pending!);
    expect(page.getText("content").toString()).toBe("bahello world\n");
  });

  test("a deletion is not in a state vector: it waits for the server's delete set", () => {
    const { server, text, journal, deliver } = setup();
    text.delete(0, 6);
    expect(journal.acknowledge(Y.encodeStateVector(server))).toBe("deletions");
    // The server's step 2 before it has the deletion does not clear it…
    expect(journal.confirmDeletions(Y.encodeStateAsUpdate(server, Y.encodeStateVector(server)))).toBe(false);
    expect(journal.pending).toBeDefined();
    deliver();
    // …the one after does.
    expect(journal.confirmDeletions(Y.encodeStateAsUpdate(server, Y.encodeStateVector(server)))).toBe(true);
    expect(journal.pending).toBeUndefined();
    expect(server.getText("content").toString()).toBe("world\n");
  });

  test("deletions are not confirmed while inserted text is still outstanding", () => {
    const { server, text, journal, deliver } = setup();
    text.delete(0, 1);
    deliver();
    text.insert(0, "J");
    expect(journal.confirmDeletions(Y.encodeStateAsUpdate(server))).toBe(false);
  });

  test("a damaged entry is dropped, not applied", () => {
    const storage = memoryStorage();
    storage.map.set(`${NAME}:old`, "not base64 of an update!");
    const journal = new Journal(storage, NAME);
    expect(journal.pending).toBeUndefined();
    expect(storage.map.size).toBe(0);
  });

  test("works without storage (refused by the browser): edits are still tracked in memory", () => {
    const journal = new Journal(undefined, "k");
    const doc = new Y.Doc();
    doc.on("update", (u: Uint8Array) => journal.add(u));
    doc.getText("content").insert(0, "x");
    expect(journal.pending).toBeDefined();
  });
});

describe("coverage", () => {
  test("a delete set covers another across adjacent and overlapping ranges", () => {
    const ds = (ranges: [number, number, number][]) => {
      const clients = new Map<number, { clock: number; len: number }[]>();
      for (const [client, clock, len] of ranges)
        clients.set(client, [...(clients.get(client) ?? []), { clock, len }]);
      return { clients } as unknown as Parameters<typeof deletionsCovered>[0];
    };
    expect(
      deletionsCovered(
        ds([[1, 2, 4]]),
        ds([
          [1, 0, 3],
          [1, 3, 5],
        ]),
      ),
    ).toBe(true);
    expect(
      deletionsCovered(
        ds([[1, 2, 4]]),
        ds([
          [1, 0, 3],
          [1, 4, 5],
        ]),
      ),
    ).toBe(false);
    expect(deletionsCovered(ds([[1, 2, 4]]), ds([[2, 0, 10]]))).toBe(false);
    expect(deletionsCovered(ds([]), ds([]))).toBe(true);
  });
});
