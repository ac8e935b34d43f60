CREATE TABLE "import_rows" (
	"import_id" bigint NOT NULL,
	"row_number" integer NOT NULL,
	"line_number" integer NOT NULL,
	"record" jsonb NOT NULL,
	"problems" text[],
	CONSTRAINT "import_rows_import_id_row_number_pk" PRIMARY KEY("import_id","row_number")
);
--> statement-breakpoint
CREATE TABLE "imports" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"status" text NOT NULL,
	"phase" text NOT NULL,
	"file_name" text NOT NULL,
	"file_sha256" text NOT NULL,
	"file_bytes" bigint NOT NULL,
	"encoding" text NOT NULL,
	"header" jsonb NOT NULL,
	"options" jsonb NOT NULL,
	"created_by" text NOT NULL,
	"workflow_id" text,
	"total" integer DEFAULT 0 NOT NULL,
	"valid" integer,
	"created" integer DEFAULT 0 NOT NULL,
	"linked" integer DEFAULT 0 NOT NULL,
	"updated" integer DEFAULT 0 NOT NULL,
	"skipped" integer DEFAULT 0 NOT NULL,
	"rejected" integer DEFAULT 0 NOT NULL,
	"rows_processed" integer DEFAULT 0 NOT NULL,
	"verification" jsonb,
	"failure" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "import_batches" (
	"import_id" bigint NOT NULL,
	"first_row" integer NOT NULL,
	"last_row" integer NOT NULL,
	"counts" jsonb NOT NULL,
	"committed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "import_batches_import_id_first_row_pk" PRIMARY KEY("import_id","first_row")
);
--> statement-breakpoint
CREATE TABLE "import_errors" (
	"import_id" bigint NOT NULL,
	"row_number" integer NOT NULL,
	"line_number" integer NOT NULL,
	"record" jsonb NOT NULL,
	"errors" jsonb NOT NULL,
	"phase" text NOT NULL,
	CONSTRAINT "import_errors_import_id_row_number_pk" PRIMARY KEY("import_id","row_number")
);
--> statement-breakpoint
CREATE TABLE "import_outcomes" (
	"import_id" bigint NOT NULL,
	"row_number" integer NOT NULL,
	"outcome" text NOT NULL,
	"customer_id" bigint,
	"phase" text NOT NULL,
	CONSTRAINT "import_outcomes_import_id_row_number_pk" PRIMARY KEY("import_id","row_number")
);
--> statement-breakpoint
CREATE TABLE "customer_companies" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"customer_id" bigint NOT NULL,
	"name" text NOT NULL,
	"position" integer NOT NULL,
	"import_id" bigint
);
--> statement-breakpoint
CREATE TABLE "customer_emails" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"customer_id" bigint NOT NULL,
	"email" text NOT NULL,
	"import_id" bigint
);
--> statement-breakpoint
CREATE TABLE "customer_phones" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"customer_id" bigint NOT NULL,
	"phone" text NOT NULL,
	"extension" text,
	"import_id" bigint
);
--> statement-breakpoint
CREATE TABLE "customer_relations" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"customer_id" bigint NOT NULL,
	"source" text NOT NULL,
	"original_id" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"import_id" bigint,
	"deactivated_by_import_id" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deactivated_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "customers" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"first_name" text NOT NULL,
	"last_name" text NOT NULL,
	"gender" text,
	"date_of_birth" date,
	"import_id" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sync_history" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"original_key" text NOT NULL,
	"customer_id" bigint,
	"import_id" bigint,
	"synced_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "import_rows" ADD CONSTRAINT "import_rows_import_id_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_batches" ADD CONSTRAINT "import_batches_import_id_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_errors" ADD CONSTRAINT "import_errors_import_id_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_outcomes" ADD CONSTRAINT "import_outcomes_import_id_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_companies" ADD CONSTRAINT "customer_companies_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_companies" ADD CONSTRAINT "customer_companies_import_id_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."imports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_emails" ADD CONSTRAINT "customer_emails_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_emails" ADD CONSTRAINT "customer_emails_import_id_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."imports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_phones" ADD CONSTRAINT "customer_phones_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_phones" ADD CONSTRAINT "customer_phones_import_id_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."imports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_relations" ADD CONSTRAINT "customer_relations_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_relations" ADD CONSTRAINT "customer_relations_import_id_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."imports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_relations" ADD CONSTRAINT "customer_relations_deactivated_by_import_id_imports_id_fk" FOREIGN KEY ("deactivated_by_import_id") REFERENCES "public"."imports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customers" ADD CONSTRAINT "customers_import_id_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."imports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_history" ADD CONSTRAINT "sync_history_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_history" ADD CONSTRAINT "sync_history_import_id_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."imports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "imports_created_at_idx" ON "imports" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "imports_status_idx" ON "imports" USING btree ("status");--> statement-breakpoint
CREATE INDEX "import_outcomes_outcome_idx" ON "import_outcomes" USING btree ("import_id","outcome");--> statement-breakpoint
CREATE INDEX "customer_companies_customer_idx" ON "customer_companies" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "customer_companies_import_idx" ON "customer_companies" USING btree ("import_id");--> statement-breakpoint
CREATE INDEX "customer_emails_email_idx" ON "customer_emails" USING btree ("email");--> statement-breakpoint
CREATE INDEX "customer_emails_customer_idx" ON "customer_emails" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "customer_emails_import_idx" ON "customer_emails" USING btree ("import_id");--> statement-breakpoint
CREATE INDEX "customer_phones_phone_idx" ON "customer_phones" USING btree ("phone");--> statement-breakpoint
CREATE INDEX "customer_phones_customer_idx" ON "customer_phones" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "customer_phones_import_idx" ON "customer_phones" USING btree ("import_id");--> statement-breakpoint
CREATE UNIQUE INDEX "customer_relations_active_uq" ON "customer_relations" USING btree ("source","original_id") WHERE "customer_relations"."active";--> statement-breakpoint
CREATE INDEX "customer_relations_customer_idx" ON "customer_relations" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "customer_relations_import_idx" ON "customer_relations" USING btree ("import_id");--> statement-breakpoint
CREATE INDEX "customer_relations_deactivated_by_idx" ON "customer_relations" USING btree ("deactivated_by_import_id");--> statement-breakpoint
CREATE INDEX "customers_import_id_idx" ON "customers" USING btree ("import_id");--> statement-breakpoint
CREATE UNIQUE INDEX "sync_history_source_key_uq" ON "sync_history" USING btree ("source","original_key");--> statement-breakpoint
CREATE INDEX "sync_history_import_idx" ON "sync_history" USING btree ("import_id");