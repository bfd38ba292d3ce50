CREATE TABLE "import_chunks" (
	"import_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"first_row" integer NOT NULL,
	"rows" integer NOT NULL,
	"body" text,
	"done_at" timestamp with time zone,
	CONSTRAINT "import_chunks_import_id_seq_pk" PRIMARY KEY("import_id","seq")
);
--> statement-breakpoint
CREATE TABLE "rate_limits" (
	"key" text PRIMARY KEY NOT NULL,
	"hits" integer DEFAULT 0 NOT NULL,
	"window_started_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "import_chunks" ADD CONSTRAINT "import_chunks_import_id_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "subscribers_email_prefix_idx" ON "subscribers" USING btree (lower("email") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "subscribers_name_prefix_idx" ON "subscribers" USING btree (lower("name") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "subscribers_created_at_idx" ON "subscribers" USING btree ("created_at");--> statement-breakpoint
ALTER TABLE "imports" DROP COLUMN "source_key";--> statement-breakpoint
ALTER TABLE "imports" DROP COLUMN "byte_offset";--> statement-breakpoint
ALTER TABLE "imports" ADD COLUMN "filename" text;--> statement-breakpoint
ALTER TABLE "imports" ADD COLUMN "send_confirmations" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "imports" ADD COLUMN "columns" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "imports" ADD COLUMN "delimiter" text;--> statement-breakpoint
ALTER TABLE "imports" ADD COLUMN "chunks" integer DEFAULT 0 NOT NULL;