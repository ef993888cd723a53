/**
 * The terminal panel (views/editor/_terminal.tsx): when it is swapped in, load the terminal
 * module from the URL it names (xterm is in no bundle the page loads first) and mount it; when
 * the panel goes, unmount it (the shell keeps running on the server until closed or idle).
 */
import { $ } from "./dom.ts";

interface Mounted {
  root: HTMLElement;
  destroy?: () => void;
}

let live: Mounted | undefined;

type TerminalModule = { mount(root: HTMLElement): () => void };
const loading = new Map<string, Promise<TerminalModule>>();
/** The module at `url`, fetched once (a click on Terminal starts it while the server opens the shell). */
const load = (url: string) => {
  let module = loading.get(url);
  if (!module) {
    module = import(url) as Promise<TerminalModule>;
    loading.set(url, module);
    module.catch(() => loading.delete(url));
  }
  return module;
};

function stop(): void {
  live?.destroy?.();
  live = undefined;
}

function start(root: HTMLElement): void {
  stop();
  const mounted: Mounted = { root };
  live = mounted;
  const url = root.dataset.terminalModule;
  if (!url) return;
  load(url).then(
    (module) => {
      if (live === mounted && root.isConnected) mounted.destroy = module.mount(root);
    },
    () => {
      const status = $<HTMLElement>("[data-terminal-status]", root);
      if (status) {
        status.textContent = "The terminal could not load";
        status.dataset.state = "error";
      }
    },
  );
}

export function listenForTerminal(): void {
  document.addEventListener("click", (e) => {
    const url = (e.target as Element).closest?.<HTMLElement>("[data-terminal-open]")?.dataset.terminalOpen;
    if (url) void load(url).catch(() => undefined);
  });
  document.addEventListener("htmx:after:swap", () => {
    const root = $<HTMLElement>("[data-terminal]");
    if (root && root !== live?.root) start(root);
    else if (!root && live) stop();
  });
  const panel = $("#panel");
  if (panel)
    new MutationObserver(() => {
      if (live && !live.root.isConnected) stop();
    }).observe(panel, { childList: true });
}
