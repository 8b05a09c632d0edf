CREATE TABLE `shown_links` (
	`side` text NOT NULL,
	`record_id` text NOT NULL,
	`linked_id` text NOT NULL,
	`before` text NOT NULL,
	`written` text NOT NULL,
	PRIMARY KEY(`side`, `record_id`)
);
