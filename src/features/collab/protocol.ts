/**
 * The y-websocket wire protocol as the server speaks it: every message starts with its type
 * (0 sync, 1 awareness, 3 awareness query), then y-protocols' own encoding. Parsing is strict:
 * anything else throws, and the socket that sent it is closed.
 */
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import * as sync from "y-protocols/sync";
import * as Y from "yjs";

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const MESSAGE_QUERY_AWARENESS = 3;

/** A client's message, decoded. */
export type ClientMessage =
  | { kind: "step1"; stateVector: Uint8Array }
  | { kind: "update"; update: Uint8Array }
  | { kind: "awareness"; update: Uint8Array }
  | { kind: "query-awareness" };

/** Thrown for a message that is not the y-websocket protocol. */
export class MalformedMessage extends Error {}

/** Decode one message; a malformed one throws MalformedMessage. */
export function parseMessage(data: Uint8Array): ClientMessage {
  try {
    const decoder = decoding.createDecoder(data);
    const type = decoding.readVarUint(decoder);
    let message: ClientMessage;
    if (type === MESSAGE_SYNC) {
      const step = decoding.readVarUint(decoder);
      const payload = decoding.readVarUint8Array(decoder);
      if (step === sync.messageYjsSyncStep1) {
        Y.decodeStateVector(payload);
        message = { kind: "step1", stateVector: payload };
      } else if (step === sync.messageYjsSyncStep2 || step === sync.messageYjsUpdate) {
        // Decoding walks the whole update: a truncated or garbled one throws here, before it
        // is stored or touches the document.
        Y.decodeUpdate(payload);
        message = { kind: "update", update: payload };
      } else throw new MalformedMessage(`unknown sync step ${step}`);
    } else if (type === MESSAGE_AWARENESS) {
      message = { kind: "awareness", update: decoding.readVarUint8Array(decoder) };
    } else if (type === MESSAGE_QUERY_AWARENESS) {
      message = { kind: "query-awareness" };
    } else throw new MalformedMessage(`unknown message type ${type}`);
    if (decoding.hasContent(decoder)) throw new MalformedMessage("trailing bytes");
    return message;
  } catch (error) {
    if (error instanceof MalformedMessage) throw error;
    throw new MalformedMessage(error instanceof Error ? error.message : String(error));
  }
}

function message(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

/**
 * Sync step 1: a state vector — the server's stored one, so a client never takes an edit
 * still waiting to be stored as saved. Sent on connect, and after each stored batch as its
 * receipt.
 */
export function step1Message(stateVector: Map<number, number>): Uint8Array {
  return message((e) => {
    encoding.writeVarUint(e, MESSAGE_SYNC);
    encoding.writeVarUint(e, sync.messageYjsSyncStep1);
    encoding.writeVarUint8Array(e, Y.encodeStateVector(stateVector));
  });
}

/** Sync step 2: what a client with `stateVector` is missing. */
export function step2Message(doc: Y.Doc, stateVector: Uint8Array): Uint8Array {
  return message((e) => {
    encoding.writeVarUint(e, MESSAGE_SYNC);
    sync.writeSyncStep2(e, doc, stateVector);
  });
}

export function updateMessage(update: Uint8Array): Uint8Array {
  return message((e) => {
    encoding.writeVarUint(e, MESSAGE_SYNC);
    sync.writeUpdate(e, update);
  });
}

export function awarenessMessage(update: Uint8Array): Uint8Array {
  return message((e) => {
    encoding.writeVarUint(e, MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(e, update);
  });
}

/** One entry of an awareness update: a client's state (null when it left) at a clock. */
export interface AwarenessEntry {
  clientId: number;
  clock: number;
  state: Record<string, unknown> | null;
}

/** Decode an awareness update (y-protocols/awareness's format); throws MalformedMessage. */
export function decodeAwareness(update: Uint8Array): AwarenessEntry[] {
  try {
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    const entries: AwarenessEntry[] = [];
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      const state: unknown = JSON.parse(decoding.readVarString(decoder));
      if (state !== null && (typeof state !== "object" || Array.isArray(state)))
        throw new MalformedMessage("an awareness state must be an object or null");
      entries.push({ clientId, clock, state: state as Record<string, unknown> | null });
    }
    if (decoding.hasContent(decoder)) throw new MalformedMessage("trailing bytes");
    return entries;
  } catch (error) {
    if (error instanceof MalformedMessage) throw error;
    throw new MalformedMessage(error instanceof Error ? error.message : String(error));
  }
}

export function encodeAwareness(entries: AwarenessEntry[]): Uint8Array {
  return message((e) => {
    encoding.writeVarUint(e, entries.length);
    for (const entry of entries) {
      encoding.writeVarUint(e, entry.clientId);
      encoding.writeVarUint(e, entry.clock);
      encoding.writeVarString(e, JSON.stringify(entry.state));
    }
  });
}
