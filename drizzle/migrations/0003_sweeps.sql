CREATE TABLE "sweeps" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"base" jsonb NOT NULL,
	"axes" jsonb NOT NULL,
	"seeds" integer[] NOT NULL,
	"mode" jsonb NOT NULL,
	"total" integer NOT NULL,
	"owner" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"stopped_at" timestamp (3) with time zone,
	"finished_at" timestamp (3) with time zone
);
--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "axis_values" jsonb;--> statement-breakpoint
CREATE INDEX "sweeps_created_id_idx" ON "sweeps" USING btree ("created_at","id");--> statement-breakpoint
ALTER TABLE "runs" ADD CONSTRAINT "runs_sweep_id_sweeps_id_fk" FOREIGN KEY ("sweep_id") REFERENCES "public"."sweeps"("id") ON DELETE cascade ON UPDATE no action;