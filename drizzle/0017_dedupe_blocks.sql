CREATE TABLE "dedupe_blocks" (
	"scan_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"key" text NOT NULL,
	"customers" integer NOT NULL,
	CONSTRAINT "dedupe_blocks_scan_id_kind_key_pk" PRIMARY KEY("scan_id","kind","key")
);
