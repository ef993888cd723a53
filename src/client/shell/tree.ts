/** The file tree's keyboard model (https://www.w3.org/WAI/ARIA/apg/patterns/treeview/): roving tabindex. */
import { openDialog } from "./dialogs.ts";
import { $ } from "./dom.ts";

const items = (tree: Element) =>
  [...tree.querySelectorAll<HTMLElement>('[role="treeitem"]')].filter(
    (el) => !el.parentElement?.closest('[aria-expanded="false"]'),
  );

function focusItem(item: HTMLElement | undefined): void {
  if (!item) return;
  const tree = item.closest('[role="tree"]');
  for (const el of tree?.querySelectorAll<HTMLElement>('[tabindex="0"]') ?? []) el.tabIndex = -1;
  item.tabIndex = 0;
  item.focus();
}

function toggle(item: HTMLElement, open?: boolean): void {
  if (item.dataset.kind !== "folder") return;
  item.setAttribute("aria-expanded", String(open ?? item.getAttribute("aria-expanded") !== "true"));
}

function onTreeKey(e: KeyboardEvent): void {
  const item = (e.target as HTMLElement).closest<HTMLElement>('[role="treeitem"]');
  const tree = item?.closest('[role="tree"]');
  if (!item || !tree || e.target !== item) return;
  const list = items(tree);
  const at = list.indexOf(item);
  const folder = item.dataset.kind === "folder";
  const expanded = item.getAttribute("aria-expanded") === "true";
  const parent = item.parentElement?.closest<HTMLElement>('[role="treeitem"]') ?? undefined;
  const moves: Record<string, () => void> = {
    ArrowDown: () => focusItem(list[at + 1]),
    ArrowUp: () => focusItem(list[at - 1]),
    Home: () => focusItem(list[0]),
    End: () => focusItem(list.at(-1)),
    ArrowRight: () => (folder && !expanded ? toggle(item, true) : folder && focusItem(list[at + 1])),
    ArrowLeft: () => (folder && expanded ? toggle(item, false) : focusItem(parent)),
    Enter: () => (folder ? toggle(item) : $<HTMLElement>("[data-open]", item)?.click()),
    " ": () => (folder ? toggle(item) : $<HTMLElement>("[data-open]", item)?.click()),
    F2: () => openDialog("rename-dialog", item.dataset.path ?? ""),
    Delete: () => openDialog("delete-dialog", item.dataset.path ?? ""),
  };
  const move = moves[e.key];
  if (!move || e.altKey || e.ctrlKey || e.metaKey) return;
  e.preventDefault();
  move();
}

/** Keep tree selection and roving focus in step with the open file and the swapped-in tree. */
export function syncTree(): void {
  const tree = $('[role="tree"]');
  if (!tree) return;
  const path = $<HTMLElement>("[data-editor]")?.dataset.path;
  for (const el of tree.querySelectorAll<HTMLElement>('[role="treeitem"]')) {
    const selected = el.dataset.path === path && el.dataset.kind === "file";
    el.setAttribute("aria-selected", String(selected));
    el.tabIndex = selected ? 0 : -1;
  }
  if (!tree.querySelector('[tabindex="0"]')) {
    const first = tree.querySelector<HTMLElement>('[role="treeitem"]');
    if (first) first.tabIndex = 0;
  }
}

export function listenToTree(): void {
  document.addEventListener("keydown", onTreeKey);
  document.addEventListener("click", (e) => {
    const target = e.target as HTMLElement;
    const item = target.closest<HTMLElement>('[role="treeitem"]');
    if (item && !target.closest("button")) {
      if (target.closest("[data-toggle]")) toggle(item);
      focusItem(item);
    }
  });
}
