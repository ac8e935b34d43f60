CREATE TABLE "dedupe_groups" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"scan_id" bigint NOT NULL,
	"score" double precision NOT NULL,
	"reasons" jsonb NOT NULL,
	"customer_ids" bigint[] NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dedupe_keys" (
	"scan_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"key" text NOT NULL,
	"customer_id" bigint NOT NULL,
	CONSTRAINT "dedupe_keys_scan_id_kind_key_customer_id_pk" PRIMARY KEY("scan_id","kind","key","customer_id")
);
--> statement-breakpoint
CREATE TABLE "dedupe_pairs" (
	"scan_id" bigint NOT NULL,
	"left_id" bigint NOT NULL,
	"right_id" bigint NOT NULL,
	"score" double precision,
	"reasons" jsonb,
	CONSTRAINT "dedupe_pairs_scan_id_left_id_right_id_pk" PRIMARY KEY("scan_id","left_id","right_id")
);
--> statement-breakpoint
CREATE TABLE "dedupe_people" (
	"scan_id" bigint NOT NULL,
	"customer_id" bigint NOT NULL,
	"name_key" text NOT NULL,
	"tokens" text[] NOT NULL,
	"date_of_birth" date,
	"in_scope" boolean NOT NULL,
	CONSTRAINT "dedupe_people_scan_id_customer_id_pk" PRIMARY KEY("scan_id","customer_id")
);
--> statement-breakpoint
CREATE TABLE "dedupe_scans" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"scope" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"counts" jsonb DEFAULT '{"customers":0,"pairs":0,"groups":0}'::jsonb NOT NULL,
	"workflow_id" text,
	"created_by" text NOT NULL,
	"failure" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "dedupe_tokens" (
	"scan_id" bigint NOT NULL,
	"token" text NOT NULL,
	"customers" integer NOT NULL,
	CONSTRAINT "dedupe_tokens_scan_id_token_pk" PRIMARY KEY("scan_id","token")
);
--> statement-breakpoint
CREATE TABLE "merge_changes" (
	"merge_id" bigint NOT NULL,
	"table_name" text NOT NULL,
	"row_id" bigint NOT NULL,
	"before" jsonb NOT NULL,
	"after" jsonb,
	CONSTRAINT "merge_changes_merge_id_table_name_row_id_pk" PRIMARY KEY("merge_id","table_name","row_id")
);
--> statement-breakpoint
CREATE TABLE "merges" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"group_id" bigint,
	"survivor_id" bigint NOT NULL,
	"merged_ids" bigint[] NOT NULL,
	"rule" text NOT NULL,
	"choices" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_by" text NOT NULL,
	"workflow_id" text,
	"report" jsonb,
	"failure" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"undone_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "merged_into" bigint;--> statement-breakpoint
CREATE INDEX "dedupe_groups_scan_idx" ON "dedupe_groups" USING btree ("scan_id","score");--> statement-breakpoint
CREATE INDEX "dedupe_keys_customer_idx" ON "dedupe_keys" USING btree ("scan_id","customer_id");--> statement-breakpoint
CREATE INDEX "dedupe_pairs_score_idx" ON "dedupe_pairs" USING btree ("scan_id","score");--> statement-breakpoint
CREATE INDEX "merges_created_at_idx" ON "merges" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "customers_merged_into_idx" ON "customers" USING btree ("merged_into") WHERE "customers"."merged_into" IS NOT NULL;--> statement-breakpoint
-- Trigram similarity of names inside a block (dedupe scans); trusted since PostgreSQL 13.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
