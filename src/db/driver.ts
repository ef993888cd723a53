import type { Database } from "./types.ts";

/** An open driver: the drizzle database and how to close its connection(s). */
export interface OpenDriver {
  db: Database;
  close(): Promise<void>;
}
