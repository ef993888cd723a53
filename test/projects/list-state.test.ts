import { describe, expect, test } from "bun:test";
import { defaultOrder, listState, MAX_PAGE, PAGE_SIZE } from "../../src/features/projects/model.ts";

describe("the dashboard's list state, read with ListQuery's schema", () => {
  test("nothing given is the first page of everything, most recently changed first", () => {
    expect(listState({})).toEqual({ page: 1, limit: PAGE_SIZE, q: "", sort: "updated", order: "desc" });
  });

  test("form fields (strings) are converted as the query's are", () => {
    expect(listState({ page: "3", limit: "50", q: "  alpha ", sort: "name", order: "desc" })).toEqual({
      page: 3,
      limit: 50,
      q: "alpha",
      sort: "name",
      order: "desc",
    });
  });

  test("a field out of bounds or of the wrong kind takes its default; the others stay", () => {
    const odd = { page: "0", limit: "101", sort: "size", order: "up", q: 42 };
    expect(listState(odd)).toEqual({ page: 1, limit: PAGE_SIZE, q: "", sort: "updated", order: "desc" });
    expect(listState({ page: "abc", sort: "files" }).page).toBe(1);
    expect(listState({ page: String(MAX_PAGE) }).page).toBe(MAX_PAGE);
    expect(listState({ page: "1e308" }).page).toBe(1);
    expect(listState({ q: "x".repeat(101) }).q).toBe("");
  });

  test("without an order, a column starts in its own: names A→Z, numbers and dates biggest first", () => {
    for (const sort of ["name", "language", "updated", "files"] as const) {
      expect(listState({ sort }).order).toBe(defaultOrder(sort));
    }
    expect(defaultOrder("name")).toBe("asc");
    expect(defaultOrder("files")).toBe("desc");
  });
});
