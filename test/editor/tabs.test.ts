import { describe, expect, test } from "bun:test";
import { savedTabs, tabsCookie } from "../../src/features/editor/tabs.ts";

/** The request a browser sends back after `setCookie`, as far as the cookie goes. */
const sentBack = (setCookie: string) =>
  new Request("http://localhost/projects/p1", { headers: { cookie: setCookie.split(";")[0] ?? "" } });

describe("the tabs cookie", () => {
  test("keeps the strip in its order and the open file, scoped to the project's path", () => {
    const cookie = tabsCookie("p1", ["index.js", "src/a b.js", "README.md"], "src/a b.js", false);
    expect(cookie).toContain("Path=/projects/p1;");
    expect(cookie).toContain("HttpOnly");
    expect(cookie).not.toContain("Secure");
    expect(savedTabs(sentBack(cookie))).toEqual({
      tabs: ["index.js", "src/a b.js", "README.md"],
      current: "src/a b.js",
    });
    expect(tabsCookie("p1", [], "x.js", true)).toContain("; Secure");
  });

  test("drops the oldest other tabs when they would not fit, never the open file", () => {
    const long = (n: number) => `${String(n).padStart(3, "0")}/${"x".repeat(590)}`;
    const tabs = Array.from({ length: 8 }, (_, i) => long(i));
    const saved = savedTabs(sentBack(tabsCookie("p1", tabs, long(0), false)));
    expect(saved.current).toBe(long(0));
    expect(saved.tabs.length).toBeLessThan(8);
    expect(saved.tabs).toContain(long(0));
    expect(saved.tabs.at(-1)).toBe(long(7));
  });

  test("no open file clears it; a damaged or missing cookie reads as no tabs", () => {
    expect(tabsCookie("p1", ["a.js"], undefined, false)).toContain("Max-Age=0");
    const none = { tabs: [], current: undefined };
    expect(savedTabs(new Request("http://localhost/"))).toEqual(none);
    expect(
      savedTabs(new Request("http://localhost/", { headers: { cookie: "aura-tabs=%E0%A4%A" } })),
    ).toEqual(none);
  });
});
