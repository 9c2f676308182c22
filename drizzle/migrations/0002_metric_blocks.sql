CREATE TABLE "metric_blocks" (
	"run_id" uuid NOT NULL,
	"name" text NOT NULL,
	"size" integer NOT NULL,
	"block" integer NOT NULL,
	"min" double precision NOT NULL,
	"max" double precision NOT NULL,
	"first_step" integer NOT NULL,
	"first_value" double precision NOT NULL,
	"last_step" integer NOT NULL,
	"last_value" double precision NOT NULL,
	CONSTRAINT "metric_blocks_run_id_name_size_block_pk" PRIMARY KEY("run_id","name","size","block")
);
--> statement-breakpoint
ALTER TABLE "metric_blocks" ADD CONSTRAINT "metric_blocks_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Backfill from the points already stored, for each of BLOCK_SIZES (16, 64) in src/queries/downsample.ts.
INSERT INTO "metric_blocks" ("run_id", "name", "size", "block", "min", "max", "first_step", "first_value", "last_step", "last_value")
SELECT "run_id", "name", s.size, "step" / s.size, min("value"), max("value"),
  min("step"), (min(ARRAY["step"::float8, "value"]))[2], max("step"), (max(ARRAY["step"::float8, "value"]))[2]
FROM "metric_points" CROSS JOIN (VALUES (16), (64)) AS s(size)
GROUP BY "run_id", "name", s.size, "step" / s.size;
