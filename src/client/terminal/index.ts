/**
 * The terminal panel's screen (views/editor/_terminal.tsx): xterm attached to the terminal's
 * WebSocket. Keystrokes go as binary frames, the panel's size as resize control frames. When
 * the connection drops it attaches again; the server then sends the retained output first, which
 * replaces what the screen showed, so nothing appears twice. Loaded by the shell only when the
 * panel is shown.
 */
import { FitAddon } from "@xterm/addon-fit";
import { Terminal } from "@xterm/xterm";
import css from "@xterm/xterm/css/xterm.css" with { type: "text" };
import { currentTheme, followTheme } from "./theme.ts";

/** After this many failed attempts in a row without ever attaching, stop and say so. */
const GIVE_UP_AFTER = 4;
/** The server closed the socket because the session it was opened with ended (a logout). */
const SESSION_ENDED = 4401;

const END_TEXT: Record<string, string> = {
  memory: "Ended: it used more memory than a terminal may",
  processes: "Ended: it started more processes than a terminal may",
  idle: "Closed after being idle",
  closed: "Closed",
  access: "Closed: you can no longer edit this project",
};

function addStyles(): void {
  if (document.querySelector("style[data-xterm]")) return;
  const style = document.createElement("style");
  style.dataset.xterm = "";
  style.textContent = css;
  document.head.append(style);
}

/** Mount the terminal in its panel and attach; returns `destroy`, which detaches (the shell keeps running). */
export function mount(root: HTMLElement): () => void {
  addStyles();
  const screen = root.querySelector<HTMLElement>("[data-terminal-screen]")!;
  const statusEl = root.querySelector<HTMLElement>("[data-terminal-status]");
  const status = (text: string, state: "ok" | "error" = "ok") => {
    if (!statusEl) return;
    statusEl.textContent = text;
    statusEl.dataset.state = state;
  };
  const term = new Terminal({
    fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace',
    fontSize: 13,
    cursorBlink: true,
    scrollback: 5000,
    theme: currentTheme(),
  });
  const fit = new FitAddon();
  term.loadAddon(fit);
  term.open(screen);
  fit.fit();
  const stopTheme = followTheme(() => {
    term.options.theme = currentTheme();
  });

  let ws: WebSocket | undefined;
  let destroyed = false;
  let ended = false;
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const encoder = new TextEncoder();
  const send = (data: string | Uint8Array) => {
    if (ws?.readyState === WebSocket.OPEN) ws.send(data);
  };
  const sendSize = () => send(JSON.stringify({ type: "resize", cols: term.cols, rows: term.rows }));
  term.onData((data) => send(encoder.encode(data)));
  term.onBinary((data) => send(Uint8Array.from(data, (c) => c.charCodeAt(0))));
  term.onResize(sendSize);

  const connect = () => {
    const url = new URL(root.dataset.terminalSocket ?? "", location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    const socket = new WebSocket(url);
    socket.binaryType = "arraybuffer";
    ws = socket;
    let attached = false;
    let replayed = false;
    socket.onopen = () => {
      attached = true;
      failures = 0;
      status("Connected");
      root.dataset.terminalState = "connected";
      sendSize();
    };
    socket.onmessage = (e: MessageEvent<string | ArrayBuffer>) => {
      if (typeof e.data === "string") {
        const message = JSON.parse(e.data) as { type?: string; exitCode?: number | null; error?: string };
        if (message.type !== "exit") return;
        ended = true;
        const text = message.error ? END_TEXT[message.error] : `Exited with code ${message.exitCode}`;
        status(text ?? "Ended", message.error && message.error !== "closed" ? "error" : "ok");
        root.dataset.terminalState = "ended";
        return;
      }
      // The first frame of an attach is the retained output: it replaces the screen.
      if (!replayed) term.reset();
      replayed = true;
      term.write(new Uint8Array(e.data));
    };
    socket.onclose = (e) => {
      if (destroyed || ended) return;
      if (e.code === SESSION_ENDED) {
        status("Signed out — sign in again to reattach", "error");
        root.dataset.terminalState = "gone";
        return;
      }
      if (!attached) failures++;
      if (failures >= GIVE_UP_AFTER) {
        status("This terminal is gone; open a new one", "error");
        root.dataset.terminalState = "gone";
        return;
      }
      status("Reconnecting…", "error");
      root.dataset.terminalState = "reconnecting";
      timer = setTimeout(connect, Math.min(4000, 250 * 2 ** failures));
    };
  };
  connect();

  // The panel's size decides the terminal's: refit on every change (one per frame at most).
  let frame = 0;
  const resizer = new ResizeObserver(() => {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(() => fit.fit());
  });
  resizer.observe(screen);
  term.focus();

  return () => {
    destroyed = true;
    clearTimeout(timer);
    cancelAnimationFrame(frame);
    resizer.disconnect();
    stopTheme();
    ws?.close();
    term.dispose();
  };
}
