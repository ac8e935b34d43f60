CREATE TABLE "customer_attributes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"customer_id" bigint NOT NULL,
	"key" text NOT NULL,
	"value" text NOT NULL,
	"import_id" bigint
);
--> statement-breakpoint
ALTER TABLE "customer_amounts" ADD COLUMN "currency" text;--> statement-breakpoint
ALTER TABLE "customer_amounts" ADD COLUMN "rate" numeric(18, 8);--> statement-breakpoint
ALTER TABLE "customer_amounts" ADD COLUMN "converted_amount" numeric(14, 2);--> statement-breakpoint
ALTER TABLE "customer_amounts" ADD COLUMN "converted_currency" text;--> statement-breakpoint
ALTER TABLE "customer_attributes" ADD CONSTRAINT "customer_attributes_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "customer_attributes_customer_key_uq" ON "customer_attributes" USING btree ("customer_id","key");--> statement-breakpoint
CREATE INDEX "customer_attributes_import_idx" ON "customer_attributes" USING btree ("import_id");