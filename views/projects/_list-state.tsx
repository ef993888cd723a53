import { defaultOrder, type ListState, PAGE_SIZE } from "../../src/features/projects/model.ts";

export { defaultOrder, type ListState };

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
