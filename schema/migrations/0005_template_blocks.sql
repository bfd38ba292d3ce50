CREATE TYPE "public"."template_editor" AS ENUM('html', 'blocks');--> statement-breakpoint
ALTER TABLE "template_versions" ADD COLUMN "editor" "template_editor" DEFAULT 'html' NOT NULL;--> statement-breakpoint
ALTER TABLE "template_versions" ADD COLUMN "blocks" jsonb;--> statement-breakpoint
ALTER TABLE "template_versions" ADD CONSTRAINT "template_versions_blocks_editor" CHECK (("template_versions"."editor" = 'blocks') = ("template_versions"."blocks" is not null));
