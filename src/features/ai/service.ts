import { Value } from "@sinclair/typebox/value";
import type { ChatMessage } from "../../adapters/ai/openai.ts";
import { chatHistory } from "../../db/queries/ai.ts";
import type { Deps } from "../../deps.ts";
import { UpstreamError, ValidationError } from "../../errors.ts";
import { formatPieces, selectContext } from "../context/service.ts";
import { listProjectFiles, readFile } from "../files/service.ts";
import { projectAccess } from "../projects/access.ts";
import type { AiEvent, Gateway } from "./gateway.ts";
import { type AnalyzeInput, type ChatInput, type CompleteInput, Finding } from "./model.ts";

type AiDeps = Pick<Deps, "db" | "memo"> & { ai: Gateway } & Partial<Pick<Deps, "context">>;

/** A place in the project the answer drew on. */
export interface Reference {
  path: string;
  line?: number;
  lineEnd?: number;
  /**
   * Why it was used: the open file, the selection, an `@` mention, code around the cursor in a
   * file too long to send whole, or code the project search found for the question.
   */
  kind: "current-file" | "selection" | "mention" | "neighbour" | "retrieved";
}

/** A code block of an answer, offered for Apply. */
export interface Suggestion {
  action: "apply";
  code: string;
  description: string;
  language?: string;
  path?: string;
}

const FILE_CHARS = 24_000;
const MENTIONED_FILES = 3;
const MENTION_CHARS = 8_000;
const HISTORY_TURNS = 6;
/** Tokens of retrieved project code in a chat prompt, and in a completion prompt (which must stay fast). */
const CHAT_CONTEXT_TOKENS = 2_000;
const COMPLETE_CONTEXT_TOKENS = 400;

const clip = (text: string, max: number) =>
  text.length <= max ? text : `${text.slice(0, max)}\n… (${text.length - max} more characters left out)`;

// --- Completion ---------------------------------------------------------------------------

const COMPLETE_SYSTEM =
  "You are a code completion engine. You are given the code before and after the cursor. " +
  "Answer with only the text to insert at the cursor — no explanation, no code fences, no repetition " +
  "of the code around it. Answer with nothing if nothing should be inserted.";

/** Strip what models add around a completion despite being told not to: code fences. */
function cleanCompletion(text: string): string {
  const fenced = /^\s*```[\w+-]*\n([\s\S]*?)\n?```\s*$/.exec(text);
  return fenced ? (fenced[1] ?? "") : text;
}

/** Inline completion: a fill-in-the-middle prompt around the cursor, from the fast tier. */
export async function complete(deps: AiDeps, userId: string, input: CompleteInput, signal?: AbortSignal) {
  if (input.cursorPosition > input.code.length) {
    throw new ValidationError(
      `cursorPosition: must be within the code (0–${input.code.length})`,
      "cursorPosition",
    );
  }
  const release = await deps.ai.slot(userId, signal);
  try {
    return await completeWithin(deps, userId, input, signal);
  } finally {
    await release();
  }
}

async function completeWithin(deps: AiDeps, userId: string, input: CompleteInput, signal?: AbortSignal) {
  // Spending AI on a project is for those who may change it: editors and the owner.
  await projectAccess(deps, userId, input.projectId, "editor");
  const window = input.contextWindow ?? 2_000;
  const start = Math.max(0, input.cursorPosition - window);
  const prefix = input.code.slice(start, input.cursorPosition);
  const suffix = input.code.slice(input.cursorPosition, input.cursorPosition + Math.ceil(window / 2));
  // What the last lines before the cursor are about finds related code elsewhere in the project.
  const pieces = deps.context
    ? await selectContext({ context: deps.context }, input.projectId, {
        query: prefix.split("\n").slice(-4).join("\n").slice(-400),
        budgetTokens: COMPLETE_CONTEXT_TOKENS,
        present: input.code,
        signal,
      })
    : [];
  const related = pieces.length ? `Related code from the project:\n${formatPieces(pieces)}\n\n` : "";
  const result = await deps.ai.complete({
    userId,
    projectId: input.projectId,
    type: "completion",
    tier: "fast",
    messages: [
      { role: "system", content: COMPLETE_SYSTEM },
      {
        role: "user",
        content: `${related}Language: ${input.language}\n<prefix>${prefix}</prefix><cursor/><suffix>${suffix}</suffix>`,
      },
    ],
    maxTokens: 128,
    temperature: 0.2,
    cache: true,
    signal,
    requestData: { language: input.language, cursorPosition: input.cursorPosition, window },
  });
  const text = cleanCompletion(result.text);
  return {
    suggestions: text.trim()
      ? [{ text, confidence: result.cacheHit ? 0.9 : 0.8, type: "completion" as const }]
      : [],
    contextUsed: [
      { kind: "current-file", chars: prefix.length + suffix.length, from: start },
      ...pieces.map((p) => ({
        kind: p.kind,
        path: p.path,
        lineStart: p.lineStart,
        lineEnd: p.lineEnd,
        tokens: p.tokens,
      })),
    ],
    latency: Math.round(result.latency),
    cost: result.cost,
    model: result.model,
    cacheHit: result.cacheHit,
  };
}

// --- Chat -----------------------------------------------------------------------------------

const CHAT_SYSTEM =
  "You are Aura, a coding assistant inside a web IDE. Answer concisely in Markdown. When you " +
  "propose a change to a file, give the complete new file in one fenced code block whose info " +
  "string is the language followed by the file path, e.g. ```js src/app.js.";

/** The context of a chat message: the open file, the selection, and files named with `@path`. */
async function chatContext(deps: AiDeps, userId: string, input: ChatInput) {
  const parts: string[] = [];
  const references: Reference[] = [];
  const covered: string[] = [];
  const current = input.context?.currentFile;
  if (current) {
    const file = await readFile(deps, userId, input.projectId, current);
    if (file.encoding === "utf8") {
      parts.push(`The open file, ${file.path}:\n\`\`\`\n${clip(file.content, FILE_CHARS)}\n\`\`\``);
      if (file.content.length <= FILE_CHARS) covered.push(file.path);
    } else parts.push(`The open file, ${file.path}, is a binary file of ${file.sizeBytes} bytes.`);
    references.push({ path: file.path, kind: "current-file" });
  }
  const selected = input.context?.selectedCode;
  if (selected) {
    parts.push(`The selected code:\n\`\`\`\n${clip(selected, FILE_CHARS)}\n\`\`\``);
    if (current) references.push({ path: current, kind: "selection" });
  }
  const mentioned = [...input.message.matchAll(/(?:^|\s)@([\w./-]+[\w])/g)].map((m) => m[1] as string);
  if (mentioned.length > 0) {
    const paths = new Set((await listProjectFiles(deps, userId, input.projectId)).map((f) => f.path));
    const wanted = [...new Set(mentioned)]
      .filter((p) => paths.has(p) && p !== current)
      .slice(0, MENTIONED_FILES);
    for (const path of wanted) {
      const file = await readFile(deps, userId, input.projectId, path);
      if (file.encoding !== "utf8") continue;
      parts.push(`${path}:\n\`\`\`\n${clip(file.content, MENTION_CHARS)}\n\`\`\``);
      references.push({ path, kind: "mention" });
      if (file.content.length <= MENTION_CHARS) covered.push(path);
    }
  }
  if (deps.context) {
    const pieces = await selectContext({ context: deps.context }, input.projectId, {
      query: `${input.message}\n${(selected ?? "").slice(0, 400)}`,
      budgetTokens: CHAT_CONTEXT_TOKENS,
      currentFile: current,
      cursorLine: input.context?.cursorLine,
      covered,
    });
    if (pieces.length) parts.push(`Code from the project that may be relevant:\n\n${formatPieces(pieces)}`);
    for (const p of pieces)
      references.push({ path: p.path, line: p.lineStart, lineEnd: p.lineEnd, kind: p.kind });
  }
  return { parts, references };
}

/** The fenced code blocks of an answer, each offered for Apply (to the file its info string names). */
function suggestionsOf(answer: string, currentFile?: string): Suggestion[] {
  const out: Suggestion[] = [];
  for (const m of answer.matchAll(/```([^\n`]*)\n([\s\S]*?)```/g)) {
    const [language, path] = (m[1] ?? "").trim().split(/\s+/);
    const target = path || currentFile;
    out.push({
      action: "apply",
      code: m[2] ?? "",
      description: target ? `Apply to ${target}` : `Code${language ? ` (${language})` : ""}`,
      ...(language ? { language } : {}),
      ...(target ? { path: target } : {}),
    });
  }
  return out;
}

/** The read-memo scope of one conversation: a user's chat in one project. */
const conversationScope = (userId: string, projectId: string) => `chat:${userId}:${projectId}`;

/**
 * The conversation's latest `limit` turns, oldest first, from the read memo
 * (src/adapters/cache/memo.ts) while no new turn has been recorded, on any instance.
 */
async function recentTurns(deps: AiDeps, userId: string, projectId: string, limit = HISTORY_TURNS) {
  const kept = await deps.memo.read(
    conversationScope(userId, projectId),
    `turns:${limit}`,
    async () => ({ turns: await chatHistory(await deps.db.get(), userId, projectId, limit) }),
    (value) => JSON.stringify(value).length,
  );
  return kept?.turns ?? [];
}

/** A past turn of the conversation as the assistant panel shows it. */
export interface PastTurn {
  message: string;
  text: string;
  /** The person stopped the answer: `text` is what had arrived. */
  stopped: boolean;
  suggestions: Suggestion[];
  model: string | null;
  tokensIn: number;
  tokensOut: number;
  cost: number;
}

/**
 * The caller's latest `limit` chat turns in a project, oldest first, for those who may spend AI
 * on it (editors and the owner): the same memoised read the chat's own prompt uses. Answers
 * with the project's id as stored.
 */
export async function conversation(
  deps: AiDeps,
  userId: string,
  projectId: string,
  limit: number,
): Promise<{ projectId: string; turns: PastTurn[] }> {
  const { project } = await projectAccess(deps, userId, projectId, "editor");
  const rows = await recentTurns(deps, userId, project.id, limit);
  const turns = rows.map((row) => {
    const response = row.responseData as { text?: string; stopped?: boolean } | null;
    const text = String(response?.text ?? "");
    const current = (row.requestData as { context?: { currentFile?: string | null } } | null)?.context
      ?.currentFile;
    return {
      message: String((row.requestData as { message?: string } | null)?.message ?? ""),
      text,
      stopped: response?.stopped === true,
      suggestions: suggestionsOf(text, current ?? undefined),
      model: row.model,
      tokensIn: row.tokensInput,
      tokensOut: row.tokensOutput,
      cost: row.cost,
    };
  });
  return { projectId: project.id, turns };
}

/** Everything a chat answer needs before its first token: messages and references. */
async function prepareChat(deps: AiDeps, userId: string, input: ChatInput) {
  await projectAccess(deps, userId, input.projectId, "editor");
  // The conversation is asked for first, so that a database read overlaps the context search.
  const turns = recentTurns(deps, userId, input.projectId);
  const [{ parts, references }, history] = await Promise.all([chatContext(deps, userId, input), turns]);
  const messages: ChatMessage[] = [{ role: "system", content: CHAT_SYSTEM }];
  for (const turn of history) {
    const asked = (turn.requestData as { message?: string } | null)?.message;
    const answered = (turn.responseData as { text?: string } | null)?.text;
    if (asked && answered)
      messages.push({ role: "user", content: asked }, { role: "assistant", content: answered });
  }
  const context = parts.length ? `Context:\n\n${parts.join("\n\n")}\n\n` : "";
  messages.push({ role: "user", content: `${context}${input.message}` });
  return { messages, references };
}

/** What a chat answer yields: the references, the model's events, then its suggestions before `done`. */
export type ChatEvent =
  | { type: "references"; references: Reference[] }
  | AiEvent
  | { type: "answer"; suggestions: Suggestion[]; references: Reference[] };

/**
 * A chat answer as events: `token`s as the model writes, then `done`. Throws before the first
 * event for a request that cannot be answered (404, 429 budget or no free slot, 503 AI off, 502 all models failed).
 */
export async function* chat(
  deps: AiDeps,
  userId: string,
  input: ChatInput,
  signal?: AbortSignal,
): AsyncGenerator<ChatEvent> {
  // Taken before the prompt is prepared: a call refused for want of a slot costs nothing.
  const release = await deps.ai.slot(userId, signal);
  try {
    yield* answerChat(deps, userId, input, signal);
  } finally {
    await release();
  }
}

async function* answerChat(
  deps: AiDeps,
  userId: string,
  input: ChatInput,
  signal?: AbortSignal,
): AsyncGenerator<ChatEvent> {
  const { messages, references } = await prepareChat(deps, userId, input);
  const events = deps.ai.stream({
    userId,
    projectId: input.projectId,
    type: "chat",
    tier: "primary",
    messages,
    temperature: 0.3,
    cache: true,
    signal,
    requestData: { message: input.message, context: { currentFile: input.context?.currentFile ?? null } },
  });
  let announced = false;
  let answered = false;
  try {
    for await (const event of events) {
      if (!announced) {
        announced = true;
        yield { type: "references", references };
      }
      if (event.type === "done") {
        answered = true;
        // The turn is recorded: forget the conversation as read, and read it again now, while
        // the user reads the answer, rather than when they send the next message.
        const scope = conversationScope(userId, input.projectId);
        await deps.memo.invalidate(scope);
        recentTurns(deps, userId, input.projectId).catch(() => {});
        yield {
          type: "answer",
          suggestions: suggestionsOf(event.result.text, input.context?.currentFile),
          references,
        };
      }
      yield event;
    }
  } finally {
    // Stopped: by now the gateway has recorded what had arrived (kept, marked stopped), so the
    // conversation as read is out of date.
    if (!answered) await deps.memo.invalidate(conversationScope(userId, input.projectId));
  }
}

// --- Analysis -------------------------------------------------------------------------------

const ANALYZE_PROMPTS = {
  explain: "Explain what this code does, step by step, for a developer new to it.",
  review: "Review this code for correctness, clarity and maintainability.",
  bugs: "Find bugs in this code: wrong results, crashes, security problems, edge cases.",
} as const;

const ANALYZE_FORMAT =
  'Answer with a JSON object only: {"summary": string, "findings": [{"line": number (1-based, optional), ' +
  '"severity": "info" | "warning" | "error", "message": string, "fix": string (optional: the corrected ' +
  "line or lines)}]}. Use an empty findings array when there is nothing to report.";

/** Parse and check a model's analysis; anything off-schema is a 502, never passed on. */
function parseAnalysis(text: string, lineCount: number) {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\s*```(?:json)?\s*|\s*```\s*$/g, ""));
  } catch {
    throw new UpstreamError("The model's analysis was not valid JSON");
  }
  const { summary, findings } = (parsed ?? {}) as { summary?: unknown; findings?: unknown };
  if (typeof summary !== "string" || !Array.isArray(findings))
    throw new UpstreamError("The model's analysis lacked a summary or findings");
  const valid = findings
    .filter((f): f is Finding => Value.Check(Finding, f))
    .map((f) => (f.line !== undefined && f.line > lineCount ? { ...f, line: undefined } : f))
    .map(({ line, ...rest }) => (line === undefined ? rest : { line, ...rest }));
  return { summary, findings: valid };
}

/** Explain, review or find bugs in a file (or given code) as structured findings. */
export async function analyze(deps: AiDeps, userId: string, input: AnalyzeInput, signal?: AbortSignal) {
  const release = await deps.ai.slot(userId, signal);
  try {
    return await analyzeWithin(deps, userId, input, signal);
  } finally {
    await release();
  }
}

async function analyzeWithin(deps: AiDeps, userId: string, input: AnalyzeInput, signal?: AbortSignal) {
  await projectAccess(deps, userId, input.projectId, "editor");
  let code = input.code;
  if (code === undefined) {
    if (!input.path) throw new ValidationError("code: is required unless path names a project file", "code");
    const file = await readFile(deps, userId, input.projectId, input.path);
    if (file.encoding !== "utf8") throw new ValidationError(`path: ${file.path} is a binary file`, "path");
    code = file.content;
  }
  const kind = input.kind ?? "review";
  const numbered = code
    .split("\n")
    .map((line, i) => `${i + 1}| ${line}`)
    .join("\n");
  const result = await deps.ai.complete({
    userId,
    projectId: input.projectId,
    type: "analysis",
    tier: "primary",
    messages: [
      { role: "system", content: `${ANALYZE_PROMPTS[kind]} ${ANALYZE_FORMAT}` },
      { role: "user", content: `${input.path ? `File: ${input.path}\n` : ""}${clip(numbered, 60_000)}` },
    ],
    temperature: 0,
    json: true,
    cache: true,
    signal,
    requestData: { kind, path: input.path ?? null },
  });
  return {
    ...parseAnalysis(result.text, code.split("\n").length),
    latency: Math.round(result.latency),
    cost: result.cost,
    model: result.model,
  };
}
