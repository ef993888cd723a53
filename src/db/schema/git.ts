import { customType, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { projects } from "./projects.ts";
import { users } from "./users.ts";

/** Raw bytes. postgres.js returns a Buffer and PGlite a Uint8Array: both are Uint8Arrays. */
const bytes = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => "bytea",
  toDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

/** One entry of a commit's tree, by path: the blob's id and its git file mode. */
export interface GitTreeEntry {
  oid: string;
  mode: string;
}

/**
 * A project's link to a git remote (docs/decisions.md): where it came from, the branch, the
 * last commit made or pulled here (`headOid`), the remote branch's tip as last seen
 * (`remoteOid`), and that commit's tree flattened to path → blob, which status compares the
 * project's files with. `skipped` are paths of the tree the project does not hold as files
 * (too large, symlinks, submodules): commits keep them as they were. `version` rises on every
 * write, so a write based on a stale read is refused.
 */
export const gitRepos = pgTable("git_repos", {
  projectId: uuid("project_id")
    .primaryKey()
    .references(() => projects.id, { onDelete: "cascade" }),
  remoteUrl: text("remote_url").notNull(),
  branch: text("branch").notNull(),
  headOid: text("head_oid").notNull(),
  remoteOid: text("remote_oid").notNull(),
  /** Contents of `.git/shallow`: the commits whose parents were not fetched. */
  shallow: text("shallow").notNull().default(""),
  tree: jsonb("tree").$type<Record<string, GitTreeEntry>>().notNull(),
  skipped: jsonb("skipped").$type<string[]>().notNull().default([]),
  version: integer("version").notNull().default(1),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * The files under a repository's `.git/objects`, by their name there (`pack/pack-….pack`,
 * `ab/cdef…` for a loose object): written once, never changed, so every instance can rebuild
 * the object store from them.
 */
export const gitObjects = pgTable(
  "git_objects",
  {
    projectId: uuid("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    data: bytes("data").notNull(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.name] })],
);

/** A user's personal access token for git remotes, encrypted (AES-GCM, key derived from the app's secret). */
export const gitCredentials = pgTable("git_credentials", {
  userId: uuid("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  iv: bytes("iv").notNull(),
  ciphertext: bytes("ciphertext").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export type GitRepo = typeof gitRepos.$inferSelect;
