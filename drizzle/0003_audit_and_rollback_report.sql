CREATE TABLE "import_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"import_id" bigint NOT NULL,
	"action" text NOT NULL,
	"actor" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"details" jsonb
);
--> statement-breakpoint
ALTER TABLE "imports" ADD COLUMN "rollback_report" jsonb;--> statement-breakpoint
ALTER TABLE "import_events" ADD CONSTRAINT "import_events_import_id_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "import_events_import_idx" ON "import_events" USING btree ("import_id");