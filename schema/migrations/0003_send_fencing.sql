ALTER TYPE "public"."campaign_status" ADD VALUE 'failed';--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "failure_reason" text;--> statement-breakpoint
ALTER TABLE "sends" ADD COLUMN "claim_token" uuid;--> statement-breakpoint
ALTER TABLE "sends" ADD COLUMN "payload" jsonb;--> statement-breakpoint
CREATE INDEX "sends_open_transactional_idx" ON "sends" USING btree ("next_retry_at") WHERE "sends"."campaign_id" is null and "sends"."status" in ('queued', 'sending');