import type { OperationDoc } from "./catalogue.ts";

/** The AI and the sandbox (API.md "AI", "Sandbox"). */
export const TOOL_OPERATIONS: Record<string, OperationDoc> = {
  "POST /api/v1/ai/complete": {
    operationId: "completeCode",
    tag: "AI",
    summary: "Complete code at the cursor",
    description:
      "An identical request is answered from Aura's cache without an upstream call. A spent daily AI " +
      "budget answers 429. Editors and the owner of the project; a viewer is answered 403.",
    auth: "editor",
    success: { status: 200, description: "Suggestions to insert at the cursor.", schema: "Completion" },
    errors: ["NotFound", "Forbidden", "BadGateway"],
  },
  "POST /api/v1/ai/chat": {
    operationId: "chat",
    tag: "AI",
    summary: "Ask the assistant",
    description:
      "Answers a question about the project, with the open file, the selection and code the project search " +
      "finds as context. A failure before the answer starts is a plain JSON error. Editors and the owner " +
      "of the project; a viewer is answered 403.",
    auth: "editor",
    success: {
      status: 200,
      description: "The answer.",
      schema: "ChatAnswer",
      stream:
        "Server-sent events: `references` (`{references}`), one `token` (`{text}`) per piece of the answer " +
        "as it arrives, then `done` (the JSON answer) or `error` (`{code, message}`). Closing the stream " +
        "cancels the upstream request.",
    },
    errors: ["NotFound", "Forbidden", "BadGateway"],
  },
  "POST /api/v1/ai/analyze": {
    operationId: "analyzeCode",
    tag: "AI",
    summary: "Explain, review or find bugs",
    description:
      "Analyses `code`, or the project file at `path` when no code is given. `kind` defaults to `review`. " +
      "Editors and the owner of the project; a viewer is answered 403.",
    auth: "editor",
    success: { status: 200, description: "The findings.", schema: "Analysis" },
    errors: ["NotFound", "Forbidden", "BadGateway"],
  },
  "GET /api/v1/sandbox/status": {
    operationId: "sandboxStatus",
    tag: "Sandbox",
    summary: "Sandbox status",
    description: "Which runner is in use, whether it can run now, its queue and its limits.",
    auth: "api",
    success: { status: 200, description: "The sandbox's state.", schema: "SandboxStatus" },
  },
  "POST /api/v1/sandbox/execute": {
    operationId: "executeCode",
    tag: "Sandbox",
    summary: "Run code",
    description:
      "Runs `code` (at most 10 KiB of UTF-8, else 413), or the project file `entry` with the project's files " +
      "in the working directory. `success` is true only for exit code 0 within the time limit; a run " +
      "stopped by its limits has `error: timeout` or `memory`. With `projectId`, editors and the owner of " +
      "the project only (a viewer is answered 403).",
    auth: "editor",
    success: {
      status: 200,
      description: "How the run ended and what it printed.",
      schema: "RunResult",
      stream:
        "Server-sent events: `queued` (`{position}`) while waiting for a slot, `stdout` and `stderr` " +
        "(`{text}`) as output arrives, then `exit` (the JSON result). Closing the stream kills the run.",
    },
    errors: ["NotFound", "Forbidden"],
  },
};
