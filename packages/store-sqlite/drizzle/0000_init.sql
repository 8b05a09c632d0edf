CREATE TABLE `acknowledgements` (
	`side` text NOT NULL,
	`record_id` text NOT NULL,
	`digest` text NOT NULL,
	PRIMARY KEY(`side`, `record_id`)
);
--> statement-breakpoint
CREATE TABLE `checkpoints` (
	`name` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `conflicts` (
	`id` text PRIMARY KEY NOT NULL,
	`run_id` integer NOT NULL,
	`left_id` text NOT NULL,
	`right_id` text NOT NULL,
	`field` text NOT NULL,
	`values` text NOT NULL,
	`resolution` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `lease` (
	`id` integer PRIMARY KEY NOT NULL,
	`holder` text NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `links` (
	`left_id` text PRIMARY KEY NOT NULL,
	`right_id` text NOT NULL,
	`left` text NOT NULL,
	`right` text NOT NULL,
	`left_version` text,
	`right_version` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `links_right_id_unique` ON `links` (`right_id`);--> statement-breakpoint
CREATE TABLE `operations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`key` text NOT NULL,
	`run_id` integer NOT NULL,
	`seq` integer NOT NULL,
	`operation` text NOT NULL,
	`state` text NOT NULL,
	`attempts` integer NOT NULL,
	`provisional_id` text,
	`result_id` text,
	`written` text,
	`link_before` text,
	`last_error` text,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `operations_key_unique` ON `operations` (`key`);--> statement-breakpoint
CREATE INDEX `operations_run` ON `operations` (`run_id`,`seq`);--> statement-breakpoint
CREATE INDEX `operations_state` ON `operations` (`state`);--> statement-breakpoint
CREATE TABLE `outcomes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`run_id` integer NOT NULL,
	`side` text NOT NULL,
	`record_id` text NOT NULL,
	`other_id` text,
	`operation` text NOT NULL,
	`outcome` text NOT NULL,
	`reasons` text NOT NULL,
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `outcomes_run` ON `outcomes` (`run_id`);--> statement-breakpoint
CREATE TABLE `runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`direction` text NOT NULL,
	`dry_run` integer NOT NULL,
	`full` integer NOT NULL,
	`target` text,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`counts` text NOT NULL,
	`error` text
);
