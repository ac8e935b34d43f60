CREATE TABLE "import_rollback_kept" (
	"import_id" bigint NOT NULL,
	"customer_id" bigint NOT NULL,
	CONSTRAINT "import_rollback_kept_import_id_customer_id_pk" PRIMARY KEY("import_id","customer_id")
);
--> statement-breakpoint
ALTER TABLE "import_rollback_kept" ADD CONSTRAINT "import_rollback_kept_import_id_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."imports"("id") ON DELETE cascade ON UPDATE no action;