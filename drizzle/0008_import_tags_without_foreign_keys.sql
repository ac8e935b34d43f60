ALTER TABLE "import_rows" DROP CONSTRAINT "import_rows_import_id_imports_id_fk";
--> statement-breakpoint
ALTER TABLE "import_errors" DROP CONSTRAINT "import_errors_import_id_imports_id_fk";
--> statement-breakpoint
ALTER TABLE "import_outcomes" DROP CONSTRAINT "import_outcomes_import_id_imports_id_fk";
--> statement-breakpoint
ALTER TABLE "customer_companies" DROP CONSTRAINT "customer_companies_import_id_imports_id_fk";
--> statement-breakpoint
ALTER TABLE "customer_emails" DROP CONSTRAINT "customer_emails_import_id_imports_id_fk";
--> statement-breakpoint
ALTER TABLE "customer_phones" DROP CONSTRAINT "customer_phones_import_id_imports_id_fk";
--> statement-breakpoint
ALTER TABLE "customer_relations" DROP CONSTRAINT "customer_relations_import_id_imports_id_fk";
--> statement-breakpoint
ALTER TABLE "customer_relations" DROP CONSTRAINT "customer_relations_deactivated_by_import_id_imports_id_fk";
--> statement-breakpoint
ALTER TABLE "customers" DROP CONSTRAINT "customers_import_id_imports_id_fk";
--> statement-breakpoint
ALTER TABLE "sync_history" DROP CONSTRAINT "sync_history_import_id_imports_id_fk";
--> statement-breakpoint
ALTER TABLE "customer_addresses" DROP CONSTRAINT "customer_addresses_import_id_imports_id_fk";
--> statement-breakpoint
ALTER TABLE "customer_amounts" DROP CONSTRAINT "customer_amounts_import_id_imports_id_fk";
--> statement-breakpoint
ALTER TABLE "customer_identities" DROP CONSTRAINT "customer_identities_import_id_imports_id_fk";
--> statement-breakpoint
ALTER TABLE "points_transactions" DROP CONSTRAINT "points_transactions_import_id_imports_id_fk";
--> statement-breakpoint
ALTER TABLE "purchases" DROP CONSTRAINT "purchases_import_id_imports_id_fk";
--> statement-breakpoint
DROP INDEX "customer_relations_deactivated_by_idx";--> statement-breakpoint
CREATE INDEX "customer_relations_deactivated_by_idx" ON "customer_relations" USING btree ("deactivated_by_import_id") WHERE "customer_relations"."deactivated_by_import_id" IS NOT NULL;