CREATE TABLE "import_notifications" (
	"import_id" bigint NOT NULL,
	"channel" text NOT NULL,
	"status" text NOT NULL,
	"sent_at" timestamp with time zone,
	"error" text,
	CONSTRAINT "import_notifications_import_id_channel_pk" PRIMARY KEY("import_id","channel")
);
--> statement-breakpoint
ALTER TABLE "imports" ADD COLUMN "purged_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "import_notifications" ADD CONSTRAINT "import_notifications_import_id_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."imports"("id") ON DELETE cascade ON UPDATE no action;