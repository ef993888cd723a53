import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { aiInteractions } from "../../src/db/schema/ai-interactions.ts";
import { type ScriptedUpstream, startScriptedUpstream } from "../helpers/ai-upstream.ts";
import { createTestApp, type TestApp } from "../helpers/app.ts";
import { registerUser } from "../helpers/auth.ts";
import { api } from "../helpers/projects.ts";
import { listen } from "../helpers/server.ts";

const MODELS = { AI_MODEL_PRIMARY: "m-primary", AI_MODEL_FALLBACK: "m-fallback", AI_MODEL_FAST: "m-fast" };
// $1 and $2 per million input/output tokens for every scripted model.
const PRICES = JSON.stringify(
  Object.fromEntries(Object.values(MODELS).map((m) => [m, { input: 1, output: 2 }])),
);

type User = Awaited<ReturnType<typeof registerUser>>;

let upstream: ScriptedUpstream;
let t: TestApp;
let server: ReturnType<typeof listen>;
let alice: User;
let bob: User;
let project: { id: string };

beforeAll(async () => {
  upstream = startScriptedUpstream();
  t = await createTestApp({
    ...MODELS,
    AI_BASE_URL: upstream.url,
    AI_PRICES: PRICES,
    AI_TIMEOUT_MS: "400",
    RATE_LIMIT_EDITOR: "100000/15m",
  });
  server = listen(t);
  alice = await registerUser(t);
  bob = await registerUser(t);
  project = await api(t, alice.auth).project({ name: "AI" });
  // Prompts carry what the project search finds, and so do cache keys: let the template's
  // background indexing finish, or a repeated call may see more context than the first.
  await t.deps.context.idle();
});
afterAll(async () => {
  await server?.stop();
  await t?.close();
  await upstream?.stop();
});

const post = (user: User, path: string, body: unknown, headers: Record<string, string> = {}) =>
  t.request(`/api/v1/ai/${path}`, {
    method: "POST",
    headers: { ...user.auth, "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

/** Read until `done` holds (for rows written after the answer), for at most 2 s; the last read either way. */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 2_000;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await Bun.sleep(10);
    value = await read();
  }
  return value;
}

async function rows(userId: string, type?: string) {
  const db = await t.deps.db.get();
  return db
    .select()
    .from(aiInteractions)
    .where(
      type
        ? and(eq(aiInteractions.userId, userId), eq(aiInteractions.requestType, type))
        : eq(aiInteractions.userId, userId),
    );
}

interface SseEvent {
  event: string;
  data: Record<string, unknown>;
  at: number;
}

/** Chat over real HTTP with Accept: text/event-stream; `onEvent` may abort. */
async function chatStream(
  user: User,
  body: Record<string, unknown>,
  onEvent: (e: SseEvent, abort: () => void) => void = () => undefined,
): Promise<SseEvent[]> {
  const controller = new AbortController();
  const res = await fetch(`${server.url}/api/v1/ai/chat`, {
    method: "POST",
    headers: { ...user.auth, "content-type": "application/json", accept: "text/event-stream" },
    body: JSON.stringify(body),
    signal: controller.signal,
  });
  expect(res.status).toBe(200);
  const events: SseEvent[] = [];
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      buffer += decoder.decode(read.value, { stream: true });
      for (let i = buffer.indexOf("\n\n"); i >= 0; i = buffer.indexOf("\n\n")) {
        const block = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        const e = {
          event: /^event: (.*)$/m.exec(block)?.[1] ?? "message",
          data: JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? "null"),
          at: performance.now(),
        };
        events.push(e);
        onEvent(e, () => controller.abort());
      }
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  }
  return events;
}

const unique = () => crypto.randomUUID().slice(0, 8);

describe("inline completion", () => {
  test("answers from the fast model, costs what its price says, records a row, then hits the cache", async () => {
    upstream.script("m-fast", {
      kind: "reply",
      chunks: ["return a", " + b;"],
      usage: { prompt_tokens: 1000, completion_tokens: 500 },
    });
    const code = `function add${unique()}(a, b) {\n  \n}`;
    const body = {
      projectId: project.id,
      code,
      language: "javascript",
      cursorPosition: code.indexOf("\n  ") + 3,
    };
    const first = await post(alice, "complete", body);
    expect(first.status).toBe(200);
    const answer = (await first.json()) as Record<string, unknown>;
    expect(answer).toMatchObject({
      suggestions: [{ text: "return a + b;", type: "completion" }],
      model: "m-fast",
      cacheHit: false,
    });
    // 1000 input tokens at $1/M + 500 output at $2/M = $0.002 = 0.2 cents.
    expect(answer.cost).toBeCloseTo(0.2, 6);
    expect(answer.contextUsed).toBeArray();
    const sent = upstream.requestsFor("m-fast").at(-1)!;
    expect(JSON.stringify(sent.body.messages)).toContain("<cursor/>");

    const before = upstream.requestsFor("m-fast").length;
    const again = (await (await post(alice, "complete", body)).json()) as Record<string, unknown>;
    expect(again).toMatchObject({ suggestions: [{ text: "return a + b;" }], cacheHit: true, cost: 0 });
    expect(upstream.requestsFor("m-fast").length).toBe(before);

    // The hit answered before its row was written (it costs nothing); the row follows.
    const recorded = await eventually(
      async () =>
        (await rows(alice.user.id, "completion")).filter(
          (r) => r.requestData?.cursorPosition === body.cursorPosition,
        ),
      (found) => found.length === 2,
    );
    expect(recorded.map((r) => [r.model, r.tokensInput, r.tokensOutput, r.cacheHit])).toEqual([
      ["m-fast", 1000, 500, false],
      ["m-fast", 1000, 500, true],
    ]);
    expect(recorded[0]!.cost).toBeCloseTo(0.2, 6);
    expect(recorded[0]!.latencyMs).toBeGreaterThanOrEqual(0);
  });

  test("a cached answer whose row cannot be written is still served, and the failure is logged", async () => {
    const code = `const total${unique()} = `;
    const body = { projectId: project.id, code, language: "javascript", cursorPosition: code.length };
    upstream.script("m-fast", {
      kind: "reply",
      chunks: ["1;"],
      usage: { prompt_tokens: 10, completion_tokens: 1 },
    });
    expect((await post(alice, "complete", body)).status).toBe(200);
    // The hit is served from the cache and the memo; only writing its row needs the database.
    const db = t.deps.db;
    const get = db.get;
    db.get = () => Promise.reject(new Error("database went away"));
    try {
      const hit = await post(alice, "complete", body);
      expect(hit.status).toBe(200);
      expect(await hit.json()).toMatchObject({ cacheHit: true, suggestions: [{ text: "1;" }] });
      const logged = await eventually(
        async () => t.logs.filter((l) => l.msg === "ai interaction not recorded"),
        (lines) => lines.length > 0,
      );
      expect(JSON.stringify(logged)).toContain("database went away");
    } finally {
      db.get = get;
    }
  });

  test("a cursor outside the code is a 400 naming cursorPosition; someone else's project is 404", async () => {
    const bad = await post(alice, "complete", {
      projectId: project.id,
      code: "ab",
      language: "js",
      cursorPosition: 9,
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toStartWith(
      "cursorPosition:",
    );
    for (const path of ["complete", "chat", "analyze"]) {
      const res = await post(bob, path, {
        projectId: project.id,
        code: "x",
        language: "js",
        cursorPosition: 0,
        message: "hi",
      });
      expect(res.status).toBe(404);
    }
  });

  test("a completion the client gives up on aborts the upstream call and fails over nowhere", async () => {
    upstream.script("m-fast", { kind: "hang" });
    const before = upstream.requestsFor("m-fallback").length;
    const code = `// abandoned ${unique()}`;
    await fetch(`${server.url}/api/v1/ai/complete`, {
      method: "POST",
      headers: { ...alice.auth, "content-type": "application/json" },
      body: JSON.stringify({ projectId: project.id, code, language: "js", cursorPosition: 0 }),
      signal: AbortSignal.timeout(150),
    }).catch(() => undefined);
    const call = upstream.requestsFor("m-fast").at(-1)!;
    for (let i = 0; i < 20 && !call.aborted; i++) await Bun.sleep(25);
    expect(call.aborted).toBe(true);
    await Bun.sleep(600); // past AI_TIMEOUT_MS: a failover would have happened by now
    expect(upstream.requestsFor("m-fallback").length).toBe(before);
  });

  test("without usage from the upstream, tokens are counted locally", async () => {
    upstream.script("m-fast", { kind: "reply", chunks: ["const answer = 42;"], usage: false });
    const code = `// ${unique()}\n`;
    const res = await post(alice, "complete", {
      projectId: project.id,
      code,
      language: "js",
      cursorPosition: code.length,
    });
    expect(res.status).toBe(200);
    const [row] = (await rows(alice.user.id, "completion")).filter(
      (r) => r.requestData?.cursorPosition === code.length && !r.cacheHit,
    );
    expect(row!.tokensInput).toBeGreaterThan(20);
    expect(row!.tokensOutput).toBeGreaterThanOrEqual(5);
    expect(row!.cost).toBeGreaterThan(0);
  });
});

describe("chat", () => {
  test("tokens arrive as the model writes them, then references and done with cost and model", async () => {
    await api(t, alice.auth).put(`/api/v1/projects/${project.id}/files/src/util.js`, {
      content: "export const x = 1;\n",
    });
    upstream.script("m-primary", {
      kind: "reply",
      chunks: ["One", " two", " three", " four"],
      delayMs: 150,
      usage: { prompt_tokens: 200, completion_tokens: 4 },
    });
    const events = await chatStream(alice, {
      projectId: project.id,
      message: `Explain @src/util.js please ${unique()}`,
      context: { currentFile: "index.js", selectedCode: "greet" },
    });
    const tokens = events.filter((e) => e.event === "token");
    expect(tokens.map((e) => e.data.text).join("")).toBe("One two three four");
    // Streamed, not buffered: the deltas were 150 ms apart upstream and arrive spread out.
    expect(tokens.at(-1)!.at - tokens[0]!.at).toBeGreaterThan(300);
    const refs = events.find((e) => e.event === "references")!.data.references as {
      path: string;
      kind: string;
    }[];
    expect(refs.slice(0, 3)).toEqual([
      { path: "index.js", kind: "current-file" },
      { path: "index.js", kind: "selection" },
      { path: "src/util.js", kind: "mention" },
    ]);
    // Anything further is project code search found, never the files already sent whole.
    for (const r of refs.slice(3)) {
      expect(r).toMatchObject({ kind: "retrieved", line: expect.any(Number) });
      expect(["index.js", "src/util.js"]).not.toContain(r.path);
    }
    const done = events.at(-1)!;
    expect(done.event).toBe("done");
    expect(done.data).toMatchObject({ response: "One two three four", model: "m-primary", cacheHit: false });
    expect(done.data.cost).toBeGreaterThan(0);
    const prompt = JSON.stringify(upstream.requestsFor("m-primary").at(-1)!.body.messages);
    expect(prompt).toContain("export const x = 1;");
    expect(prompt).toContain("greet");
  });

  test("JSON chat answers with suggestions from code blocks, and the conversation is kept per project", async () => {
    const tag = unique();
    upstream.script("m-primary", {
      kind: "reply",
      chunks: ["Here:\n```js src/app.js\nconsole.log(1);\n```\n"],
    });
    const res = await post(alice, "chat", { projectId: project.id, message: `Write app.js ${tag}` });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.suggestions).toEqual([
      {
        action: "apply",
        code: "console.log(1);\n",
        description: "Apply to src/app.js",
        language: "js",
        path: "src/app.js",
      },
    ]);
    upstream.script("m-primary", { kind: "reply", chunks: ["Sure."] });
    await post(alice, "chat", { projectId: project.id, message: `And now? ${tag}` });
    const history = JSON.stringify(upstream.requestsFor("m-primary").at(-1)!.body.messages);
    expect(history).toContain(`Write app.js ${tag}`);
    expect(history).toContain("console.log(1);");
    // The conversation is kept in memory between messages; each new turn must reach the next.
    upstream.script("m-primary", { kind: "reply", chunks: ["Done."] });
    await post(alice, "chat", { projectId: project.id, message: `Third ${tag}` });
    const third = JSON.stringify(upstream.requestsFor("m-primary").at(-1)!.body.messages);
    expect(third).toContain(`And now? ${tag}`);
    expect(third).toContain("Sure.");
  });

  test("on 5xx, 429 or a hang before the first token the next tier answers; the answer names it", async () => {
    for (const failure of [
      { kind: "status", status: 500 },
      { kind: "status", status: 429 },
      { kind: "hang" },
    ] as const) {
      upstream.script("m-primary", failure);
      upstream.script("m-fallback", { kind: "reply", chunks: ["from the fallback"] });
      const res = await post(alice, "chat", {
        projectId: project.id,
        message: `failover ${failure.kind} ${unique()}`,
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ response: "from the fallback", model: "m-fallback" });
    }
    const hung = upstream.requestsFor("m-primary").at(-1)!;
    await Bun.sleep(50);
    expect(hung.aborted).toBe(true);
  });

  test("a dead model's circuit opens: after 3 failures in a row it is no longer called", async () => {
    // A fresh gateway: the tests above already opened m-primary's circuit in the shared one.
    const fresh = await createTestApp({ ...MODELS, AI_BASE_URL: upstream.url });
    try {
      const user = await registerUser(fresh);
      const own = await api(fresh, user.auth).project({ name: "Breaker" });
      upstream.reset();
      for (let i = 0; i < 5; i++) {
        upstream.script("m-primary", { kind: "status", status: 503 });
        upstream.script("m-fallback", { kind: "reply", chunks: ["ok"] });
        const res = await fresh.request("/api/v1/ai/chat", {
          method: "POST",
          headers: { ...user.auth, "content-type": "application/json" },
          body: JSON.stringify({ projectId: own.id, message: `breaker ${i} ${unique()}` }),
        });
        expect(res.status).toBe(200);
      }
      expect(upstream.requestsFor("m-primary").length).toBe(3);
      expect(upstream.requestsFor("m-fallback").length).toBe(5);
    } finally {
      upstream.reset();
      await fresh.close();
    }
  });

  test("when every model fails the answer is 502 and says why; a failure row is recorded", async () => {
    upstream.script("m-fast", { kind: "status", status: 500 });
    upstream.script("m-fallback", { kind: "status", status: 500 });
    upstream.script("m-primary", { kind: "status", status: 500 });
    const code = `// all fail ${unique()}`;
    const res = await post(alice, "complete", {
      projectId: project.id,
      code,
      language: "js",
      cursorPosition: 0,
    });
    expect(res.status).toBe(502);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain("m-fast");
    const failed = (await rows(alice.user.id, "completion")).filter((r) =>
      r.error?.includes("every model failed"),
    );
    expect(failed.length).toBeGreaterThan(0);
  });

  test("closing the stream aborts the upstream call, and the cancelled call is recorded", async () => {
    const tag = unique();
    const long = {
      kind: "reply",
      chunks: Array.from({ length: 30 }, (_, i) => `word${i} `),
      delayMs: 100,
    } as const;
    // Whichever tier answers (m-primary's circuit may still be open) streams slowly.
    upstream.reset();
    upstream.script("m-primary", long);
    upstream.script("m-fallback", long);
    const events = await chatStream(
      alice,
      { projectId: project.id, message: `long answer ${tag}` },
      (e, abort) => {
        if (e.event === "token") abort();
      },
    );
    expect(events.some((e) => e.event === "done")).toBe(false);
    const call = upstream.requests.at(-1)!;
    for (let i = 0; i < 40 && !call.aborted; i++) await Bun.sleep(50);
    expect(call.aborted).toBe(true);
    let cancelled: unknown[] = [];
    for (let i = 0; i < 40 && cancelled.length === 0; i++) {
      cancelled = (await rows(alice.user.id, "chat")).filter(
        (r) =>
          (r.requestData as { message?: string }).message === `long answer ${tag}` && r.error === "cancelled",
      );
      await Bun.sleep(50);
    }
    expect(cancelled).toHaveLength(1);
    upstream.reset();
  });
});

describe("long answers", () => {
  test("an answer the upstream sends all at once leaves room for other requests while it streams", async () => {
    const words = Array.from({ length: 20_000 }, (_, i) => `w${i % 10} `);
    upstream.reset();
    upstream.script("m-primary", { kind: "reply", chunks: words });
    upstream.script("m-fallback", { kind: "reply", chunks: words });
    let asked = false;
    let answeredAfter = Number.POSITIVE_INFINITY;
    let seen = 0;
    const events = await chatStream(alice, { projectId: project.id, message: `long ${unique()}` }, (e) => {
      seen++;
      if (e.event !== "token" || asked) return;
      asked = true;
      void fetch(`${server.url}/healthz`).then(() => {
        answeredAfter = seen;
      });
    });
    expect(events.filter((e) => e.event === "token")).toHaveLength(words.length);
    expect(events.at(-1)!.event).toBe("done");
    // /healthz was answered while the tokens were still coming, not once the answer had ended.
    expect(answeredAfter).toBeLessThan(events.length - 1);
    upstream.reset();
  });
});

describe("project context", () => {
  const BILLING = `export function computeInvoiceTotal(items) {
  return items.reduce((sum, item) => sum + item.price * item.quantity, 0);
}
`;
  // A long file: too big to send whole, so the code around the cursor goes instead.
  const LONG = Array.from(
    { length: 400 },
    (_, i) => `function step${i}(value) {\n  const next = value + ${i};\n  return next * 2;\n}\n`,
  ).join("\n");

  beforeAll(async () => {
    const as = api(t, alice.auth);
    await as.put(`/api/v1/projects/${project.id}/files/src/billing.js`, { content: BILLING });
    await as.put(`/api/v1/projects/${project.id}/files/src/steps.js`, { content: LONG });
    await t.deps.context.idle();
  });

  test("chat retrieves related code, names it with its lines, and puts the cursor's function first", async () => {
    const events = await chatStream(alice, {
      projectId: project.id,
      message: `How is the invoice total computed? ${unique()}`,
      context: { currentFile: "src/steps.js", cursorLine: 251 },
    });
    const refs = events.find((e) => e.event === "references")!.data.references as Record<string, unknown>[];
    const neighbours = refs.filter((r) => r.kind === "neighbour");
    // Line 251 is in step50 (5 lines per function): that chunk, then the ones either side.
    expect(neighbours[0]).toMatchObject({ path: "src/steps.js", line: 251, lineEnd: 254 });
    expect(neighbours.length).toBe(3);
    expect(refs).toContainEqual({ path: "src/billing.js", line: 1, lineEnd: 3, kind: "retrieved" });
    const prompt = String((upstream.requests.at(-1)!.body.messages as { content: string }[]).at(-1)!.content);
    expect(prompt).toContain("src/billing.js:1-3");
    expect(prompt).toContain("item.price * item.quantity");
    expect(prompt.indexOf("function step50(")).toBeLessThan(prompt.indexOf("computeInvoiceTotal"));
    // Within its budget: the long file is not sent whole twice over.
    expect(prompt.length).toBeLessThan(24_000 + 2_000 * 4 + 2_000);
  });

  test("a file sent whole is not repeated as retrieved chunks", async () => {
    const events = await chatStream(alice, {
      projectId: project.id,
      message: `Explain computeInvoiceTotal ${unique()}`,
      context: { currentFile: "src/billing.js" },
    });
    const refs = events.find((e) => e.event === "references")!.data.references as Record<string, unknown>[];
    expect(refs.filter((r) => r.path === "src/billing.js")).toEqual([
      { path: "src/billing.js", kind: "current-file" },
    ]);
  });

  test("completion is given related project code and says so in contextUsed", async () => {
    const code = `const cart = [{ price: 3, quantity: 2 }];\nconst total = computeInvoice`;
    const res = await post(alice, "complete", {
      projectId: project.id,
      code,
      language: "javascript",
      cursorPosition: code.length,
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { contextUsed: Record<string, unknown>[] };
    expect(body.contextUsed[0]).toMatchObject({ kind: "current-file" });
    expect(body.contextUsed).toContainEqual(
      expect.objectContaining({ kind: "retrieved", path: "src/billing.js", lineStart: 1, lineEnd: 3 }),
    );
    const prompt = JSON.stringify(upstream.requestsFor("m-fast").at(-1)!.body.messages);
    expect(prompt).toContain("Related code from the project");
    expect(prompt).toContain("item.price * item.quantity");
  });
});

describe("analysis", () => {
  test("findings come back structured; a line past the end is dropped, invalid JSON is a 502", async () => {
    upstream.script("m-fallback", {
      kind: "reply",
      chunks: [
        JSON.stringify({
          summary: "One bug.",
          findings: [
            { line: 1, severity: "error", message: "greet is undefined", fix: "function greet() {}" },
            { line: 999, severity: "warning", message: "far away" },
            { severity: "loud", message: "bad severity" },
          ],
        }),
      ],
    });
    const res = await post(alice, "analyze", {
      projectId: project.id,
      code: `greet();\n// ${unique()}`,
      kind: "bugs",
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      summary: "One bug.",
      findings: [
        { line: 1, severity: "error", message: "greet is undefined", fix: "function greet() {}" },
        { severity: "warning", message: "far away" },
      ],
    });
    const sent = upstream.requestsFor("m-fallback").at(-1)!;
    expect(sent.body.response_format).toEqual({ type: "json_object" });

    upstream.script("m-fallback", { kind: "reply", chunks: ["not json at all"] });
    const broken = await post(alice, "analyze", { projectId: project.id, code: `x // ${unique()}` });
    expect(broken.status).toBe(502);
  });

  test("path names a project file to analyse; neither path nor code is a 400", async () => {
    upstream.script("m-fallback", { kind: "reply", chunks: ['{"summary":"fine","findings":[]}'] });
    const res = await post(alice, "analyze", { projectId: project.id, path: "index.js", kind: "explain" });
    expect(res.status).toBe(200);
    expect(JSON.stringify(upstream.requestsFor("m-fallback").at(-1)!.body.messages)).toContain("greet");
    expect((await post(alice, "analyze", { projectId: project.id })).status).toBe(400);
  });
});

describe("budget and headers", () => {
  test("a user past the daily budget gets 429 with a clear message; other users are unaffected", async () => {
    const poor = await createTestApp({
      ...MODELS,
      AI_BASE_URL: upstream.url,
      AI_DAILY_BUDGET_CENTS: "1",
      AI_PRICES: PRICES,
    });
    try {
      const user = await registerUser(poor);
      const other = await registerUser(poor);
      const own = await api(poor, user.auth).project({ name: "Budget" });
      const otherProject = await api(poor, other.auth).project({ name: "Other" });
      await poor.deps.context.idle(); // the cache hit below needs the same search results as the miss
      const first = `// 1 ${unique()}`;
      const ask = (who: User, projectId: string, n: number, code = `// ${n} ${unique()}`) =>
        poor.request("/api/v1/ai/complete", {
          method: "POST",
          headers: { ...who.auth, "content-type": "application/json" },
          body: JSON.stringify({ projectId, code, language: "js", cursorPosition: 0 }),
        });
      // 10,000 output tokens at $2/M = 2 cents: over the 1-cent budget after one call.
      upstream.script("m-fast", {
        kind: "reply",
        chunks: ["x"],
        usage: { prompt_tokens: 10, completion_tokens: 10_000 },
      });
      expect((await ask(user, own.id, 1, first)).status).toBe(200);
      const refused = await ask(user, own.id, 2);
      expect(refused.status).toBe(429);
      expect(refused.headers.get("retry-after")).toBeTruthy();
      expect(((await refused.json()) as { error: { message: string } }).error.message).toContain(
        "daily AI budget of $0.01",
      );
      expect((await ask(other, otherProject.id, 3)).status).toBe(200);
      // A cached answer costs nothing, so it is served even past the budget.
      const again = await ask(user, own.id, 1, first);
      expect(again.status).toBe(200);
      expect(((await again.json()) as { cacheHit: boolean }).cacheHit).toBe(true);
    } finally {
      await poor.close();
    }
  });

  test("with HELICONE_API_KEY every call carries Helicone's auth, user, project and cache headers", async () => {
    const viaHelicone = await createTestApp({
      ...MODELS,
      AI_BASE_URL: upstream.url,
      HELICONE_API_KEY: "sk-helicone-test",
    });
    try {
      const user = await registerUser(viaHelicone);
      const own = await api(viaHelicone, user.auth).project({ name: "Helicone" });
      const res = await viaHelicone.request("/api/v1/ai/chat", {
        method: "POST",
        headers: { ...user.auth, "content-type": "application/json" },
        body: JSON.stringify({ projectId: own.id, message: `hello ${unique()}` }),
      });
      expect(res.status).toBe(200);
      const headers = upstream.requests.at(-1)!.headers;
      expect(headers["helicone-auth"]).toBe("Bearer sk-helicone-test");
      expect(headers["helicone-user-id"]).toBe(user.user.id);
      expect(headers["helicone-property-project"]).toBe(own.id);
      expect(headers["helicone-cache-enabled"]).toBe("true");
      expect(headers["cache-control"]).toBe("max-age=3600");
    } finally {
      await viaHelicone.close();
    }
  });
});

describe("AI calls in progress", () => {
  test("a user's fifth call at once is 429 with Retry-After and says why; others are unaffected; a finished call frees its slot", async () => {
    const limited = await createTestApp({ ...MODELS, AI_BASE_URL: upstream.url, AI_TIMEOUT_MS: "5000" });
    const srv = listen(limited);
    try {
      const [user, other] = [await registerUser(limited), await registerUser(limited)];
      const own = await api(limited, user.auth).project({ name: "Streams" });
      const theirs = await api(limited, other.auth).project({ name: "Other" });
      upstream.reset();
      const slow = {
        kind: "reply",
        chunks: Array.from({ length: 40 }, (_, i) => `w${i} `),
        delayMs: 100,
      } as const;
      for (let i = 0; i < 6; i++) upstream.script("m-primary", slow);
      upstream.script("m-fast", { kind: "reply", chunks: ["1;"] });
      const call = (who: User, path: string, body: Record<string, unknown>, signal?: AbortSignal) =>
        fetch(`${srv.url}/api/v1/ai/${path}`, {
          method: "POST",
          headers: { ...who.auth, "content-type": "application/json", accept: "text/event-stream" },
          body: JSON.stringify(body),
          signal,
        });
      // Four streams, each read up to its first token: all four are in progress.
      const stop = new AbortController();
      const streams = await Promise.all(
        Array.from({ length: 4 }, () =>
          call(user, "chat", { projectId: own.id, message: `busy ${unique()}` }, stop.signal),
        ),
      );
      const readers = streams.map((res) => (res.body as ReadableStream<Uint8Array>).getReader());
      await Promise.all(readers.map((r) => r.read()));
      expect(streams.map((res) => res.status)).toEqual([200, 200, 200, 200]);
      expect(await limited.deps.ai.inProgress(user.user.id)).toBe(4);

      for (const [path, body] of [
        ["chat", { projectId: own.id, message: `one more ${unique()}` }],
        ["analyze", { projectId: own.id, code: "x" }],
        ["complete", { projectId: own.id, code: "x", language: "js", cursorPosition: 0 }],
      ] as const) {
        const refused = await call(user, path, body);
        expect(refused.status).toBe(429);
        expect(refused.headers.get("retry-after")).toBe("5");
        expect(await refused.json()).toEqual({
          error: {
            code: "rate_limited",
            message:
              "You have 4 AI answers in progress. Wait for one to finish, or stop one, then ask again.",
          },
        });
      }
      const elsewhere = await call(other, "complete", {
        projectId: theirs.id,
        code: "x",
        language: "js",
        cursorPosition: 0,
      });
      expect(elsewhere.status).toBe(200);

      // Closing the streams frees their slots.
      stop.abort();
      await Promise.all(readers.map((r) => r.cancel().catch(() => undefined)));
      for (let i = 0; i < 40 && (await limited.deps.ai.inProgress(user.user.id)) > 0; i++)
        await Bun.sleep(50);
      expect(await limited.deps.ai.inProgress(user.user.id)).toBe(0);
      const again = await call(user, "chat", { projectId: own.id, message: `again ${unique()}` });
      expect(again.status).toBe(200);
      await again.text();
      expect(await limited.deps.ai.inProgress(user.user.id)).toBe(0);
    } finally {
      upstream.reset();
      await srv.stop();
      await limited.close();
    }
  }, 30_000);
});

describe("AI off", () => {
  test("without an upstream the API answers 503 saying how to set one up; the rest of the IDE works", async () => {
    const off = await createTestApp();
    try {
      const user = await registerUser(off);
      const own = await api(off, user.auth).project({ name: "No AI" });
      const res = await off.request("/api/v1/ai/chat", {
        method: "POST",
        headers: { ...user.auth, "content-type": "application/json" },
        body: JSON.stringify({ projectId: own.id, message: "hello" }),
      });
      expect(res.status).toBe(503);
      const message = ((await res.json()) as { error: { message: string } }).error.message;
      expect(message).toContain("AI_BASE_URL");
      expect(message).toContain("Ollama");
      // Bad input is still a 400 first.
      const bad = await off.request("/api/v1/ai/complete", {
        method: "POST",
        headers: { ...user.auth, "content-type": "application/json" },
        body: JSON.stringify({ projectId: own.id }),
      });
      expect(bad.status).toBe(400);
      expect((await api(off, user.auth).get(`/api/v1/projects/${own.id}/files`)).status).toBe(200);
    } finally {
      await off.close();
    }
  });
});
