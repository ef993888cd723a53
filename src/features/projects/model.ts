import { Value } from "@sinclair/typebox/value";
import { t } from "elysia";
import type { ProjectSort } from "../../db/queries/projects.ts";

export const LANGUAGES = ["javascript", "python", "typescript", "html", "css"] as const;

export const ProjectParams = t.Object({ id: t.String({ maxLength: 64 }) });

/** The last page a list can be asked for: its offset (≤ 10⁸ rows at 100 a page) fits every integer type on the way. */
export const MAX_PAGE = 1_000_000;

/** Projects on a page of the list unless `limit` says otherwise. */
export const PAGE_SIZE = 20;

export const ListQuery = t.Object({
  page: t.Optional(t.Integer({ minimum: 1, maximum: MAX_PAGE, default: 1 })),
  limit: t.Optional(t.Integer({ minimum: 1, maximum: 100, default: PAGE_SIZE })),
  q: t.Optional(t.String({ maxLength: 100, description: "Search by name" })),
  sort: t.Optional(
    t.Union([t.Literal("updated"), t.Literal("name"), t.Literal("language"), t.Literal("files")]),
  ),
  order: t.Optional(t.Union([t.Literal("asc"), t.Literal("desc")])),
});

/** One page of a search of the list in one order: ListQuery with every field decided. */
export interface ListState {
  page: number;
  limit: number;
  q: string;
  sort: ProjectSort;
  order: "asc" | "desc";
}

/** The order a column starts in when first clicked: names A→Z, numbers and dates biggest first. */
export function defaultOrder(sort: ProjectSort): "asc" | "desc" {
  return sort === "name" || sort === "language" ? "asc" : "desc";
}

/**
 * The list state of loosely typed input (a query, or a form's fields carrying the state back):
 * each field is read with ListQuery's own schema, and one missing or out of bounds takes its default.
 */
export function listState(input: Record<string, unknown>): ListState {
  const valid: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(ListQuery.properties)) {
    if (input[key] === undefined) continue;
    try {
      valid[key] = Value.Decode(schema, input[key]);
    } catch {
      // Not a value the query accepts: the field keeps its default.
    }
  }
  const query = valid as typeof ListQuery.static;
  const sort = query.sort ?? "updated";
  return {
    page: query.page ?? 1,
    limit: query.limit ?? PAGE_SIZE,
    q: query.q?.trim() ?? "",
    sort,
    order: query.order ?? defaultOrder(sort),
  };
}

const name = t.String({ minLength: 1, maxLength: 100, pattern: "\\S" });
const description = t.String({ maxLength: 500 });

export const CreateProjectBody = t.Object({
  name,
  description: t.Optional(description),
  language: t.Union(LANGUAGES.map((l) => t.Literal(l))),
  template: t.Optional(t.String({ maxLength: 64 })),
});

export const UpdateProjectBody = t.Object({ name: t.Optional(name), description: t.Optional(description) });

export const SaveFileBody = t.Object({
  content: t.String(),
  encoding: t.Optional(
    t.Union([t.Literal("utf8"), t.Literal("base64")], {
      description: "`base64` when `content` is a binary file's bytes in base64 (default `utf8`: text)",
    }),
  ),
  baseVersion: t.Optional(t.Integer({ minimum: 0 })),
});

export const RenameBody = t.Object({ from: t.String({ maxLength: 600 }), to: t.String({ maxLength: 600 }) });

const MemberRole = t.Union([t.Literal("editor"), t.Literal("viewer")], {
  description: "`editor`: reads and changes files, runs code, uses the AI; `viewer`: reads only",
});

export const AddMemberBody = t.Object({
  // Surrounding whitespace is allowed (pasted addresses); the service trims and lowercases.
  email: t.String({
    maxLength: 254,
    pattern: "^\\s*[^\\s@]+@[^\\s@]+\\.[^\\s@]+\\s*$",
    description: "Email address; an account made later with it becomes a member at once",
    examples: ["grace@example.com"],
  }),
  role: MemberRole,
});

export const UpdateMemberBody = t.Object({ role: MemberRole });

export const MemberParams = t.Object({
  id: t.String({ maxLength: 64 }),
  userId: t.String({ minLength: 1, maxLength: 254 }),
});
