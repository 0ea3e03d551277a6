import type { MigrationInterface, QueryRunner } from 'typeorm';

// The edge registry: one row per edge server, replaced by each report (every
// ~10 s). Written for PostgreSQL 15 and PGlite alike, like 0001.
const UP = [
  `CREATE TABLE edges (
     id text PRIMARY KEY CONSTRAINT edges_id_check CHECK (id ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$'),
     version text NOT NULL CONSTRAINT edges_version_check CHECK (char_length(version) BETWEEN 1 AND 64),
     started_at timestamptz NOT NULL,
     uptime_seconds double precision NOT NULL CONSTRAINT edges_uptime_check CHECK (uptime_seconds >= 0),
     last_seen timestamptz NOT NULL,
     last_sync_at timestamptz,
     -- zone name -> serial, as last reported; zone_count saves reading it to list edges.
     zones jsonb NOT NULL DEFAULT '{}',
     zone_count integer NOT NULL CONSTRAINT edges_zone_count_check CHECK (zone_count >= 0),
     -- The key that sent the last report (keys are revoked, not deleted; an org's deletion clears it).
     api_key_id uuid REFERENCES api_keys (id) ON DELETE SET NULL
   )`,
];

const DOWN = ['DROP TABLE IF EXISTS edges'];

export class EdgeRegistry1795478400000 implements MigrationInterface {
  // Explicit, so a bundler renaming the class cannot change the recorded name.
  readonly name = 'EdgeRegistry1795478400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of UP) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const statement of DOWN) await queryRunner.query(statement);
  }
}
