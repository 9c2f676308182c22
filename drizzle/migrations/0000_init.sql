CREATE TYPE "public"."run_status" AS ENUM('QUEUED', 'RUNNING', 'COMPLETED', 'FAILED', 'STOPPED', 'INTERRUPTED');--> statement-breakpoint
CREATE TABLE "metric_points" (
	"run_id" uuid NOT NULL,
	"name" text NOT NULL,
	"step" integer NOT NULL,
	"value" double precision NOT NULL,
	CONSTRAINT "metric_points_run_id_name_step_pk" PRIMARY KEY("run_id","name","step")
);
--> statement-breakpoint
CREATE TABLE "runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"status" "run_status" DEFAULT 'QUEUED' NOT NULL,
	"kind" text NOT NULL,
	"config" jsonb NOT NULL,
	"backend" text NOT NULL,
	"seed" integer NOT NULL,
	"total_steps" integer NOT NULL,
	"steps_done" integer DEFAULT 0 NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"owner" text,
	"sweep_id" uuid,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp (3) with time zone,
	"finished_at" timestamp (3) with time zone,
	"summary" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"error" text
);
--> statement-breakpoint
CREATE TABLE "spectra" (
	"run_id" uuid NOT NULL,
	"name" text NOT NULL,
	"step" integer NOT NULL,
	"values" real[] NOT NULL,
	CONSTRAINT "spectra_run_id_name_step_pk" PRIMARY KEY("run_id","name","step")
);
--> statement-breakpoint
ALTER TABLE "metric_points" ADD CONSTRAINT "metric_points_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "spectra" ADD CONSTRAINT "spectra_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "metric_points_run_step_idx" ON "metric_points" USING btree ("run_id","step");--> statement-breakpoint
CREATE INDEX "runs_created_id_idx" ON "runs" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "runs_status_idx" ON "runs" USING btree ("status");--> statement-breakpoint
CREATE INDEX "runs_sweep_idx" ON "runs" USING btree ("sweep_id");