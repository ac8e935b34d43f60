ALTER TABLE "import_outcomes" ADD COLUMN "content_hash" text;--> statement-breakpoint
ALTER TABLE "import_outcomes" ADD COLUMN "occurrence" integer;--> statement-breakpoint
ALTER TABLE "import_outcomes" ADD COLUMN "matched_import_id" bigint;--> statement-breakpoint
ALTER TABLE "import_outcomes" ADD COLUMN "matched_row_number" integer;--> statement-breakpoint
CREATE INDEX "import_outcomes_identity_idx" ON "import_outcomes" USING btree ("import_id","content_hash","occurrence") WHERE "import_outcomes"."content_hash" IS NOT NULL;