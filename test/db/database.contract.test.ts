import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { count, eq, sql } from "drizzle-orm";
import { BatchWriter } from "../../src/db/batch-writer.ts";
import { isUniqueViolation, sqlState } from "../../src/db/errors.ts";
import { migrate } from "../../src/db/migrate.ts";
import { embeddedMigrations } from "../../src/db/migrations.gen.ts";
import { recordInteractions } from "../../src/db/queries/ai.ts";
import { createUser, getUserByEmail, getUserById } from "../../src/db/queries/users.ts";
import { queryRows } from "../../src/db/raw.ts";
import { aiInteractions, type NewAiInteraction } from "../../src/db/schema/ai-interactions.ts";
import { codeChunks, fileVersions, projectFiles, projects, users } from "../../src/db/schema/index.ts";
import type { Database } from "../../src/db/types.ts";
import { databaseImplementations, type TestDatabase } from "../helpers/db.ts";

const uniqueEmail = () => `user-${crypto.randomUUID()}@example.com`;

async function seedProject(db: Database) {
  const user = await createUser(db, { email: uniqueEmail() });
  const [project] = await db.insert(projects).values({ userId: user.id, name: "demo" }).returning();
  const [file] = await db
    .insert(projectFiles)
    .values({ projectId: project!.id, path: "src/main.ts", content: "let a = 1;", contentHash: "h1" })
    .returning();
  return { user, project: project!, file: file! };
}

for (const implementation of databaseImplementations()) {
  describe(`the ${implementation.name} database`, () => {
    let t: TestDatabase;
    let db: Database;

    beforeAll(async () => {
      t = await implementation.open();
      db = t.db;
    }, 60_000);

    afterAll(async () => {
      await t?.cleanup();
    });

    test("has every table after the boot migration", async () => {
      const rows = await queryRows<{ table_name: string }>(
        db,
        sql`select table_name from information_schema.tables where table_schema = 'public'`,
      );
      expect(rows.map((r) => r.table_name).sort()).toEqual([
        "ai_interactions",
        "code_chunks",
        "doc_states",
        "doc_updates",
        "file_tombstones",
        "file_versions",
        "git_credentials",
        "git_objects",
        "git_repos",
        "login_throttles",
        "oauth_accounts",
        "project_files",
        "project_members",
        "projects",
        "refresh_tokens",
        "usage_analytics",
        "users",
      ]);
    });

    test("treats migrating again as a no-op", async () => {
      expect(await migrate(db)).toBe(0);
      const rows = await queryRows<{ n: number }>(
        db,
        sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
      );
      expect(rows[0]?.n).toBe(embeddedMigrations.length);
    });

    test("stores a user with a normalized email and finds it by id and by email", async () => {
      const email = uniqueEmail();
      const created = await createUser(db, { email: `  ${email.toUpperCase()} `, firstName: "Ada" });
      expect(created.email).toBe(email);
      expect(created.role).toBe("user");
      expect(created.subscriptionTier).toBe("free");
      expect(created.createdAt).toBeInstanceOf(Date);
      expect((await getUserByEmail(db, email.toUpperCase()))?.id).toBe(created.id);
      expect((await getUserById(db, created.id))?.firstName).toBe("Ada");
      expect(await getUserById(db, "not-a-uuid")).toBeUndefined();
      expect(await getUserById(db, crypto.randomUUID())).toBeUndefined();
    });

    test("reports a duplicate email in another case as a unique violation", async () => {
      const email = uniqueEmail();
      await createUser(db, { email });
      const err = await createUser(db, { email: email.toUpperCase() }).catch((e: unknown) => e);
      expect(isUniqueViolation(err)).toBe(true);
      const fkErr = await db
        .insert(projects)
        .values({ userId: crypto.randomUUID(), name: "orphan" })
        .catch((e: unknown) => e);
      expect(fkErr).toBeInstanceOf(Error);
      expect(isUniqueViolation(fkErr)).toBe(false);
    });

    test("returns count() as a number", async () => {
      await createUser(db, { email: uniqueEmail() });
      const [row] = await db.select({ n: count() }).from(users);
      expect(typeof row?.n).toBe("number");
      expect(row!.n).toBeGreaterThan(0);
    });

    test("round-trips jsonb settings", async () => {
      const user = await createUser(db, { email: uniqueEmail() });
      const settings = { theme: "dark", tabSize: 2, nested: { list: [1, "two", null], ok: true } };
      const [inserted] = await db
        .insert(projects)
        .values({ userId: user.id, name: "p", settings })
        .returning();
      const [read] = await db.select().from(projects).where(eq(projects.id, inserted!.id));
      expect(read?.settings).toEqual(settings);
      expect(read?.indexingEnabled).toBe(true);
    });

    test("cascades a project's deletion to its files, versions and chunks", async () => {
      const { user, project, file } = await seedProject(db);
      await db.insert(fileVersions).values({
        fileId: file.id,
        projectId: project.id,
        path: file.path,
        version: 1,
        content: file.content,
        contentHash: "h1",
        sizeBytes: 10,
        createdBy: user.id,
      });
      await db.insert(codeChunks).values({
        projectId: project.id,
        fileId: file.id,
        path: file.path,
        content: file.content,
        contentHash: "c1",
        lineStart: 1,
        lineEnd: 1,
      });
      await db.delete(projects).where(eq(projects.id, project.id));
      const left = async (table: typeof projectFiles | typeof fileVersions | typeof codeChunks) =>
        (await db.select({ n: count() }).from(table).where(eq(table.projectId, project.id)))[0]?.n;
      expect(await left(projectFiles)).toBe(0);
      expect(await left(fileVersions)).toBe(0);
      expect(await left(codeChunks)).toBe(0);
    });

    test("leaves nothing behind when a transaction rolls back", async () => {
      const email = uniqueEmail();
      const failed = await db
        .transaction(async (tx) => {
          await tx.insert(users).values({ email });
          throw new Error("abort on purpose");
        })
        .catch((e: unknown) => e);
      expect((failed as Error).message).toBe("abort on purpose");
      expect(await getUserByEmail(db, email)).toBeUndefined();
    });

    test("round-trips a real[] embedding", async () => {
      const { project, file } = await seedProject(db);
      // float4-exact values, and one embedding of a realistic size.
      const small = [0.5, -1.25, 3, 0];
      const large = Array.from({ length: 384 }, (_, i) => (i % 7) / 8 - 0.25);
      const base = {
        projectId: project.id,
        fileId: file.id,
        path: file.path,
        content: "x",
        lineStart: 1,
        lineEnd: 1,
      };
      const [a] = await db
        .insert(codeChunks)
        .values({ ...base, contentHash: "a", embedding: small, embeddingModel: "m" })
        .returning();
      const [b] = await db
        .insert(codeChunks)
        .values({ ...base, contentHash: "b", embedding: large })
        .returning();
      const [readA] = await db.select().from(codeChunks).where(eq(codeChunks.id, a!.id));
      const [readB] = await db.select().from(codeChunks).where(eq(codeChunks.id, b!.id));
      expect(readA?.embedding).toEqual(small);
      expect(readB?.embedding).toEqual(large);
    });

    test("allows one file per path in a project", async () => {
      const { project } = await seedProject(db);
      const dup = await db
        .insert(projectFiles)
        .values({ projectId: project.id, path: "src/main.ts", contentHash: "h2" })
        .catch((e: unknown) => e);
      expect(isUniqueViolation(dup)).toBe(true);
      const other = await seedProject(db);
      expect(other.file.path).toBe("src/main.ts");
    });

    test("group-commits rows written at once, and a row it refuses fails alone", async () => {
      const { user, project } = await seedProject(db);
      const statements: number[] = [];
      const writer = new BatchWriter<NewAiInteraction>(async (rows) => {
        statements.push(rows.length);
        await recordInteractions(db, rows);
      });
      const row = (i: number, userId = user.id): NewAiInteraction => ({
        userId,
        projectId: project.id,
        requestType: "chat",
        model: "m",
        requestData: { message: `question ${i}` },
        tokensInput: i,
      });
      const ok = await Promise.all(Array.from({ length: 30 }, (_, i) => writer.add(row(i))));
      expect(ok).toHaveLength(30);
      // The first row went alone at once; the 29 that came meanwhile, together.
      expect(statements).toEqual([1, 29]);
      const stored = await db.select().from(aiInteractions).where(eq(aiInteractions.userId, user.id));
      expect(stored.map((r) => r.tokensInput).sort((a, b) => a - b)).toEqual([...Array(30).keys()]);

      // No such user: the foreign key refuses that row, and only that row.
      const outcomes = await Promise.allSettled(
        [row(100), row(101), row(102, crypto.randomUUID()), row(103)].map((r) => writer.add(r)),
      );
      expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled"]);
      expect(sqlState((outcomes[2] as PromiseRejectedResult).reason)).toBe("23503");
      const after = await db.select().from(aiInteractions).where(eq(aiInteractions.userId, user.id));
      expect(after).toHaveLength(33);
    });
  });
}
