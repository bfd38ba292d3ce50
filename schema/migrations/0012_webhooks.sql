-- 0012_webhooks: outgoing webhooks. Endpoints (the signing secret stored encrypted), the
-- deliveries table that is also the transactional outbox (domain changes insert their events in
-- their own transaction; the sender drains each endpoint's pending rows in id order), and the
-- attempt log the dashboard shows.
CREATE TABLE "webhook_endpoints" (
	"id" uuid PRIMARY KEY NOT NULL,
	"url" text NOT NULL,
	"events" text[] NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"secret_encrypted" text NOT NULL,
	"disabled_reason" text,
	"lease_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "webhook_deliveries_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"endpoint_id" uuid NOT NULL,
	"event_id" text NOT NULL,
	"type" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"data" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_at" timestamp with time zone DEFAULT now() NOT NULL,
	"batch_id" bigint,
	"delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhook_deliveries_status_check" CHECK ("status" in ('pending', 'delivered', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "webhook_attempts" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "webhook_attempts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"endpoint_id" uuid NOT NULL,
	"delivery_id" bigint NOT NULL,
	"webhook_id" text NOT NULL,
	"event_type" text NOT NULL,
	"event_count" integer DEFAULT 1 NOT NULL,
	"ok" boolean NOT NULL,
	"status_code" integer,
	"latency_ms" integer NOT NULL,
	"response_excerpt" text,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_endpoint_id_fk" FOREIGN KEY ("endpoint_id") REFERENCES "public"."webhook_endpoints"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_attempts" ADD CONSTRAINT "webhook_attempts_endpoint_id_fk" FOREIGN KEY ("endpoint_id") REFERENCES "public"."webhook_endpoints"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "webhook_deliveries_pending_idx" ON "webhook_deliveries" USING btree ("endpoint_id","id") WHERE "status" = 'pending';--> statement-breakpoint
CREATE INDEX "webhook_deliveries_batch_idx" ON "webhook_deliveries" USING btree ("batch_id") WHERE "batch_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "webhook_attempts_endpoint_idx" ON "webhook_attempts" USING btree ("endpoint_id","id");
--> statement-breakpoint
-- Workflow runs change status in many statements (engine, goals, events, deactivation): one
-- trigger puts their webhook events in the outbox in the same transaction as each change.
CREATE FUNCTION "webhook_workflow_instance_event"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	kind text;
BEGIN
	IF TG_OP = 'INSERT' THEN
		kind := 'workflow.entered';
	ELSIF NEW.status IS DISTINCT FROM OLD.status AND NEW.status = 'converted' THEN
		kind := 'workflow.converted';
	ELSIF NEW.status IS DISTINCT FROM OLD.status AND NEW.status IN ('exited', 'completed', 'failed') THEN
		kind := 'workflow.exited';
	ELSE
		RETURN NULL;
	END IF;
	INSERT INTO webhook_deliveries (endpoint_id, event_id, type, occurred_at, data)
	SELECT e.id, 'msg_wf_' || replace(NEW.id::text, '-', '') || '_' || NEW.status, kind, now(),
		jsonb_strip_nulls(jsonb_build_object('workflowId', NEW.workflow_id, 'instanceId', NEW.id,
			'subscriberId', NEW.subscriber_id, 'email', (SELECT s.email FROM subscribers s WHERE s.id = NEW.subscriber_id),
			'status', NEW.status, 'reason', NEW.exit_reason))
	FROM webhook_endpoints e
	WHERE e.enabled AND kind = ANY(e.events)
	ORDER BY e.id;
	RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "workflow_instances_webhook_events" AFTER INSERT OR UPDATE OF "status" ON "workflow_instances"
	FOR EACH ROW EXECUTE FUNCTION "webhook_workflow_instance_event"();
