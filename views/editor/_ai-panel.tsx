import type { Reference, Suggestion } from "../../src/features/ai/service.ts";
import { Button, CloseButton } from "../components/_button.tsx";
import { inputClass } from "../components/_field.tsx";
import { projectPart, projectUrl } from "./urls.ts";

/** How to start Aura against a model on this machine (Ollama), shown while the AI is off. */
const OLLAMA_COMMAND =
  "AI_BASE_URL=http://localhost:11434/v1 \\\nAI_MODEL_PRIMARY=qwen2.5-coder \\\nAI_MODEL_FALLBACK=qwen2.5-coder \\\nAI_MODEL_FAST=qwen2.5-coder \\\nbun run start";

/** One finished exchange: the question as typed, the answer as sanitized HTML, and what it cost. */
export interface AiTurn {
  message: string;
  /** Rendered by src/features/ai/render.ts (Markdown → allowlist-sanitized HTML). */
  safeAnswerHtml: string;
  references: Reference[];
  /** Code blocks with a target file, offered for Apply. */
  suggestions?: Suggestion[];
  meta?: { model: string | null; tokensIn: number; tokensOut: number; cost: number; cacheHit?: boolean };
  /** The person stopped the answer before it ended: this is the part that had arrived. */
  stopped?: boolean;
}

const KIND: Record<Reference["kind"], string> = {
  "current-file": "open file",
  selection: "selection",
  mention: "mentioned",
  neighbour: "near the cursor",
  retrieved: "found by search",
};

/** Cents as the user reads them: $0.0123 for small amounts. */
const formatCost = (cents: number) => `$${(cents / 100).toFixed(cents > 0 && cents < 1 ? 4 : 2)}`;

/** The answer of a turn: the rendered Markdown, its references (they open the file) and its cost. */
export function AiAnswer({ projectId, turn }: { projectId: string; turn: AiTurn }) {
  const safeAnswerHtml = turn.safeAnswerHtml;
  const refs = turn.references.filter(
    (r, i, all) => all.findIndex((o) => o.path === r.path && o.line === r.line) === i,
  );
  return (
    <>
      <div class="ai-prose">{safeAnswerHtml}</div>
      {turn.stopped ? (
        <p class="mt-1.5 text-xs font-medium text-amber-700 dark:text-amber-400" data-ai-stopped>
          Stopped before the end
        </p>
      ) : null}
      {refs.length ? (
        <ul class="mt-2 flex flex-wrap gap-1.5 text-xs" aria-label="References">
          {refs.map((r) => (
            <li>
              <a
                href={projectUrl(projectId, r.path, r.line)}
                hx-get={projectPart(projectId, "open", {
                  file: r.path,
                  ...(r.line ? { line: String(r.line) } : {}),
                })}
                hx-target="#editor-area"
                hx-swap="outerHTML"
                hx-include="#tab-state"
                hx-push-url={projectUrl(projectId, r.path, r.line)}
                class="rounded border border-slate-300 px-1.5 py-0.5 font-mono hover:bg-slate-100 dark:border-ink-700 dark:hover:bg-ink-700"
                title={`Open ${r.path}${r.line ? ` at line ${r.line}` : ""} (${KIND[r.kind]})`}
                safe
              >
                {r.line ? `${r.path}:${r.line}` : r.path}
              </a>
            </li>
          ))}
        </ul>
      ) : null}
      {turn.suggestions?.some((x) => x.path) ? (
        <div class="mt-2 flex flex-wrap gap-1.5">
          {turn.suggestions
            .filter((x) => x.path)
            .map((x) => (
              <Button size="xs" data-apply-path={x.path} data-apply-code={x.code} safe>
                {`Apply to ${x.path}…`}
              </Button>
            ))}
        </div>
      ) : null}
      {turn.meta ? (
        <p class="mt-1.5 text-xs text-slate-500" data-ai-meta safe>
          {`${turn.meta.model ?? "?"} · ${turn.meta.tokensIn} in / ${turn.meta.tokensOut} out · ${formatCost(turn.meta.cost)}${turn.meta.cacheHit ? " · from cache" : ""}`}
        </p>
      ) : null}
    </>
  );
}

const USER =
  "ml-8 whitespace-pre-wrap rounded-lg bg-aura-50 px-3 py-2 text-sm text-slate-900 dark:bg-ink-700 dark:text-slate-100";
const ASSISTANT = "mr-2 text-sm";

/**
 * The assistant beside the editor: the project's conversation, a form to ask (the open file and
 * selection go along; `@path` adds a file), streamed answers with Stop — or, with no model
 * configured, how to set one up.
 */
export function AiPanel({
  projectId,
  enabled,
  turns,
}: {
  projectId: string;
  enabled: boolean;
  turns: AiTurn[];
}) {
  return (
    <div class="flex h-full flex-col" data-ai-panel>
      <div class="flex items-center gap-2 border-b border-slate-200 px-3 py-2 dark:border-ink-700">
        <h2 class="min-w-0 flex-1 truncate text-sm font-semibold">Assistant</h2>
        <CloseButton label="Close the assistant" data-panel-close />
      </div>
      {enabled ? (
        <>
          <div
            id="ai-log"
            role="log"
            aria-label="Conversation"
            class="min-h-0 flex-1 space-y-3 overflow-y-auto p-3"
          >
            {turns.length === 0 ? (
              <p class="text-sm text-slate-500" data-ai-empty>
                Ask about this project. The open file and your selection go along; mention another file with{" "}
                <code>@path</code>.
              </p>
            ) : null}
            {turns.map((turn) => (
              <>
                <div class={USER} data-role="user" safe>
                  {turn.message}
                </div>
                <div class={ASSISTANT} data-role="assistant">
                  <AiAnswer projectId={projectId} turn={turn} />
                </div>
              </>
            ))}
          </div>
          <form
            data-ai-chat
            data-project-id={projectId}
            class="border-t border-slate-200 p-3 dark:border-ink-700"
            action={projectPart(projectId, "ai/chat")}
            method="post"
          >
            <label for="ai-message" class="sr-only">
              Message
            </label>
            <textarea
              id="ai-message"
              name="message"
              rows="3"
              required
              maxlength="8000"
              placeholder="Ask about this code… (Ctrl+Enter sends)"
              class={`${inputClass("sm")} block w-full resize-y`}
            ></textarea>
            <div class="mt-2 flex items-center gap-2">
              <span
                data-ai-status
                role="status"
                class="min-w-0 flex-1 text-xs break-words text-slate-500"
              ></span>
              <Button variant="ghost-danger" data-ai-stop hidden>
                Stop
              </Button>
              <Button type="submit" variant="primary">
                Send
              </Button>
            </div>
          </form>
        </>
      ) : (
        <div class="space-y-3 p-4 text-sm" data-ai-off>
          <p class="font-medium">The assistant is off: no AI model is configured.</p>
          <p>
            Set <code>AI_BASE_URL</code> to any OpenAI-compatible endpoint and restart Aura. For a model on
            this machine, run <a href="https://ollama.com">Ollama</a> and start Aura with:
          </p>
          {/* Wrapped, not scrolled sideways: a narrow panel shows all of it; Copy takes it whole. */}
          <div class="relative">
            <pre class="rounded bg-slate-100 p-2 pr-14 text-xs whitespace-pre-wrap [overflow-wrap:anywhere] dark:bg-ink-800">
              {OLLAMA_COMMAND}
            </pre>
            <Button
              variant="secondary"
              size="xs"
              class="absolute top-1.5 right-1.5 bg-white dark:bg-ink-900"
              data-copy={OLLAMA_COMMAND}
            >
              Copy
            </Button>
          </div>
          <p>
            Or set <code>HELICONE_API_KEY</code> (Helicone's gateway) or <code>AI_API_KEY</code> with OpenAI.
            Everything else in the IDE works without it.
          </p>
        </div>
      )}
    </div>
  );
}
