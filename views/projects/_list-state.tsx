import type { ProjectSort } from "../../src/db/queries/projects.ts";
import { MAX_PAGE } from "../../src/features/projects/model.ts";

/** What the dashboard is showing: one page of a search in one order. Kept in the URL. */
export interface ListState {
  page: number;
  limit: number;
  q: string;
  sort: ProjectSort;
  order: "asc" | "desc";
}

export const PAGE_SIZE = 20;
const SORTS: readonly ProjectSort[] = ["updated", "name", "language", "files"];

/** The order a column starts in when first clicked: names A→Z, numbers and dates biggest first. */
export function defaultOrder(sort: ProjectSort): "asc" | "desc" {
  return sort === "name" || sort === "language" ? "asc" : "desc";
}

/** A state from loosely typed input (query or posted form fields); anything odd falls back to the default. */
export function listState(input: Record<string, unknown>): ListState {
  const int = (v: unknown, fallback: number, max: number) => {
    const n = Number(v);
    return Number.isInteger(n) && n >= 1 ? Math.min(n, max) : fallback;
  };
  const sort = SORTS.includes(input.sort as ProjectSort) ? (input.sort as ProjectSort) : "updated";
  const order = input.order === "asc" || input.order === "desc" ? input.order : defaultOrder(sort);
  const q = typeof input.q === "string" ? input.q.trim().slice(0, 100) : "";
  return { page: int(input.page, 1, MAX_PAGE), limit: int(input.limit, PAGE_SIZE, 100), q, sort, order };
}

/** The dashboard URL for a state, leaving defaults out so links stay short. */
export function listUrl(state: ListState, change: Partial<ListState> = {}): string {
  const s = { ...state, ...change };
  const params = new URLSearchParams();
  if (s.q) params.set("q", s.q);
  if (s.sort !== "updated") params.set("sort", s.sort);
  if (s.order !== defaultOrder(s.sort)) params.set("order", s.order);
  if (s.page > 1) params.set("page", String(s.page));
  if (s.limit !== PAGE_SIZE) params.set("limit", String(s.limit));
  const query = params.toString();
  return query ? `/projects?${query}` : "/projects";
}

/** The state as hidden fields, so a rename or delete comes back to the same page of the list. */
export function StateFields({ state }: { state: ListState }) {
  return (
    <>
      <input type="hidden" name="q" value={state.q} />
      <input type="hidden" name="sort" value={state.sort} />
      <input type="hidden" name="order" value={state.order} />
      <input type="hidden" name="page" value={String(state.page)} />
      <input type="hidden" name="limit" value={String(state.limit)} />
    </>
  );
}
