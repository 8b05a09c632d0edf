CREATE TABLE "acknowledgements" (
	"pair_id" text NOT NULL,
	"side" text NOT NULL,
	"record_id" text NOT NULL,
	"digest" text NOT NULL,
	CONSTRAINT "acknowledgements_pair_id_side_record_id_pk" PRIMARY KEY("pair_id","side","record_id")
);
--> statement-breakpoint
CREATE TABLE "checkpoints" (
	"pair_id" text NOT NULL,
	"name" text NOT NULL,
	"value" text NOT NULL,
	CONSTRAINT "checkpoints_pair_id_name_pk" PRIMARY KEY("pair_id","name")
);
--> statement-breakpoint
CREATE TABLE "conflicts" (
	"pair_id" text NOT NULL,
	"id" text NOT NULL,
	"run_id" bigint NOT NULL,
	"left_id" text NOT NULL,
	"right_id" text NOT NULL,
	"field" text NOT NULL,
	"values" text NOT NULL,
	"resolution" text,
	"created_at" bigint NOT NULL,
	CONSTRAINT "conflicts_pair_id_id_pk" PRIMARY KEY("pair_id","id")
);
--> statement-breakpoint
CREATE TABLE "leases" (
	"pair_id" text PRIMARY KEY NOT NULL,
	"holder" text NOT NULL,
	"expires_at" bigint NOT NULL,
	"epoch" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "links" (
	"pair_id" text NOT NULL,
	"left_id" text NOT NULL,
	"right_id" text NOT NULL,
	"left" text NOT NULL,
	"right" text NOT NULL,
	"left_version" text,
	"right_version" text,
	CONSTRAINT "links_pair_id_left_id_pk" PRIMARY KEY("pair_id","left_id"),
	CONSTRAINT "links_right" UNIQUE("pair_id","right_id")
);
--> statement-breakpoint
CREATE TABLE "operations" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"pair_id" text NOT NULL,
	"key" text NOT NULL,
	"run_id" bigint NOT NULL,
	"seq" integer NOT NULL,
	"operation" text NOT NULL,
	"state" text NOT NULL,
	"attempts" integer NOT NULL,
	"provisional_id" text,
	"result_id" text,
	"written" text,
	"link_before" text,
	"overwritten" text,
	"last_error" text,
	"updated_at" bigint NOT NULL,
	CONSTRAINT "operations_key" UNIQUE("pair_id","key")
);
--> statement-breakpoint
CREATE TABLE "outcomes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"pair_id" text NOT NULL,
	"run_id" bigint NOT NULL,
	"side" text NOT NULL,
	"record_id" text NOT NULL,
	"other_id" text,
	"operation" text NOT NULL,
	"outcome" text NOT NULL,
	"reasons" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "runs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"pair_id" text NOT NULL,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"direction" text NOT NULL,
	"dry_run" boolean NOT NULL,
	"full" boolean NOT NULL,
	"target" text,
	"started_at" bigint NOT NULL,
	"finished_at" bigint,
	"counts" text NOT NULL,
	"error" text,
	"warnings" text
);
--> statement-breakpoint
CREATE TABLE "shown_links" (
	"pair_id" text NOT NULL,
	"side" text NOT NULL,
	"record_id" text NOT NULL,
	"linked_id" text NOT NULL,
	"before" text NOT NULL,
	"written" text NOT NULL,
	CONSTRAINT "shown_links_pair_id_side_record_id_pk" PRIMARY KEY("pair_id","side","record_id")
);
--> statement-breakpoint
CREATE TABLE "untold" (
	"pair_id" text NOT NULL,
	"run_id" bigint NOT NULL,
	"side" text NOT NULL,
	CONSTRAINT "untold_pair_id_run_id_side_pk" PRIMARY KEY("pair_id","run_id","side")
);
--> statement-breakpoint
ALTER TABLE "operations" ADD CONSTRAINT "operations_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outcomes" ADD CONSTRAINT "outcomes_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "untold" ADD CONSTRAINT "untold_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "operations_run" ON "operations" USING btree ("run_id","seq");--> statement-breakpoint
CREATE INDEX "operations_state" ON "operations" USING btree ("pair_id","state");--> statement-breakpoint
CREATE INDEX "outcomes_run" ON "outcomes" USING btree ("run_id");--> statement-breakpoint
CREATE INDEX "runs_pair" ON "runs" USING btree ("pair_id","id");