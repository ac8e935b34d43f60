CREATE TABLE "import_range_checks" (
	"import_id" bigint NOT NULL,
	"first_row" integer NOT NULL,
	"last_row" integer NOT NULL,
	"found" jsonb NOT NULL,
	"checked_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "import_range_checks_import_id_first_row_pk" PRIMARY KEY("import_id","first_row")
);
--> statement-breakpoint
ALTER TABLE "import_range_checks" ADD CONSTRAINT "import_range_checks_import_id_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."imports"("id") ON DELETE cascade ON UPDATE no action;