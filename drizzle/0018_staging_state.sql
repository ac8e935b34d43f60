ALTER TABLE "imports" ADD COLUMN "staging_state" text DEFAULT 'done' NOT NULL;--> statement-breakpoint
ALTER TABLE "imports" ADD COLUMN "staging_beat_at" timestamp with time zone;