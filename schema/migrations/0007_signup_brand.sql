ALTER TABLE "lists" ADD COLUMN "language" text;--> statement-breakpoint
ALTER TABLE "lists" ADD COLUMN "form" jsonb;--> statement-breakpoint
ALTER TABLE "lists" ADD CONSTRAINT "lists_language_check" CHECK ("lists"."language" in ('en', 'de', 'fr', 'es', 'pt-BR', 'ja'));
