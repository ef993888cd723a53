ALTER TABLE "file_versions" ADD COLUMN "encoding" text DEFAULT 'utf8' NOT NULL;--> statement-breakpoint
ALTER TABLE "project_files" ADD COLUMN "encoding" text DEFAULT 'utf8' NOT NULL;