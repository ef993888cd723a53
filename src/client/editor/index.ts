import { listenForCompare } from "./compare.ts";
import { type EditorHandle, mount } from "./mount.ts";

export type { EditorHandle } from "./mount.ts";
export { mount };

const mounted = new Map<HTMLElement, EditorHandle>();

/**
 * Mount every `[data-editor]` under `root` that has no editor yet and destroy the editors whose
 * element has left the page. Runs on load and after every htmx swap; call it yourself only for
 * markup inserted without htmx.
 */
export function mountAll(root: ParentNode = document): void {
  for (const [el, handle] of mounted) {
    if (!el.isConnected) {
      handle.destroy();
      mounted.delete(el);
    }
  }
  const candidates = [...root.querySelectorAll<HTMLElement>("[data-editor]")];
  if (root instanceof HTMLElement && root.matches("[data-editor]")) candidates.push(root);
  for (const el of candidates) if (!mounted.has(el) && el.isConnected) mounted.set(el, mount(el));
}

// htmx 4 has no htmx:load; it fires htmx:after:process on each processed subtree (initial
// load and swaps) and htmx:after:swap on the requesting element. htmx:before:cleanup only
// fires for htmx-powered elements, so removal is detected by sweeping for detached editors.
const onHtmx = (event: Event) => mountAll(event.target instanceof Element ? event.target : document);
document.addEventListener("htmx:after:process", onHtmx);
document.addEventListener("htmx:after:swap", () => mountAll(document));
listenForCompare();
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => mountAll());
else mountAll();
