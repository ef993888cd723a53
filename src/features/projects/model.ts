import { t } from "elysia";

export const LANGUAGES = ["javascript", "python", "typescript", "html", "css"] as const;

export const ProjectParams = t.Object({ id: t.String({ maxLength: 64 }) });

/** The last page a list can be asked for: its offset (≤ 10⁸ rows at 100 a page) fits every integer type on the way. */
export const MAX_PAGE = 1_000_000;

export const ListQuery = t.Object({
  page: t.Optional(t.Integer({ minimum: 1, maximum: MAX_PAGE, default: 1 })),
  limit: t.Optional(t.Integer({ minimum: 1, maximum: 100, default: 20 })),
  q: t.Optional(t.String({ maxLength: 100, description: "Search by name" })),
  sort: t.Optional(
    t.Union([t.Literal("updated"), t.Literal("name"), t.Literal("language"), t.Literal("files")]),
  ),
  order: t.Optional(t.Union([t.Literal("asc"), t.Literal("desc")])),
});

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
  baseVersion: t.Optional(t.Integer({ minimum: 0 })),
});

export const RenameBody = t.Object({ from: t.String({ maxLength: 600 }), to: t.String({ maxLength: 600 }) });

export const MemberRole = t.Union([t.Literal("editor"), t.Literal("viewer")], {
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
