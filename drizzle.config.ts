import { defineConfig } from "drizzle-kit";

// Generation only: migrations are applied at boot by src/db/migrate.ts from the embedded copy.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/db/schema/index.ts",
  out: "./drizzle",
});
