/** A 1,000,000-record zone file is about 40 MB; this leaves room without letting one request exhaust memory. */
export const MAX_IMPORT_BYTES = 256 * 1024 * 1024;

/**
 * Records one import may hold: the file is parsed into memory before the zone
 * is locked, so the count is capped as it streams in, whatever the bytes.
 */
export const MAX_IMPORT_RECORDS = 2_000_000;

/** Platform-managed records an import refusal lists by name (the detail gives the full count). */
export const MAX_LISTED_MANAGED = 20;
