ALTER TYPE "public"."workflow_instance_status" ADD VALUE 'converted';--> statement-breakpoint
ALTER TYPE "public"."workflow_status" ADD VALUE 'paused';--> statement-breakpoint
CREATE TABLE "workflow_node_counts" (
	"workflow_id" uuid NOT NULL,
	"node_id" text NOT NULL,
	"passed" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "workflow_node_counts_workflow_id_node_id_pk" PRIMARY KEY("workflow_id","node_id")
);
--> statement-breakpoint
CREATE TABLE "workflow_segment_members" (
	"workflow_id" uuid NOT NULL,
	"subscriber_id" uuid NOT NULL,
	CONSTRAINT "workflow_segment_members_workflow_id_subscriber_id_pk" PRIMARY KEY("workflow_id","subscriber_id")
);
--> statement-breakpoint
CREATE TABLE "workflow_webhook_calls" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "workflow_webhook_calls_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"instance_id" uuid NOT NULL,
	"node_id" text NOT NULL,
	"visit" integer NOT NULL,
	"url" text NOT NULL,
	"secret_ref" text,
	"body" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_status" integer,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
DROP INDEX "sends_workflow_instance_idx";--> statement-breakpoint
DROP INDEX "workflow_instances_wake_idx";--> statement-breakpoint
DROP INDEX "workflow_instances_live_uq";--> statement-breakpoint
DROP INDEX "workflow_instances_subscriber_idx";--> statement-breakpoint
ALTER TABLE "workflow_instances" ALTER COLUMN "id" SET DEFAULT gen_random_uuid();--> statement-breakpoint
ALTER TABLE "imports" ADD COLUMN "trigger_workflows" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "list_memberships" ADD COLUMN "trigger_workflows" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "sends" ADD COLUMN "workflow_id" uuid;--> statement-breakpoint
ALTER TABLE "sends" ADD COLUMN "workflow_node" text;--> statement-breakpoint
ALTER TABLE "sends" ADD COLUMN "workflow_visit" integer;--> statement-breakpoint
ALTER TABLE "workflow_instances" ADD COLUMN "visit" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "workflow_instances" ADD COLUMN "wait_event" text;--> statement-breakpoint
ALTER TABLE "workflow_instances" ADD COLUMN "wait_match" jsonb;--> statement-breakpoint
ALTER TABLE "workflow_instances" ADD COLUMN "exit_reason" text;--> statement-breakpoint
ALTER TABLE "workflow_instances" ADD COLUMN "entry_key" text;--> statement-breakpoint
ALTER TABLE "workflow_instances" ADD COLUMN "concurrent" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "workflow_versions" ADD COLUMN "reentry" text DEFAULT 'once' NOT NULL;--> statement-breakpoint
ALTER TABLE "workflow_versions" ADD COLUMN "goal" jsonb;--> statement-breakpoint
ALTER TABLE "workflows" ADD COLUMN "activated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "workflows" ADD COLUMN "checked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "workflow_node_counts" ADD CONSTRAINT "workflow_node_counts_workflow_id_workflows_id_fk" FOREIGN KEY ("workflow_id") REFERENCES "public"."workflows"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workflow_segment_members" ADD CONSTRAINT "workflow_segment_members_workflow_id_workflows_id_fk" FOREIGN KEY ("workflow_id") REFERENCES "public"."workflows"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workflow_segment_members" ADD CONSTRAINT "workflow_segment_members_subscriber_id_subscribers_id_fk" FOREIGN KEY ("subscriber_id") REFERENCES "public"."subscribers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workflow_webhook_calls" ADD CONSTRAINT "workflow_webhook_calls_instance_id_workflow_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."workflow_instances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "workflow_webhook_calls_key_uq" ON "workflow_webhook_calls" USING btree ("instance_id","node_id","visit");--> statement-breakpoint
CREATE INDEX "workflow_webhook_calls_pending_idx" ON "workflow_webhook_calls" USING btree ("next_at") WHERE "workflow_webhook_calls"."status" = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "sends_workflow_step_uq" ON "sends" USING btree ("workflow_instance_id","workflow_node","workflow_visit") WHERE "sends"."workflow_instance_id" is not null;--> statement-breakpoint
CREATE INDEX "sends_workflow_node_idx" ON "sends" USING btree ("workflow_id","workflow_node") WHERE "sends"."workflow_id" is not null;--> statement-breakpoint
CREATE INDEX "workflow_instances_due_idx" ON "workflow_instances" USING btree ("wake_at") WHERE "workflow_instances"."status" in ('running', 'waiting');--> statement-breakpoint
CREATE INDEX "workflow_instances_workflow_due_idx" ON "workflow_instances" USING btree ("workflow_id","wake_at") WHERE "workflow_instances"."status" in ('running', 'waiting');--> statement-breakpoint
CREATE INDEX "workflow_instances_node_idx" ON "workflow_instances" USING btree ("workflow_id","current_node") WHERE "workflow_instances"."status" in ('running', 'waiting');--> statement-breakpoint
CREATE UNIQUE INDEX "workflow_instances_entry_uq" ON "workflow_instances" USING btree ("workflow_id","subscriber_id","entry_key") WHERE "workflow_instances"."entry_key" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "workflow_instances_live_uq" ON "workflow_instances" USING btree ("workflow_id","subscriber_id") WHERE "workflow_instances"."status" in ('running', 'waiting') and not "workflow_instances"."concurrent";--> statement-breakpoint
CREATE INDEX "workflow_instances_subscriber_idx" ON "workflow_instances" USING btree ("subscriber_id","workflow_id");