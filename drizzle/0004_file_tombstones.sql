CREATE TABLE "file_tombstones" (
	"project_id" uuid NOT NULL,
	"path" text NOT NULL,
	"last_version" integer NOT NULL,
	CONSTRAINT "file_tombstones_project_id_path_pk" PRIMARY KEY("project_id","path")
);
--> statement-breakpoint
ALTER TABLE "file_tombstones" ADD CONSTRAINT "file_tombstones_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;