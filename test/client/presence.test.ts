import { describe, expect, test } from "bun:test";
import { Awareness } from "y-protocols/awareness";
import * as Y from "yjs";
import { colorFor, initials, peopleIn } from "../../src/client/editor/presence.ts";

describe("presence", () => {
  test("a person's colour depends on their id alone and is a six-digit hex (for `color + 33`)", () => {
    expect(colorFor("user-1")).toBe(colorFor("user-1"));
    expect(colorFor("user-1")).toMatch(/^#[0-9a-f]{6}$/);
    const spread = new Set(Array.from({ length: 50 }, (_, i) => colorFor(crypto.randomUUID() + i)));
    expect(spread.size).toBeGreaterThan(5);
  });

  test("initials: first and last word, any script, never empty", () => {
    expect(initials("Ada Lovelace")).toBe("AL");
    expect(initials("  grace  brewster murray hopper ")).toBe("GH");
    expect(initials("Ørjan")).toBe("Ø");
    expect(initials("😀 Smile")).toBe("😀S");
    expect(initials("")).toBe("?");
  });

  test("yourself first, then the others by name, each person once", () => {
    const mine = new Awareness(new Y.Doc());
    mine.setLocalStateField("user", { id: "u-ada", name: "Ada Lovelace", color: "#123456" });
    const remote = (clientId: number, user: Record<string, string> | undefined) =>
      mine.states.set(clientId, user ? { user } : {});
    remote(11, { id: "u-grace", name: "Grace Hopper", color: "#0369a1" });
    remote(12, { id: "u-grace", name: "Grace Hopper", color: "#0369a1" }); // a second tab
    remote(13, { id: "u-alan", name: "Alan Turing", color: "#15803d" });
    remote(14, undefined); // no user yet: not listed
    expect(peopleIn(mine, "u-ada").map((p) => [p.name, p.self])).toEqual([
      ["Ada Lovelace", true],
      ["Alan Turing", false],
      ["Grace Hopper", false],
    ]);
  });
});
