/**
 * Terminal benchmark, on loopback, with Aura as its own process (`bun src/index.ts`, embedded
 * stores, the local bubblewrap runner; needs root and bubblewrap):
 *
 * 1. Keystroke echo round trip: one printable key sent as a binary frame on the terminal's
 *    WebSocket until its echo (readline's) arrives back as a frame — KEYS (300) keys, typed one
 *    at a time with a TYPING_GAP_MS (20 ms) pause, the line cleared (Ctrl-U) every 40 keys.
 *    Target p95 ≤ 15 ms. In the same run, interleaved in blocks, the same keys into a raw
 *    `Bun.Terminal` (bash on a PTY in this process: no server, no socket, no sandbox) are the
 *    baseline.
 * 2. Click to prompt: in Chromium, from the click on Terminal to the first prompt drawn by
 *    xterm — `cold` in a fresh browser context (the terminal module is fetched), `warm` in the
 *    same context after a first open (module cached); a new terminal (and sandbox) each time.
 *    Target ≤ 500 ms.
 *
 * Run: `bun test/bench/terminal.ts` (KEYS=n, OPENS=n). Writes test/bench/results/terminal.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { browserUnavailable, launchBrowser, signIn } from "../helpers/browser.ts";
import { spawnServer } from "../helpers/server-process.ts";
import { median } from "./helpers.ts";

const KEYS = Number(process.env.KEYS ?? 300);
const OPENS = Number(process.env.OPENS ?? 7);
const TYPING_GAP_MS = 20;
const BLOCK = 50;
const root = join(import.meta.dir, "..", "..");
const scratch = mkdtempSync(join(tmpdir(), "aura-bench-terminal-"));

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
const round = (n: number) => Math.round(n * 100) / 100;
const summary = (values: number[]) => ({
  n: values.length,
  p50: round(percentile(values, 50)),
  p95: round(percentile(values, 95)),
  max: round(Math.max(...values)),
});

/** Something keystrokes go into and whose output arrives by callback. */
interface Echoer {
  send(key: string): void;
  /** Called with each output chunk (latin1: one char per byte). */
  onOutput: (text: string) => void;
}

/** Type `count` keys into `target`, each after the previous one's echo; the ms of each round trip. */
async function typeKeys(target: Echoer, count: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    if (i > 0 && i % 40 === 0) {
      target.onOutput = () => {};
      target.send("\x15");
      await Bun.sleep(60);
    }
    const key = String.fromCharCode(97 + (i % 26));
    const echoed = new Promise<number>((resolve) => {
      target.onOutput = (text) => {
        if (text.includes(key)) resolve(performance.now());
      };
    });
    const sent = performance.now();
    target.send(key);
    times.push((await echoed) - sent);
    await Bun.sleep(TYPING_GAP_MS);
  }
  target.onOutput = () => {};
  target.send("\x15");
  await Bun.sleep(60);
  return times;
}

function rawTerminal(): Promise<{ echoer: Echoer; close(): void }> {
  const echoer: Echoer = { send: () => {}, onOutput: () => {} };
  let out = "";
  const proc = Bun.spawn(["/usr/bin/bash", "--noprofile", "--norc", "-i"], {
    env: { PATH: "/usr/bin:/bin", TERM: "xterm-256color", PS1: "raw $ ", HOME: scratch },
    cwd: scratch,
    terminal: {
      cols: 80,
      rows: 24,
      data: (_t, data) => {
        const text = Buffer.from(data).toString("latin1");
        out += text;
        echoer.onOutput(text);
      },
    },
  });
  echoer.send = (key) => proc.terminal!.write(key);
  return (async () => {
    while (!out.includes("$ ")) await Bun.sleep(5);
    return {
      echoer,
      close() {
        proc.kill("SIGKILL");
        proc.terminal!.close();
      },
    };
  })();
}

async function socketTerminal(base: string, token: string, projectId: string) {
  const res = await fetch(`${base}/api/v1/projects/${projectId}/terminals`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: "{}",
  });
  if (res.status !== 201) throw new Error(`open terminal: ${res.status} ${await res.text()}`);
  const { id } = (await res.json()) as { id: string };
  const ws = new WebSocket(
    `${base.replace(/^http/, "ws")}/api/v1/projects/${projectId}/terminals/${id}?token=${token}`,
  );
  ws.binaryType = "arraybuffer";
  const echoer: Echoer = { send: (key) => ws.send(new TextEncoder().encode(key)), onOutput: () => {} };
  let out = "";
  ws.onmessage = (e) => {
    if (typeof e.data === "string") return;
    const text = Buffer.from(e.data as ArrayBuffer).toString("latin1");
    out += text;
    echoer.onOutput(text);
  };
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = reject;
  });
  while (!out.includes("$ ")) await Bun.sleep(5);
  return {
    echoer,
    async close() {
      ws.close();
      await fetch(`${base}/api/v1/projects/${projectId}/terminals/${id}`, {
        method: "DELETE",
        headers: { authorization: `Bearer ${token}` },
      });
    },
  };
}

const server = spawnServer({
  dataDir: join(scratch, "data"),
  env: {
    LOG_LEVEL: "warn",
    RATE_LIMIT_EDITOR: "1000000/1m",
    RATE_LIMIT_API: "1000000/1m",
    TERMINALS_PER_USER: "4",
  },
});
try {
  await server.ready();
  console.log("server ready");
  const account = {
    email: `bench-${crypto.randomUUID().slice(0, 8)}@example.com`,
    password: "correct horse battery",
    firstName: "Bench",
    lastName: "Mark",
  };
  const reg = await fetch(`${server.base}/api/v1/auth/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(account),
  });
  const { token } = (await reg.json()) as { token: string };
  const created = await fetch(`${server.base}/api/v1/projects`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ name: "Bench", language: "python" }),
  });
  const project = (await created.json()) as { id: string };

  // 1. Echo: server and raw PTY in alternating blocks, so machine noise hits both.
  const viaServer = await socketTerminal(server.base, token, project.id);
  console.log("terminal attached");
  const raw = await rawTerminal();
  console.log("raw PTY ready");
  const serverTimes: number[] = [];
  const rawTimes: number[] = [];
  await typeKeys(viaServer.echoer, 20); // warm-up
  await typeKeys(raw.echoer, 20);
  for (let done = 0; done < KEYS; done += BLOCK) {
    const n = Math.min(BLOCK, KEYS - done);
    serverTimes.push(...(await typeKeys(viaServer.echoer, n)));
    rawTimes.push(...(await typeKeys(raw.echoer, n)));
  }
  await viaServer.close();
  raw.close();
  const echo = {
    server: summary(serverTimes),
    rawBunTerminal: summary(rawTimes),
    targetP95Ms: 15,
    pass: percentile(serverTimes, 95) <= 15,
  };
  console.log("echo round trip (ms):", echo);

  // 2. Click to prompt, in Chromium.
  let clickToPrompt: Record<string, unknown> = { skipped: browserUnavailable() };
  if (!browserUnavailable()) {
    const browser = await launchBrowser();
    try {
      const openOnce = async (page: import("playwright-core").Page) => {
        await page.goto(`${server.base}/projects/${project.id}?file=main.py`);
        await page.waitForSelector("[data-editor][data-editor-ready=true] .cm-editor");
        const ms = await page.evaluate(
          () =>
            new Promise<number>((resolve) => {
              const started = performance.now();
              document.querySelector<HTMLElement>("[data-terminal-open]")!.click();
              const check = () => {
                const rows = document.querySelector("[data-terminal-screen] .xterm-rows");
                if (rows?.textContent?.includes("$")) resolve(performance.now() - started);
                else requestAnimationFrame(check);
              };
              check();
            }),
        );
        // Close it, so the next click starts a new terminal rather than resuming this one.
        await page.locator('[aria-label="Close the terminal"]').click();
        await page.waitForFunction(() => !document.querySelector("[data-terminal]"));
        return ms;
      };
      const cold: number[] = [];
      const warm: number[] = [];
      for (let i = 0; i < OPENS; i++) {
        const context = await browser.newContext({ viewport: { width: 1200, height: 720 } });
        const page = await context.newPage();
        await signIn(page, server.base, account);
        cold.push(await openOnce(page));
        warm.push(await openOnce(page));
        await context.close();
      }
      clickToPrompt = {
        coldMedianMs: round(median(cold)),
        warmMedianMs: round(median(warm)),
        coldMaxMs: round(Math.max(...cold)),
        warmMaxMs: round(Math.max(...warm)),
        runs: OPENS,
        targetMs: 500,
        pass: median(cold) <= 500,
      };
      console.log("click to prompt (ms):", clickToPrompt);
    } finally {
      await browser.close();
    }
  }

  const results = {
    at: new Date().toISOString(),
    cores: cpus().length,
    keys: KEYS,
    echo,
    clickToPrompt,
  };
  mkdirSync(join(root, "test/bench/results"), { recursive: true });
  writeFileSync(join(root, "test/bench/results/terminal.json"), `${JSON.stringify(results, null, 2)}\n`);
} finally {
  await server.stop();
  rmSync(scratch, { recursive: true, force: true });
}
