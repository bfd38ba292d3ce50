-- 0011_user_locale: each user's dashboard language; null follows the browser.
ALTER TABLE "users" ADD COLUMN "locale" text;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_locale_check" CHECK ("users"."locale" in ('en', 'de', 'fr', 'es', 'pt-BR', 'ja'));
