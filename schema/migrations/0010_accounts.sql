-- 0010_accounts: invitations and password resets by mail, template tracking, clicks as opens.
CREATE TYPE "public"."account_token_purpose" AS ENUM('invite', 'reset');--> statement-breakpoint
CREATE TABLE "account_tokens" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"purpose" "account_token_purpose" NOT NULL,
	"secret_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "account_tokens" ADD CONSTRAINT "account_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "account_tokens_user_idx" ON "account_tokens" USING btree ("user_id");--> statement-breakpoint
-- An invited user has no password until they set one from the invitation's link.
ALTER TABLE "users" ALTER COLUMN "password_hash" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "templates" ADD COLUMN "track" boolean DEFAULT true NOT NULL;--> statement-breakpoint
-- A person's click proves an open: sends clicked without a recorded open count as opened at
-- their first click, in the rollups as well, so click-to-open never passes 100 %.
CREATE TEMPORARY TABLE "clicked_unopened" AS
  SELECT "id", "campaign_id", "variant_id", "clicked_at", lower(substring("email" from '@([^@]*)$')) AS "domain"
  FROM "sends" WHERE "opened_at" IS NULL AND "clicked_at" IS NOT NULL;--> statement-breakpoint
UPDATE "sends" s SET "opened_at" = c."clicked_at" FROM "clicked_unopened" c WHERE s."id" = c."id";--> statement-breakpoint
INSERT INTO "campaign_rollups_hourly" AS r ("campaign_id", "variant_id", "hour", "unique_opens")
  SELECT c."campaign_id", c."variant_id", date_trunc('hour', c."clicked_at", 'UTC'), count(*)::int
  FROM "clicked_unopened" c JOIN "campaigns" k ON k."id" = c."campaign_id"
  GROUP BY 1, 2, 3
  ON CONFLICT ("campaign_id", "variant_key", "hour") DO UPDATE SET "unique_opens" = r."unique_opens" + excluded."unique_opens";--> statement-breakpoint
INSERT INTO "campaign_domain_rollups" AS r ("campaign_id", "domain", "unique_opens")
  SELECT c."campaign_id", c."domain", count(*)::int
  FROM "clicked_unopened" c JOIN "campaigns" k ON k."id" = c."campaign_id" WHERE c."domain" IS NOT NULL
  GROUP BY 1, 2
  ON CONFLICT ("campaign_id", "domain") DO UPDATE SET "unique_opens" = r."unique_opens" + excluded."unique_opens";--> statement-breakpoint
DROP TABLE "clicked_unopened";
