CREATE TYPE "public"."send_chunk_status" AS ENUM('pending', 'queued', 'done', 'dead');--> statement-breakpoint
CREATE TABLE "campaign_bounce_rollups" (
	"campaign_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"hard" boolean NOT NULL,
	"bounces" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "campaign_bounce_rollups_pk" PRIMARY KEY("campaign_id","reason","hard")
);
--> statement-breakpoint
CREATE TABLE "campaign_domain_rollups" (
	"campaign_id" uuid NOT NULL,
	"domain" text NOT NULL,
	"sent" integer DEFAULT 0 NOT NULL,
	"bounces" integer DEFAULT 0 NOT NULL,
	"refused" integer DEFAULT 0 NOT NULL,
	"complaints" integer DEFAULT 0 NOT NULL,
	"unsubscribes" integer DEFAULT 0 NOT NULL,
	"unique_opens" integer DEFAULT 0 NOT NULL,
	"unique_clicks" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "campaign_domain_rollups_pk" PRIMARY KEY("campaign_id","domain")
);
--> statement-breakpoint
CREATE TABLE "send_chunks" (
	"campaign_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"phase" text DEFAULT 'main' NOT NULL,
	"first_send_id" bigint NOT NULL,
	"last_send_id" bigint NOT NULL,
	"size" integer NOT NULL,
	"status" "send_chunk_status" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"enqueued_at" timestamp with time zone,
	"done_at" timestamp with time zone,
	"last_error" text,
	CONSTRAINT "send_chunks_pk" PRIMARY KEY("campaign_id","seq"),
	CONSTRAINT "send_chunks_range" CHECK ("send_chunks"."first_send_id" <= "send_chunks"."last_send_id")
);
--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "frozen_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "test_ends_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "winner_reason" text;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "sent_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "failed_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "bounce_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "consecutive_errors" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "campaign_rollups_hourly" ADD COLUMN "refused" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "sends" ADD COLUMN "claimed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "campaign_bounce_rollups" ADD CONSTRAINT "campaign_bounce_rollups_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_domain_rollups" ADD CONSTRAINT "campaign_domain_rollups_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "send_chunks" ADD CONSTRAINT "send_chunks_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "send_chunks_open_idx" ON "send_chunks" USING btree ("status","enqueued_at") WHERE "send_chunks"."status" in ('queued', 'dead');