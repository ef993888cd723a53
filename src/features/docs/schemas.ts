import { type TSchema, Type as t } from "@sinclair/typebox";
import { Finding } from "../ai/model.ts";
import { LANGUAGES } from "../projects/model.ts";
import { RUN_LANGUAGES } from "../sandbox/model.ts";

/*
 * What the JSON routes answer, as API.md gives it. These describe the responses in the OpenAPI
 * document only: declaring them as route `response` schemas would make Elysia validate and
 * reshape every answer at run time, which is a change of behaviour, not of documentation.
 * Plain TypeBox rather than Elysia's `t`, whose Integer also admits numeric strings (for queries).
 */

const dateTime = (description: string) => t.String({ format: "date-time", description });
const nullable = (schema: TSchema) => t.Union([schema, t.Null()]);
const enumOf = (values: readonly string[]) => t.Union(values.map((v) => t.Literal(v)));

const User = t.Object({
  id: t.String({ format: "uuid" }),
  email: t.String({ format: "email" }),
  firstName: t.String(),
  lastName: t.String(),
});

const tokens = {
  token: t.String({ description: "Access token (JWT) for `Authorization: Bearer …`" }),
  refreshToken: t.String({ description: "Spend it once at /auth/refresh for a new pair" }),
  expiresIn: t.Integer({ description: "Seconds until the access token expires" }),
};

const Reference = t.Object(
  {
    path: t.String(),
    line: t.Optional(t.Integer({ minimum: 1 })),
    lineEnd: t.Optional(t.Integer({ minimum: 1 })),
    kind: enumOf(["current-file", "selection", "mention", "neighbour", "retrieved"]),
  },
  { description: "A place in the project the answer drew on" },
);

const Role = t.Union([t.Literal("owner"), t.Literal("editor"), t.Literal("viewer")], {
  description:
    "The caller's role: `owner` may do everything; `editor` reads and changes files, runs code and uses the " +
    "AI; `viewer` reads files, history and search",
});

const MemberSchema = t.Object({
  userId: nullable(t.String({ format: "uuid", description: "Null while the invitation is pending" })),
  email: t.String({ format: "email", description: "Lowercased" }),
  name: nullable(t.String({ description: "First and last name; null when unknown or pending" })),
  role: t.Union([t.Literal("owner"), t.Literal("editor"), t.Literal("viewer")]),
  status: t.Union([t.Literal("member"), t.Literal("pending")], {
    description: "`pending` until an account is registered with the email",
  }),
});

/** The named response bodies, published as `components.schemas`. */
export const RESPONSE_SCHEMAS = {
  User,
  AuthResult: t.Object({ user: User, ...tokens }),
  Tokens: t.Object(tokens),
  CurrentUser: t.Object({ user: User }),
  SessionList: t.Object({
    sessions: t.Array(
      t.Object({
        id: t.String({ description: "The session (refresh-token family) id" }),
        userAgent: nullable(t.String()),
        ip: nullable(t.String()),
        createdAt: dateTime("When the session signed in"),
        lastUsedAt: dateTime("When its refresh token was last renewed"),
        current: t.Boolean({ description: "True for the session of the calling access token" }),
      }),
    ),
  }),
  Project: t.Object({
    id: t.String({ format: "uuid" }),
    name: t.String(),
    description: nullable(t.String()),
    language: nullable(enumOf(LANGUAGES)),
    fileCount: t.Integer({ minimum: 0 }),
    lastModified: dateTime("Last change to the project or one of its files"),
    role: Role,
    owner: t.Optional(
      t.Object(
        {
          id: t.String({ format: "uuid" }),
          email: t.String({ format: "email" }),
          name: nullable(t.String()),
        },
        { description: "Who owns the project; only on a project shared with the caller" },
      ),
    ),
  }),
  ProjectList: t.Object({
    projects: t.Array(t.Ref("#/components/schemas/Project")),
    pagination: t.Object({
      page: t.Integer({ minimum: 1 }),
      limit: t.Integer({ minimum: 1, maximum: 100 }),
      total: t.Integer({ minimum: 0, description: "Projects matching, over all pages" }),
    }),
  }),
  Member: MemberSchema,
  MemberList: t.Object({ members: t.Array(t.Ref("#/components/schemas/Member")) }),
  FileList: t.Object({
    files: t.Array(
      t.Object({
        path: t.String(),
        size: t.Integer({ description: "Bytes of UTF-8" }),
        version: t.Integer({ minimum: 1 }),
        updatedAt: dateTime("Last save"),
      }),
    ),
  }),
  FileContent: t.Object({
    path: t.String(),
    content: t.String(),
    version: t.Integer({ minimum: 1, description: "Send it back as `baseVersion` when saving" }),
    language: t.String({ description: "Taken from the extension; `plaintext` when unknown" }),
  }),
  SavedFile: t.Object({
    path: t.String(),
    version: t.Integer({ minimum: 1, description: "One more than before the save" }),
    size: t.Integer({ description: "Bytes of UTF-8" }),
  }),
  RenamedPaths: t.Object({ paths: t.Array(t.String(), { description: "The new path of every file moved" }) }),
  ContextResults: t.Object({
    results: t.Array(
      t.Object({
        filename: t.String(),
        function_name: t.Optional(t.String()),
        class_name: t.Optional(t.String()),
        language: t.String(),
        code_snippet: t.String(),
        line_start: t.Integer({ minimum: 1 }),
        line_end: t.Integer({ minimum: 1 }),
        score: t.Number({ description: "Higher is more relevant" }),
      }),
    ),
  }),
  Completion: t.Object({
    suggestions: t.Array(
      t.Object({
        text: t.String({ description: "Text to insert at the cursor" }),
        confidence: t.Number({ minimum: 0, maximum: 1 }),
        type: enumOf(["completion", "suggestion", "fix"]),
      }),
    ),
    contextUsed: t.Array(
      t.Object({
        kind: enumOf(["current-file", "neighbour", "retrieved"]),
        path: t.Optional(t.String()),
        lineStart: t.Optional(t.Integer()),
        lineEnd: t.Optional(t.Integer()),
        tokens: t.Optional(t.Integer()),
        chars: t.Optional(t.Integer()),
        from: t.Optional(t.Integer()),
      }),
      { description: "What was sent to the model besides the code at the cursor" },
    ),
    latency: t.Integer({ description: "Milliseconds" }),
    cost: t.Number({ description: "US cents" }),
    model: t.String(),
    cacheHit: t.Boolean(),
  }),
  ChatAnswer: t.Object({
    response: t.String({ description: "Markdown" }),
    suggestions: t.Array(
      t.Object({
        action: t.Literal("apply"),
        code: t.String(),
        description: t.String(),
        language: t.Optional(t.String()),
        path: t.Optional(t.String()),
      }),
      { description: "Code blocks of the answer, offered for Apply" },
    ),
    references: t.Array(Reference),
    cost: t.Number({ description: "US cents" }),
    latency: t.Integer({ description: "Milliseconds" }),
    model: t.String(),
    tokens: t.Object({ input: t.Integer(), output: t.Integer() }),
    cacheHit: t.Boolean(),
  }),
  Analysis: t.Object({
    summary: t.String(),
    findings: t.Array(Finding),
    latency: t.Integer({ description: "Milliseconds" }),
    cost: t.Number({ description: "US cents" }),
    model: t.String(),
  }),
  RunResult: t.Object({
    success: t.Boolean({ description: "True only for exit code 0 within the limits" }),
    stdout: t.String(),
    stderr: t.String(),
    exitCode: nullable(t.Integer({ description: "Null when the process was killed" })),
    executionTime: t.Number({ description: "Milliseconds" }),
    error: t.Optional(enumOf(["timeout", "memory", "cancelled", "error"])),
    truncated: t.Boolean({ description: "True when output past the limit was dropped" }),
  }),
  SandboxStatus: t.Object({
    runner: enumOf(["local", "e2b"]),
    available: t.Boolean(),
    reason: t.Optional(t.String({ description: "Why runs are unavailable" })),
    languages: t.Array(enumOf(RUN_LANGUAGES)),
    running: t.Integer({ minimum: 0 }),
    queued: t.Integer({ minimum: 0 }),
    limits: t.Object({
      timeoutSeconds: t.Object({ default: t.Number(), max: t.Number() }),
      memoryBytes: t.Integer(),
      processes: t.Integer(),
      fileSizeBytes: t.Integer(),
      outputBytes: t.Integer(),
      codeBytes: t.Integer(),
    }),
  }),
} satisfies Record<string, TSchema>;

export type ResponseSchemaName = keyof typeof RESPONSE_SCHEMAS;
