CREATE TABLE `untold` (
	`run_id` integer NOT NULL,
	`side` text NOT NULL,
	PRIMARY KEY(`run_id`, `side`),
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE no action
);
