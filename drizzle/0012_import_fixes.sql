CREATE TABLE "import_fixes" (
	"import_id" bigint NOT NULL,
	"row_number" integer NOT NULL,
	"parent_import_id" bigint NOT NULL,
	"parent_row_number" integer NOT NULL,
	CONSTRAINT "import_fixes_import_id_row_number_pk" PRIMARY KEY("import_id","row_number")
);
--> statement-breakpoint
CREATE INDEX "import_fixes_parent_idx" ON "import_fixes" USING btree ("parent_import_id","parent_row_number");