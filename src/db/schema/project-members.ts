import { index, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { projects } from "./projects.ts";
import { users } from "./users.ts";

/** The roles a project grants besides its owner's (the owner is `projects.user_id`, never a row here). */
export const MEMBER_ROLES = ["editor", "viewer"] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

/**
 * Who else may use a project, and how. An invitation to an email without an account is a row
 * with no `user_id` yet (pending); registering with that email fills it in. `email` is stored
 * lowercased, like `users.email`, so the unique constraint is case-blind.
 */
export const projectMembers = pgTable(
  "project_members",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    projectId: uuid("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    userId: uuid("user_id").references(() => users.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    role: text("role", { enum: MEMBER_ROLES }).notNull(),
    // The invitation outlives the account that sent it.
    invitedBy: uuid("invited_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  // "Projects shared with me" looks members up by user; a registration claims invitations by email.
  (t) => [unique().on(t.projectId, t.email), index().on(t.userId), index().on(t.email)],
);

export type ProjectMember = typeof projectMembers.$inferSelect;
