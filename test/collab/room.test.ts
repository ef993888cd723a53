import { expect, test } from "bun:test";
import * as decoding from "lib0/decoding";
import * as Y from "yjs";
import { updateMessage } from "../../src/features/collab/protocol.ts";
import { type Peer, Room, type RoomHooks } from "../../src/features/collab/room.ts";
import { silentLogger } from "../helpers/logs.ts";

/** The state vector a server message carries, when it is a sync step 1. */
function receiptOf(message: Uint8Array): Map<number, number> | undefined {
  const decoder = decoding.createDecoder(message);
  if (decoding.readVarUint(decoder) !== 0 || decoding.readVarUint(decoder) !== 0) return undefined;
  return Y.decodeStateVector(decoding.readVarUint8Array(decoder));
}

test("a receipt covers only what is stored, never an edit still waiting for the database", async () => {
  const gates: (() => void)[] = [];
  const stored: Uint8Array[] = [];
  const hooks: RoomHooks = {
    logger: silentLogger(),
    persist: (_docId, update) =>
      new Promise((resolve) =>
        gates.push(() => {
          stored.push(update);
          resolve(true);
        }),
      ),
    writeThrough: async () => 1,
    reload: async () => undefined,
    checkpoint: async () => undefined,
    publish: () => undefined,
    release: () => undefined,
  };
  const initial = new Y.Doc();
  initial.getText("content").insert(0, "hello");
  const timings = {
    writeMs: 60_000,
    writeMaxMs: 60_000,
    snapshotIdleMs: 60_000,
    snapshotMaxMs: 60_000,
    lingerMs: 60_000,
    checkpointUpdates: 1_000,
  };
  const room = new Room(
    "p",
    "a.txt",
    "d",
    { state: Y.encodeStateAsUpdate(initial), updates: [], fileVersion: 1 },
    hooks,
    timings,
  );
  const inbox: Uint8Array[] = [];
  const peer: Peer = {
    userId: "u",
    name: "U",
    color: "#000",
    canWrite: true,
    owned: new Set(),
    send: (m) => inbox.push(m),
    close: () => undefined,
  };
  room.join(peer);
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(initial));
  const sent: Uint8Array[] = [];
  client.on("update", (u: Uint8Array) => sent.push(u));
  client.getText("content").insert(5, " one");
  room.receive(peer, updateMessage(sent[0]!));
  // The first batch is being stored; the second edit arrives meanwhile.
  client.getText("content").insert(9, " two");
  room.receive(peer, updateMessage(sent[1]!));
  await Bun.sleep(10);
  gates.shift()!();
  await Bun.sleep(10);
  const clientId = client.clientID;
  const receipts = inbox.map(receiptOf).filter((r) => r?.has(clientId));
  expect(receipts.length).toBe(1);
  expect(receipts[0]!.get(clientId)).toBe(4); // " one", not " one two"
  gates.shift()!();
  await Bun.sleep(10);
  const last = inbox.map(receiptOf).filter((r) => r?.has(clientId));
  expect(last.at(-1)?.get(clientId)).toBe(8);
  expect(stored.length).toBe(2);
  await room.close();
});
