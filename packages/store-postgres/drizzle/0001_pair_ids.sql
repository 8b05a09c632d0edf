-- Ids of runs, operations and outcomes become their pair's: a pair migrated from another store keeps its own.
ALTER TABLE "operations" DROP CONSTRAINT "operations_run_id_runs_id_fk";--> statement-breakpoint
ALTER TABLE "outcomes" DROP CONSTRAINT "outcomes_run_id_runs_id_fk";--> statement-breakpoint
ALTER TABLE "untold" DROP CONSTRAINT "untold_run_id_runs_id_fk";--> statement-breakpoint
DROP INDEX "runs_pair";--> statement-breakpoint
ALTER TABLE "operations" DROP CONSTRAINT "operations_pkey";--> statement-breakpoint
ALTER TABLE "outcomes" DROP CONSTRAINT "outcomes_pkey";--> statement-breakpoint
ALTER TABLE "runs" DROP CONSTRAINT "runs_pkey";--> statement-breakpoint
ALTER TABLE "operations" ADD CONSTRAINT "operations_pair_id_id_pk" PRIMARY KEY("pair_id","id");--> statement-breakpoint
ALTER TABLE "outcomes" ADD CONSTRAINT "outcomes_pair_id_id_pk" PRIMARY KEY("pair_id","id");--> statement-breakpoint
ALTER TABLE "runs" ADD CONSTRAINT "runs_pair_id_id_pk" PRIMARY KEY("pair_id","id");--> statement-breakpoint
ALTER TABLE "operations" ADD CONSTRAINT "operations_run_fk" FOREIGN KEY ("pair_id","run_id") REFERENCES "public"."runs"("pair_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outcomes" ADD CONSTRAINT "outcomes_run_fk" FOREIGN KEY ("pair_id","run_id") REFERENCES "public"."runs"("pair_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "untold" ADD CONSTRAINT "untold_run_fk" FOREIGN KEY ("pair_id","run_id") REFERENCES "public"."runs"("pair_id","id") ON DELETE no action ON UPDATE no action;
