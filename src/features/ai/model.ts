import { t } from "elysia";

/** Longest code or selection accepted from a client (characters). */
export const MAX_CODE_CHARS = 1_000_000;
export const MAX_MESSAGE_CHARS = 8_000;

export const CompleteBody = t.Object({
  projectId: t.String({ minLength: 1, maxLength: 64 }),
  code: t.String({ maxLength: MAX_CODE_CHARS }),
  language: t.String({ minLength: 1, maxLength: 40 }),
  cursorPosition: t.Integer({ minimum: 0 }),
  contextWindow: t.Optional(
    t.Integer({ minimum: 100, maximum: 16_000, description: "Characters of code before the cursor to send" }),
  ),
});

export const ChatBody = t.Object({
  projectId: t.String({ minLength: 1, maxLength: 64 }),
  message: t.String({ minLength: 1, maxLength: MAX_MESSAGE_CHARS }),
  context: t.Optional(
    t.Object({
      selectedCode: t.Optional(t.String({ maxLength: 100_000 })),
      currentFile: t.Optional(
        t.String({ minLength: 1, maxLength: 500, description: "Path of the open file" }),
      ),
      cursorLine: t.Optional(
        t.Integer({ minimum: 1, description: "The cursor's line in the open file (its code is sent first)" }),
      ),
    }),
  ),
});

export const ANALYSIS_KINDS = ["explain", "review", "bugs"] as const;

export const AnalyzeBody = t.Object({
  projectId: t.String({ minLength: 1, maxLength: 64 }),
  path: t.Optional(t.String({ minLength: 1, maxLength: 500 })),
  code: t.Optional(t.String({ maxLength: MAX_CODE_CHARS })),
  kind: t.Optional(t.Union(ANALYSIS_KINDS.map((k) => t.Literal(k)))),
});

export type CompleteInput = typeof CompleteBody.static;
export type ChatInput = typeof ChatBody.static;
export type AnalyzeInput = typeof AnalyzeBody.static;

/** One finding of an analysis, as the model must answer it. */
export const Finding = t.Object({
  line: t.Optional(t.Integer({ minimum: 1 })),
  severity: t.Union([t.Literal("info"), t.Literal("warning"), t.Literal("error")]),
  message: t.String({ minLength: 1, maxLength: 2000 }),
  fix: t.Optional(t.String({ maxLength: 20_000 })),
});
export type Finding = typeof Finding.static;
