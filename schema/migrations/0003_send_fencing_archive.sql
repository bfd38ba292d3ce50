ALTER TYPE "public"."campaign_status" ADD VALUE 'failed';--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "auto_resume_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "failure_reason" text;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "archived_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "lists" ADD COLUMN "archived_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "sends" ADD COLUMN "claim_token" uuid;--> statement-breakpoint
ALTER TABLE "sends" ADD COLUMN "payload" jsonb;--> statement-breakpoint
CREATE INDEX "audit_logs_entity_id_idx" ON "audit_logs" USING btree ("entity","entity_id");--> statement-breakpoint
CREATE INDEX "sends_open_transactional_idx" ON "sends" USING btree ("next_retry_at") WHERE "sends"."campaign_id" is null and "sends"."status" in ('queued', 'sending');