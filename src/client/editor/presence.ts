import type { Awareness } from "y-protocols/awareness";

/**
 * Colours for people, each readable as white text on it (4.5:1 or more) and visible as a caret
 * on the light and the dark editor alike.
 */
const PALETTE = [
  "#dc2626",
  "#c2410c",
  "#a16207",
  "#15803d",
  "#0f766e",
  "#0369a1",
  "#4f46e5",
  "#7c3aed",
  "#a21caf",
  "#be185d",
];

/** A person's colour, the same on every page and browser: picked from the palette by their id. */
export function colorFor(id: string): string {
  let hash = 0x811c9dc5; // FNV-1a
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
  return PALETTE[(hash >>> 0) % PALETTE.length] ?? "#6845f5";
}

/** Up to two letters for a name: the first letters of its first and last words ("Ada Lovelace" → "AL"). */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const first = [...(words[0] ?? "?")][0] ?? "?";
  const last = words.length > 1 ? ([...(words.at(-1) ?? "")][0] ?? "") : "";
  return (first + last).toUpperCase();
}

/** One person in the presence list. */
export interface Person {
  id: string;
  name: string;
  color: string;
  self: boolean;
}

/** The user a presence state names, when it is well formed (the server sets it for every peer). */
function userOf(state: unknown): { id?: string; name: string; color: string } | undefined {
  const user = (state as { user?: unknown } | null)?.user as Record<string, unknown> | undefined;
  if (!user || typeof user.name !== "string" || typeof user.color !== "string") return undefined;
  return { id: typeof user.id === "string" ? user.id : undefined, name: user.name, color: user.color };
}

/**
 * The people in a document's presence: yourself first, then the others by name, each once
 * (a person with the file open in two tabs is one person). `selfId` is your user id.
 */
export function peopleIn(awareness: Awareness, selfId: string | undefined): Person[] {
  const people = new Map<string, Person>();
  // Without a name from the page (`data-user-name`), you are still there: as "You", in grey.
  const mine = userOf(awareness.getLocalState()) ?? { name: "You", color: "#64748b" };
  const self = selfId ?? mine.id ?? `client:${awareness.clientID}`;
  people.set(self, { id: self, name: mine.name, color: mine.color, self: true });
  for (const [client, state] of awareness.getStates()) {
    const user = client === awareness.clientID ? undefined : userOf(state);
    const id = user?.id ?? `client:${client}`;
    if (user && !people.has(id)) people.set(id, { id, name: user.name, color: user.color, self: false });
  }
  return [...people.values()].sort((a, b) => Number(b.self) - Number(a.self) || a.name.localeCompare(b.name));
}

/** How many people the header shows by face; the rest are one "+N" with their names in its title. */
const SHOWN = 5;
const BADGE =
  "flex size-7 items-center justify-center rounded-full text-[11px] font-semibold text-white select-none";

function badge(text: string, label: string, color: string): HTMLLIElement {
  const item = document.createElement("li");
  item.title = label;
  const face = document.createElement("span");
  face.className = BADGE;
  face.style.backgroundColor = color; // through the CSSOM: a bad value is dropped, never parsed as CSS
  face.setAttribute("aria-hidden", "true");
  face.textContent = text;
  const name = document.createElement("span");
  name.className = "sr-only";
  name.textContent = label;
  item.append(face, name);
  return item;
}

/** Fill the header's presence list; names go in as text, never as markup. */
export function renderPeople(list: HTMLElement, people: Person[]): void {
  const faces = people.length > SHOWN ? people.slice(0, SHOWN - 1) : people;
  const rest = people.slice(faces.length);
  const items = faces.map((person) => {
    const label = person.self && person.name !== "You" ? `${person.name} (you)` : person.name;
    const item = badge(initials(person.name), label, person.color);
    item.dataset.person = person.self ? "self" : "other";
    return item;
  });
  if (rest.length > 0) items.push(badge(`+${rest.length}`, rest.map((p) => p.name).join(", "), "#64748b"));
  list.replaceChildren(...items);
}

/**
 * Keep the header's `#presence` list showing the people in `awareness` until the returned stop
 * runs (which empties it).
 *
 * Presence is per document: the list shows the people with this file open, not everyone in the
 * project. That is what the awareness of the open file knows without another connection, and
 * it is the set whose cursors you can see in the editor.
 */
export function showPresence(awareness: Awareness, selfId: string | undefined): () => void {
  const list = document.getElementById("presence");
  if (!list) return () => {};
  let shown = "";
  const render = () => {
    const people = peopleIn(awareness, selfId);
    const key = JSON.stringify(people);
    if (key === shown) return; // cursor moves change presence too; redraw only for people
    shown = key;
    renderPeople(list, people);
  };
  awareness.on("change", render);
  render();
  return () => {
    awareness.off("change", render);
    list.replaceChildren();
  };
}
