import type { ErrorName } from "./errors.ts";
import { AUTH_OPERATIONS } from "./operations-auth.ts";
import { MEMBER_OPERATIONS } from "./operations-members.ts";
import { PROJECT_OPERATIONS } from "./operations-projects.ts";
import { TOOL_OPERATIONS } from "./operations-tools.ts";
import type { ResponseSchemaName } from "./schemas.ts";

/** The groups of the reference, in the order the page shows them. */
export const TAGS = [
  { name: "Auth", description: "Accounts, tokens and sessions." },
  { name: "Projects", description: "The projects the caller owns or is a member of." },
  { name: "Members", description: "Who may use a project, and how: owner, editor or viewer." },
  { name: "Files", description: "Reading and saving a project's files." },
  { name: "Code search", description: "Search over a project's indexed code." },
  { name: "AI", description: "Completion, chat and analysis, grounded in the project's code." },
  { name: "Sandbox", description: "Running code in an isolated sandbox." },
] as const;

export type TagName = (typeof TAGS)[number]["name"];

/** What the routes themselves cannot say about one JSON operation. */
export interface OperationDoc {
  operationId: string;
  tag: TagName;
  summary: string;
  description?: string;
  /** `false`: public. Otherwise a Bearer access token is required and the call counts against this allowance. */
  auth: false | "api" | "editor";
  success: {
    status: 200 | 201 | 204;
    description: string;
    schema?: ResponseSchemaName;
    /** How the answer streams with `Accept: text/event-stream`. */
    stream?: string;
  };
  /** Errors beyond the ones every route of its kind gives (400, 401, 413, 429, 500, 503). */
  errors?: ErrorName[];
  /** Descriptions of the path parameters. */
  params?: Record<string, string>;
}

/**
 * The documentation of every JSON route, keyed by `METHOD /route/pattern` as Elysia registers it.
 * A route may instead carry its own `detail` (summary, description, tags), which wins.
 */
export const OPERATIONS: Record<string, OperationDoc> = {
  ...AUTH_OPERATIONS,
  ...PROJECT_OPERATIONS,
  ...MEMBER_OPERATIONS,
  ...TOOL_OPERATIONS,
};
