-- 0013_email_service: a relay is either an SMTP server or Cloudflare Email Service (the Worker's
-- send_email binding). An Email Service relay has no host or port and, since Cloudflare's terms
-- allow transactional mail only, can never be the default relay (campaigns and workflows use it).
ALTER TABLE "relays" ADD COLUMN "kind" text DEFAULT 'smtp' NOT NULL;--> statement-breakpoint
ALTER TABLE "relays" ALTER COLUMN "host" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "relays" ALTER COLUMN "port" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "relays" ADD CONSTRAINT "relays_kind_check" CHECK ("relays"."kind" in ('smtp', 'cloudflare'));--> statement-breakpoint
ALTER TABLE "relays" ADD CONSTRAINT "relays_smtp_endpoint" CHECK ("relays"."kind" <> 'smtp' or ("relays"."host" is not null and "relays"."port" is not null));--> statement-breakpoint
ALTER TABLE "relays" ADD CONSTRAINT "relays_cloudflare_not_default" CHECK (not ("relays"."kind" = 'cloudflare' and "relays"."is_default"));
