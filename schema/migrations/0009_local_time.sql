ALTER TABLE "subscribers" ADD COLUMN "seen_timezone" text;--> statement-breakpoint
ALTER TABLE "subscribers" ADD COLUMN "seen_timezone_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "local_time" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "sends" ADD COLUMN "timezone" text;--> statement-breakpoint
ALTER TABLE "send_chunks" ADD COLUMN "timezone" text;--> statement-breakpoint
ALTER TABLE "send_chunks" ADD COLUMN "release_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "send_chunks_release_idx" ON "send_chunks" USING btree ("release_at") WHERE "send_chunks"."status" = 'pending' and "send_chunks"."release_at" is not null;
