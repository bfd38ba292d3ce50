-- 0008_audience: sortable subscriber lists (keyset indexes for both directions) and import presets.
CREATE INDEX IF NOT EXISTS "subscribers_name_sort_idx" ON "subscribers" USING btree (coalesce(lower("name"), ''), "id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "subscribers_created_at_id_idx" ON "subscribers" USING btree ("created_at", "id");--> statement-breakpoint
DROP INDEX IF EXISTS "subscribers_created_at_idx";--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "subscribers_updated_at_id_idx" ON "subscribers" USING btree ("updated_at", "id");--> statement-breakpoint
ALTER TABLE "imports" ADD COLUMN IF NOT EXISTS "preset" text;--> statement-breakpoint
ALTER TABLE "imports" ADD COLUMN IF NOT EXISTS "suppressed" integer DEFAULT 0 NOT NULL;
