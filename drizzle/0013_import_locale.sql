ALTER TABLE "imports" ADD COLUMN "region" text DEFAULT 'TH' NOT NULL;--> statement-breakpoint
ALTER TABLE "imports" ADD COLUMN "national_id_scheme" text DEFAULT 'th' NOT NULL;--> statement-breakpoint
ALTER TABLE "imports" ADD COLUMN "date_order" text;--> statement-breakpoint
ALTER TABLE "imports" ADD COLUMN "date_era" text;--> statement-breakpoint
ALTER TABLE "import_mappings" ADD COLUMN "region" text;--> statement-breakpoint
ALTER TABLE "import_mappings" ADD COLUMN "national_id_scheme" text;