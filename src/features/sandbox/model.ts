import { t } from "elysia";
import type { RunLanguage } from "../../adapters/sandbox/types.ts";
import { languageOfPath } from "../../common/languages.ts";

export const RUN_LANGUAGES = ["javascript", "python", "typescript"] as const satisfies readonly RunLanguage[];

const isRunLanguage = (language: string): language is RunLanguage =>
  (RUN_LANGUAGES as readonly string[]).includes(language);

/** The language a project file runs as, from its extension; undefined when it cannot run. */
export function runLanguageOf(path: string): RunLanguage | undefined {
  const language = languageOfPath(path);
  return language && isRunLanguage(language) ? language : undefined;
}

const RUN_ENVIRONMENTS = ["node", "browser", "python3"] as const;

/** `code` is at most this many bytes of UTF-8 (checked in the service: 413 past it). */
export const MAX_CODE_BYTES = 10 * 1024;

/** Body of `POST /api/v1/sandbox/execute` (docs/api.md, "Sandbox"). */
export const ExecuteBody = t.Object({
  code: t.Optional(t.String({ description: "The program, at most 10 KiB of UTF-8" })),
  language: t.Union(RUN_LANGUAGES.map((l) => t.Literal(l))),
  environment: t.Optional(t.Union(RUN_ENVIRONMENTS.map((e) => t.Literal(e)))),
  timeout: t.Optional(t.Number({ minimum: 1, maximum: 30, description: "Seconds, default 10" })),
  projectId: t.Optional(t.String({ minLength: 1, maxLength: 64 })),
  entry: t.Optional(t.String({ minLength: 1, maxLength: 512 })),
});

export type ExecuteInput = typeof ExecuteBody.static;
