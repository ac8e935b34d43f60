CREATE TABLE "merge_batches" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"created_by" text NOT NULL,
	"workflow_id" text,
	"counts" jsonb NOT NULL,
	"failure" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "merges" ADD COLUMN "batch_id" bigint;--> statement-breakpoint
CREATE INDEX "merges_batch_id_idx" ON "merges" USING btree ("batch_id","id") WHERE "merges"."batch_id" IS NOT NULL;